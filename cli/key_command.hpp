// Credentials from outside the password sources: --key-file (a raw 256-bit key in a file,
// e.g. one a KMS or secrets manager put there) and --key-command (a command that prints a
// raw key or a password, like restic's --password-command). docs/keys.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "args.hpp"
#include "infinitree/keys.hpp"

namespace infinitree::cli {

// The credential --key-file / --key-command (or INFINITREE_KEY_FILE / INFINITREE_KEY_COMMAND)
// name, if any; nullopt means "use the user name and password". A command's output that is
// 64 hex digits is a raw key, anything else the password of `user` under `kdf`. Both at
// once is a UsageError. Errors: Error(io) for an unreadable key file; Error(invalid_argument)
// for a malformed key, a failing command or one that printed nothing.
std::optional<Credential> key_credential(const ParsedArgs& args, const std::string& user,
                                         const KdfParams& kdf);

// The same for the options of `key add` (--new-key-file, --new-key-command).
std::optional<Credential> new_key_credential(const ParsedArgs& args, const std::string& user,
                                             const KdfParams& kdf);

// A key file's raw key: 64 hex digits (one final newline allowed) or exactly 32 bytes.
Credential read_key_file(const std::string& path);

// Runs `command` with /bin/sh -c (stdin and stderr inherited) and returns what it printed,
// without one final newline. Error(invalid_argument) if it fails or prints nothing.
std::string run_key_command(const std::string& command);

// 64 hex digits -> the 32-byte key; nullopt for anything else.
std::optional<std::string> decode_hex_key(std::string_view text);

}  // namespace infinitree::cli
