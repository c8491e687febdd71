#include "args.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace infinitree::cli {

std::optional<std::string> ParsedArgs::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::all(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string ParsedArgs::get_or(std::string_view name, std::string fallback) const {
  auto v = get(name);
  return v ? *v : std::move(fallback);
}

namespace {

const OptionSpec* find_long(const std::vector<OptionSpec>* specs, std::string_view name) {
  if (!specs) return nullptr;
  for (const auto& s : *specs)
    if (s.name == name) return &s;
  return nullptr;
}

const OptionSpec* find_short(const std::vector<OptionSpec>* specs, char c) {
  if (!specs) return nullptr;
  for (const auto& s : *specs)
    if (s.short_name == c) return &s;
  return nullptr;
}

}  // namespace

ParsedArgs parse_args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& global,
                      CommandOptionsLookup command_options,
                      const std::vector<std::string>& stop_after) {
  ParsedArgs out;
  const std::vector<OptionSpec>* local = nullptr;
  bool only_positionals = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    // `checkout REF CMD ...`: the rest belongs to the inner command (options before CMD
    // are the outer command's: `checkout REF --json`).
    if (!out.command.empty() && !out.positional.empty() &&
        (only_positionals || a.empty() || a[0] != '-')) {
      bool stops = false;
      for (const auto& s : stop_after) stops |= (s == out.command);
      if (stops) {
        out.rest.assign(argv.begin() + static_cast<ptrdiff_t>(i), argv.end());
        break;
      }
    }
    if (only_positionals || a.size() < 2 || a[0] != '-') {
      if (out.command.empty()) {
        out.command = a;
        local = command_options(a);
        if (!local) throw UsageError("unknown command '" + a + "'");
      } else {
        out.positional.push_back(a);
      }
      continue;
    }
    if (a == "--") {
      only_positionals = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    std::string shown = a;
    if (a[1] == '-') {
      std::string name = a.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
        shown = "--" + name;
      }
      spec = find_long(local, name);
      if (!spec) spec = find_long(&global, name);
    } else {
      if (a.size() != 2) throw UsageError("unknown option '" + a + "' (short options take one letter)");
      spec = find_short(local, a[1]);
      if (!spec) spec = find_short(&global, a[1]);
    }
    if (!spec) throw UsageError("unknown option '" + shown + "'" +
                                (out.command.empty() ? "" : " for '" + out.command + "'"));
    if (spec->takes_value) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError("option '" + shown + "' needs a value");
        inline_value = argv[++i];
      }
      if (spec->repeatable) out.add(spec->name, *inline_value);
      else out.set(spec->name, *inline_value);
    } else {
      if (inline_value) throw UsageError("option '" + shown + "' takes no value");
      out.set(spec->name, "");
    }
  }
  return out;
}

uint64_t parse_uint(std::string_view text, std::string_view option) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    throw UsageError("option '--" + std::string(option) + "' needs a non-negative integer, not '" +
                     std::string(text) + "'");
  return v;
}

uint64_t parse_size(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) throw UsageError("bad size '" + std::string(text) + "' (e.g. 512MiB, 2G, 1048576)");
  double number = 0;
  try {
    number = std::stod(std::string(text.substr(0, i)));
  } catch (...) {
    throw UsageError("bad size '" + std::string(text) + "'");
  }
  std::string unit;
  for (char c : text.substr(i)) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double mult = 1;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "kib" || unit == "kb") mult = 1024.0;
  else if (unit == "m" || unit == "mib" || unit == "mb") mult = 1024.0 * 1024;
  else if (unit == "g" || unit == "gib" || unit == "gb") mult = 1024.0 * 1024 * 1024;
  else if (unit == "t" || unit == "tib" || unit == "tb") mult = 1024.0 * 1024 * 1024 * 1024;
  else throw UsageError("bad size unit in '" + std::string(text) + "' (use K, M, G or T)");
  double bytes = std::floor(number * mult);
  if (!(bytes >= 0) || bytes > 1.8e19) throw UsageError("size out of range: '" + std::string(text) + "'");
  return static_cast<uint64_t>(bytes);
}

}  // namespace infinitree::cli
