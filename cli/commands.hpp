// The subcommand table. Each group of commands lives in its own file and adds itself here
// through one add_*_commands() function; main.cpp dispatches and maps errors to exit codes.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "session.hpp"

namespace infinitree::cli {

struct Command {
  std::string name;
  std::string synopsis;  // "get KEY [--out F] [--at REF]"
  std::string summary;   // one line for the command list
  std::vector<OptionSpec> options;
  int (*run)(Session& session, const ParsedArgs& args);
};

const std::vector<Command>& all_commands();
const Command* find_command(std::string_view name);

void add_kv_commands(std::vector<Command>& out);       // init put get del ls commit
void add_history_commands(std::vector<Command>& out);  // log show diff checkout
void add_admin_commands(std::vector<Command>& out);    // passwd stats verify
void add_folder_commands(std::vector<Command>& out);   // store restore
void add_mount_commands(std::vector<Command>& out);    // mount (commands_mount.cpp)
void add_find_commands(std::vector<Command>& out);     // find dump (commands_find.cpp)
void add_space_commands(std::vector<Command>& out);    // forget prune
void add_branch_commands(std::vector<Command>& out);   // branch
void add_json_commands(std::vector<Command>& out);     // export import
void add_key_commands(std::vector<Command>& out);      // key (commands_keys.cpp)
void add_write_only_commands(std::vector<Command>& out);  // write-only (commands_write_only.cpp)
void add_doc_commands(std::vector<Command>& out);      // completion man

// Parses argv (without the program name) and runs the command; throws on failure.
int run_command_line(const std::vector<std::string>& argv);

// Prints the general help or one command's help to stdout.
void print_help(const Command* command);

}  // namespace infinitree::cli
