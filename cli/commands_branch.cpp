// branch: list, create, switch and delete branches, as `git branch` / `git switch` do.
// The current branch is kept in the tree's root, so a switch lasts across commands: every
// later commit (put, store, commit...) goes on it.
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "json_out.hpp"
#include "printable.hpp"
#include "refs.hpp"

namespace infinitree::cli {

namespace {

constexpr const char* kSynopsis = "branch [NAME [REF]] | branch -s NAME | branch -d NAME";

int list_branches(Session& s, const ParsedArgs& args) {
  auto tree = s.open(true);
  const std::string current = tree->current_branch();
  Json list = Json::array();
  for (const auto& [name, id] : tree->branches()) {
    if (json_wanted(args)) {
      Json j;
      set_text(j, "name", name);
      j["commit"] = id ? Json(*id) : Json(nullptr);
      j["current"] = name == current;
      list.push_back(std::move(j));
      continue;
    }
    std::cout << (name == current ? "* " : "  ") << printable(name) << " " << (id ? *id : "(no commits)") << "\n";
  }
  if (json_wanted(args)) print_json(list);
  return kOk;
}

int cmd_branch(Session& s, const ParsedArgs& args) {
  const bool del = args.has("delete"), sw = args.has("switch");
  if (del && sw) throw UsageError(std::string("usage: infinitree ") + kSynopsis);
  if (args.positional.empty()) {
    if (del || sw) throw UsageError(std::string("usage: infinitree ") + kSynopsis);
    return list_branches(s, args);
  }
  expect_positionals(args, 1, del || sw ? 1 : 2, kSynopsis);
  const std::string& name = args.positional[0];
  auto tree = s.open(false);
  Json j;
  set_text(j, "name", name);
  if (del) {
    tree->delete_branch(name);
    j["deleted"] = true;
  } else if (sw) {
    tree->switch_branch(name);
    auto head = tree->head();
    j["commit"] = head ? Json(head->id) : Json(nullptr);
    j["current"] = true;
    if (chatty(args) && !json_wanted(args)) std::cerr << "switched to branch " << printable(name) << "\n";
  } else {
    std::string id = resolve_ref(*tree, args.positional.size() > 1 ? args.positional[1] : "HEAD");
    tree->create_branch(name, id);
    j["commit"] = id;
  }
  if (json_wanted(args)) print_json(j);
  return kOk;
}

}  // namespace

void add_branch_commands(std::vector<Command>& out) {
  out.push_back({"branch", kSynopsis,
                 "list branches (* marks the current one), create one at REF (default HEAD), switch to one "
                 "(later commits go on it), or delete one",
                 {{"switch", false, 's', "make NAME the current branch"},
                  {"delete", false, 'd', "delete the branch NAME (its commits stay until forgotten)"}},
                 cmd_branch});
}

}  // namespace infinitree::cli
