// Which paths of a folder snapshot a command takes: the glob patterns of `store --exclude`,
// shared by `store --exclude`, `restore --include/--exclude` and `ls --include/--exclude`
// (docs/cli.md, "Patterns"). Patterns are shell globs (fnmatch):
//   - without a '/', a pattern matches the name of a file or folder at any depth
//     (`*.o`, `node_modules`, `.git`);
//   - with a '/', it matches the path relative to the stored folder (a leading '/' is
//     ignored: `/build`, `src/*.tmp`), and there '*' also matches '/' (`docs/*/draft`
//     matches docs/a/b/draft).
#pragma once

#include <string>
#include <vector>

namespace infinitree::cli {

// A pattern as given, trailing spaces and CRs dropped; throws UsageError naming `option` if
// nothing is left.
std::string clean_pattern(std::string pattern, const std::string& option);

// Whether `pattern` matches the path `rel` itself (not a folder above it).
bool pattern_matches(const std::string& pattern, const std::string& rel);

// --include and --exclude together, for a flat list of paths (a snapshot's keys):
//   - an entry is excluded if it, or a folder above it, matches an --exclude;
//   - with any --include, an entry is taken only if it, or a folder above it, matches one
//     (a matched folder brings everything below it);
//   - the folders above a taken entry are needed to hold it: `needs_parent` tells them apart
//     (restore makes them, with their own metadata).
class PathFilter {
 public:
  void include(const std::string& pattern) { includes_.push_back(clean_pattern(pattern, "--include")); }
  void exclude(const std::string& pattern) { excludes_.push_back(clean_pattern(pattern, "--exclude")); }
  bool empty() const { return includes_.empty() && excludes_.empty(); }

  bool selected(const std::string& rel) const;

 private:
  // True if `rel` or one of the folders above it matches one of `patterns`.
  static bool matches_path_or_parent(const std::vector<std::string>& patterns, const std::string& rel);

  std::vector<std::string> includes_, excludes_;
};

// The folders above `rel` ("a/b/c" gives "a" and "a/b"), for keeping the parents of the
// entries a filter selected.
std::vector<std::string> parent_folders(const std::string& rel);

}  // namespace infinitree::cli
