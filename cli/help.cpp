// The command table and --help output.
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "version.hpp"

namespace infinitree::cli {

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = [] {
    std::vector<Command> c;
    add_kv_commands(c);
    add_folder_commands(c);
    add_find_commands(c);
    add_mount_commands(c);
    add_history_commands(c);
    add_branch_commands(c);
    add_space_commands(c);
    add_admin_commands(c);
    add_json_commands(c);
    add_key_commands(c);
    add_write_only_commands(c);
    add_doc_commands(c);
    return c;
  }();
  return commands;
}

const Command* find_command(std::string_view name) {
  for (const auto& c : all_commands())
    if (c.name == name) return &c;
  return nullptr;
}

namespace {
void print_options(const std::vector<OptionSpec>& specs) {
  for (const auto& o : specs) {
    std::string left = "  ";
    left += o.short_name ? std::string("-") + o.short_name + ", " : std::string("    ");
    left += "--" + o.name + (o.takes_value ? " VALUE" : "");
    if (left.size() < 30) left.resize(30, ' ');
    else left += "  ";
    std::cout << left << o.help << "\n";
  }
}
}  // namespace

void print_help(const Command* command) {
  if (command) {
    std::cout << "usage: infinitree " << command->synopsis << "\n\n" << command->summary << "\n";
    if (!command->options.empty()) {
      std::cout << "\nOptions:\n";
      print_options(command->options);
    }
    std::cout << "\nGlobal options: see `infinitree --help`.\n";
    return;
  }
  std::cout << "usage: infinitree [GLOBAL OPTIONS] COMMAND [ARGS]\n\n"
               "A versioned, encrypted store: keys and values, files and whole folders, with\n"
               "history. Every command that changes data commits (its -m gives the message).\n\n"
               "Commands:\n";
  for (const auto& c : all_commands()) {
    std::string left = "  " + c.synopsis;
    if (left.size() < 44) left.resize(44, ' ');
    else left += "\n" + std::string(44, ' ');
    std::cout << left << c.summary << "\n";
  }
  std::cout << "\nGlobal options:\n";
  print_options(global_options());
  std::cout << "\nPassword: from --password-file / INFINITREE_PASSWORD_FILE, else INFINITREE_PASSWORD,\n"
               "else a prompt on the terminal (never on the command line). An empty password is\n"
               "refused unless --allow-empty-password is given.\n"
               "KDF costs are not stored anywhere readable: pass the same --kdf (or INFINITREE_KDF)\n"
               "to every command that you passed to init.\n"
               "Defaults for the global options: --config FILE, INFINITREE_CONFIG or\n"
               "~/.config/infinitree/config, one `key = value` per line (docs/cli.md).\n\n"
            << exit_codes_help();
}

namespace {
const std::vector<OptionSpec>* options_of(std::string_view name) {
  if (name == "help") {
    static const std::vector<OptionSpec> none;
    return &none;
  }
  const Command* c = find_command(name);
  return c ? &c->options : nullptr;
}
}  // namespace

int run_command_line(const std::vector<std::string>& argv) {
  ParsedArgs args = parse_args(argv, global_options(), options_of, {"checkout"});
  if (args.has("version")) {
    std::cout << version_line() << "\n";
    return kOk;
  }
  if (args.command.empty() || args.command == "help") {
    const Command* c = args.positional.empty() ? nullptr : find_command(args.positional[0]);
    if (!args.positional.empty() && !c) throw UsageError("unknown command '" + args.positional[0] + "'");
    print_help(c);
    return args.command.empty() && !args.has("help") ? kUsage : kOk;
  }
  const Command* command = find_command(args.command);
  if (args.has("help")) {
    print_help(command);
    return kOk;
  }
  Session session(args);
  return command->run(session, args);
}

}  // namespace infinitree::cli
