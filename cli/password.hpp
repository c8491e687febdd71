// Where the password comes from. Never from argv (it would show in `ps` and shell
// history). In order: --password-file / INFINITREE_PASSWORD_FILE, then the environment
// variable INFINITREE_PASSWORD, then a prompt without echo on the terminal (/dev/tty).
#pragma once

#include <optional>
#include <string>

namespace infinitree::cli {

struct PasswordSource {
  std::optional<std::string> file;     // --password-file or INFINITREE_PASSWORD_FILE
  std::string env_var = "INFINITREE_PASSWORD";
  std::string file_env_var = "INFINITREE_PASSWORD_FILE";
  std::string prompt = "Password: ";
  bool confirm = false;                // ask twice on a terminal (init, passwd)
  // An empty password is almost always a mistake (an unset variable, an empty file): it
  // is refused unless the user passed --allow-empty-password.
  bool allow_empty = false;
};

// Throws UsageError when no source has a password (no terminal, no variable, no file)
// or when it is empty and empty passwords are not allowed,
// Error(io) when the file cannot be read. The file's first line is the password (a final
// newline is not part of it).
std::string read_password(const PasswordSource& source);

// Reads one line from the terminal with echo off; restores the terminal even on Ctrl-C.
// nullopt if there is no terminal.
std::optional<std::string> prompt_no_echo(const std::string& prompt);

}  // namespace infinitree::cli
