// The config file: defaults for the global options that would otherwise be repeated on every
// command (store, user, KDF costs, S3 settings). One `key = value` per line, the long option's
// name as key; blank lines and lines starting with '#' are skipped:
//
//   # ~/.config/infinitree/config
//   store = /backups/laptop
//   user = alice
//   kdf = m=262144,t=4,p=4
//
// Which file: --config FILE, else $INFINITREE_CONFIG, else $XDG_CONFIG_HOME/infinitree/config
// (XDG_CONFIG_HOME defaults to ~/.config) when it exists. A value on the command line wins
// over the environment, which wins over the file (docs/cli.md, "Config file").
// The password itself is not a key: a file holding it is (`password-file`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace infinitree::cli {

struct ConfigFile {
  std::string path;  // empty when no file was read
  std::map<std::string, std::string> values;

  std::optional<std::string> get(const std::string& key) const;
  // For on/off keys (path-style): true/yes/on/1 or false/no/off/0; UsageError otherwise.
  bool flag(const std::string& key) const;
};

// The keys a config file may set.
const std::vector<std::string>& config_keys();

// Parses `text` read from `path` (named in errors). Throws UsageError, with the line number,
// for a line without '=', an unknown key, an empty value or a key given twice.
ConfigFile parse_config(std::string_view text, const std::string& path);

// Finds and reads the config file as above; `explicit_path` is --config. A missing explicit
// file (or $INFINITREE_CONFIG) is Error(not_found); a missing default file is no file.
ConfigFile load_config(const std::optional<std::string>& explicit_path);

}  // namespace infinitree::cli
