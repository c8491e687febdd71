// What `store --exclude/--exclude-file/--exclude-caches/--one-file-system` leave out, as
// restic does. Patterns are shell globs matched as path_filter.hpp says (the same matcher as
// `restore --include/--exclude`). An excluded folder is left out with everything below it.
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

namespace infinitree::cli {

class ExcludeRules {
 public:
  void add_pattern(std::string pattern);  // throws UsageError for an empty pattern
  // One pattern per line; blank lines and lines starting with '#' are skipped.
  void add_file(const std::string& path);  // throws Error(not_found / io)
  void exclude_caches(bool on) { caches_ = on; }
  // Leave out folders on other file systems than `root_dev` (mount points below the root).
  void one_file_system(dev_t root_dev) {
    one_fs_ = true;
    root_dev_ = root_dev;
  }
  bool empty() const { return patterns_.empty() && !caches_ && !one_fs_; }

  // `rel` is the path below the root ("a/b"), `path` the full path (to look for a
  // CACHEDIR.TAG inside a folder).
  bool excluded(const std::string& rel, const std::string& path, const struct stat& st) const;

 private:
  std::vector<std::string> patterns_;
  bool caches_ = false;
  bool one_fs_ = false;
  dev_t root_dev_ = 0;
};

// True if the folder at `path` holds a CACHEDIR.TAG with the standard signature
// (https://bford.info/cachedir/).
bool is_cache_dir(const std::string& path);

}  // namespace infinitree::cli
