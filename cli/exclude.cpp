#include "exclude.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "args.hpp"
#include "infinitree/error.hpp"
#include "path_filter.hpp"

namespace infinitree::cli {

void ExcludeRules::add_pattern(std::string pattern) {
  patterns_.push_back(clean_pattern(std::move(pattern), "--exclude"));
}

void ExcludeRules::add_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    int err = errno;
    throw Error(err == ENOENT ? Errc::not_found : errc_from_errno(err),
                "cannot read --exclude-file " + path + ": " + std::strerror(err));
  }
  std::string line;
  while (std::getline(in, line)) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    add_pattern(line.substr(start));
  }
  if (in.bad()) throw Error(Errc::io, "cannot read --exclude-file " + path);
}

bool ExcludeRules::excluded(const std::string& rel, const std::string& path, const struct stat& st) const {
  // The walk asks top-down and skips an excluded folder's contents: the path itself is enough.
  for (const auto& p : patterns_)
    if (pattern_matches(p, rel)) return true;
  if (S_ISDIR(st.st_mode)) {
    if (one_fs_ && st.st_dev != root_dev_) return true;
    if (caches_ && is_cache_dir(path)) return true;
  }
  return false;
}

bool is_cache_dir(const std::string& path) {
  static constexpr char kSignature[] = "Signature: 8a477f597d28d172789f06886806bc55";
  int fd = ::open((path + "/CACHEDIR.TAG").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  char buf[sizeof kSignature - 1];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  return n == static_cast<ssize_t>(sizeof buf) && std::memcmp(buf, kSignature, sizeof buf) == 0;
}

}  // namespace infinitree::cli
