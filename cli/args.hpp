// Command-line parsing: long options ("--name value", "--name=value"), a few short aliases
// ("-m MSG"), flags, and positionals. Global options may appear before or after the
// subcommand; each subcommand declares the options it accepts, so a typo is a usage error
// instead of being silently ignored.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace infinitree::cli {

// Bad command line: exit code 1 with the message and a hint to --help.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;        // long name without the dashes
  bool takes_value = false;
  char short_name = 0;     // e.g. 'm' for -m; 0 if none
  std::string help;        // one line for --help
  bool repeatable = false; // may be given several times (ParsedArgs::all); else the last wins
};

class ParsedArgs {
 public:
  std::string command;                  // empty when none was given
  std::vector<std::string> positional;  // after the command
  // Everything after the first positional of `checkout REF`, kept verbatim (see checkout).
  std::vector<std::string> rest;

  bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string fallback) const;
  void set(const std::string& name, std::string value) { values_[name] = {std::move(value)}; }
  void add(const std::string& name, std::string value) { values_[name].push_back(std::move(value)); }
  // Every value of a repeatable option, in command-line order.
  std::vector<std::string> all(std::string_view name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// Looks up the options of a command (nullptr: unknown command).
using CommandOptionsLookup = const std::vector<OptionSpec>* (*)(std::string_view command);

// Parses argv[1..]. `stop_after` names commands whose arguments after their first
// positional are kept unparsed in `rest` (checkout REF CMD ARGS...). Throws UsageError.
ParsedArgs parse_args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& global,
                      CommandOptionsLookup command_options,
                      const std::vector<std::string>& stop_after = {});

// "64MiB", "1G", "4096", "1.5GiB" -> bytes. Throws UsageError.
uint64_t parse_size(std::string_view text);
// A non-negative integer option. Throws UsageError naming the option.
uint64_t parse_uint(std::string_view text, std::string_view option);

}  // namespace infinitree::cli
