#include "config_file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "args.hpp"
#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {

std::string trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  const size_t b = s.find_last_not_of(" \t\r");
  return std::string(s.substr(a, b - a + 1));
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v && *v) return std::string(v);
  return std::nullopt;
}

std::optional<std::string> read_file(const std::string& path, bool must_exist) {
  if (!must_exist) {
    // The default file counts only if this user can see it: a folder on its path that we
    // may not search (HOME of another user, under setpriv or sudo -u) means no file.
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR || errno == EACCES))
      return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT && !must_exist) return std::nullopt;
    throw Error(err == ENOENT ? Errc::not_found : errc_from_errno(err),
                "cannot read the config file " + path + ": " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(Errc::io, "cannot read the config file " + path);
  return text.str();
}

}  // namespace

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = {
      "store",      "user",   "password-file", "kdf",        "kdf-memory", "kdf-iterations", "kdf-parallelism",
      "endpoint",   "region", "path-style",    "cache",      "cache-size", "compression",
  };
  return keys;
}

std::optional<std::string> ConfigFile::get(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

bool ConfigFile::flag(const std::string& key) const {
  auto v = get(key);
  if (!v) return false;
  if (*v == "true" || *v == "yes" || *v == "on" || *v == "1") return true;
  if (*v == "false" || *v == "no" || *v == "off" || *v == "0") return false;
  throw UsageError("config file " + path + ": " + key + " is true or false, not '" + *v + "'");
}

ConfigFile parse_config(std::string_view text, const std::string& path) {
  ConfigFile c;
  c.path = path;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = "config file " + path + " line " + std::to_string(line_no) + ": ";
    const size_t eq = line.find('=');
    if (eq == std::string::npos) throw UsageError(where + "expected `key = value`");
    const std::string key = trim(std::string_view(line).substr(0, eq));
    const std::string value = trim(std::string_view(line).substr(eq + 1));
    const auto& keys = config_keys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw UsageError(where + "unknown key '" + key + "' (" + (key == "password" ? "the password never goes in a file of options; use password-file" : "see docs/cli.md, \"Config file\"") + ")");
    if (value.empty()) throw UsageError(where + "no value for '" + key + "'");
    if (!c.values.emplace(key, value).second) throw UsageError(where + "'" + key + "' is set twice");
  }
  return c;
}

ConfigFile load_config(const std::optional<std::string>& explicit_path) {
  std::string path;
  bool must_exist = true;
  if (explicit_path) {
    path = *explicit_path;
  } else if (auto p = env("INFINITREE_CONFIG")) {
    path = *p;
  } else {
    must_exist = false;
    if (auto xdg = env("XDG_CONFIG_HOME")) path = *xdg + "/infinitree/config";
    else if (auto home = env("HOME")) path = *home + "/.config/infinitree/config";
    else return {};
  }
  auto text = read_file(path, must_exist);
  if (!text) return {};
  return parse_config(*text, path);
}

}  // namespace infinitree::cli
