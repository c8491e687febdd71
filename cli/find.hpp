// `find PATTERN...`: the entries of a folder snapshot whose path matches a pattern, in each of
// several commits. Patterns are those of `store --exclude` (path_filter.hpp), matched against
// the entry's own path (not the folders above it); the root entry "." is never reported.
//
// Cost: the first commit's snapshot is read whole, then each next commit is reached by
// Tree::diff against the previous one, which skips every B-tree subtree the two share. So
// walking N commits of an M-entry folder costs one scan plus the changes, not N scans.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "file_meta.hpp"
#include "infinitree/tree.hpp"

namespace infinitree::cli {

// Path -> metadata of the matching entries of one commit, sorted by path.
using FindMatches = std::map<std::string, FileMeta>;

struct FindOptions {
  std::string field;                  // the snapshot's map field
  std::vector<std::string> patterns;  // cleaned (clean_pattern); any one matching is enough
  // Pass over a commit whose snapshot equals the next (older) one's in the list, so each
  // version of the folder is reported once, under the oldest commit holding it (a
  // checkpoint commit, or a commit that changed other fields, repeats its parent's).
  bool skip_repeats = false;
};

// Calls `fn` for each commit of `commits` (in their order) with its matches (possibly none).
// A commit without the field has none. Throws Error(corrupt) for an undecodable entry.
void find_in_commits(const Tree& tree, const std::vector<CommitInfo>& commits, const FindOptions& options,
                     const std::function<void(const CommitInfo&, const FindMatches&)>& fn);

// "drwxr-xr-x", "-rw-r--r--", "lrwxrwxrwx" (with s/S, t/T for the special bits), as ls -l.
std::string mode_string(const FileMeta& m);

}  // namespace infinitree::cli
