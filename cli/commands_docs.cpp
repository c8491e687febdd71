// completion and man: the CLI describing itself (completion.hpp).
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "completion.hpp"
#include "exit_codes.hpp"

namespace infinitree::cli {

namespace {

int cmd_completion(Session&, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "completion bash|zsh|fish");
  const std::string& shell = args.positional[0];
  if (shell == "bash") std::cout << bash_completion();
  else if (shell == "zsh") std::cout << zsh_completion();
  else if (shell == "fish") std::cout << fish_completion();
  else throw UsageError("completion: the shell is bash, zsh or fish, not '" + shell + "'");
  return kOk;
}

int cmd_man(Session&, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "man");
  std::cout << man_page();
  return kOk;
}

}  // namespace

void add_doc_commands(std::vector<Command>& out) {
  out.push_back({"completion", "completion bash|zsh|fish",
                 "print a shell completion script (e.g. `source <(infinitree completion bash)`)", {},
                 cmd_completion});
  out.push_back({"man", "man", "print the man page, infinitree(1), in roff (e.g. `infinitree man | man -l -`)", {},
                 cmd_man});
}

}  // namespace infinitree::cli
