// `restore DEST`: recreates a folder snapshot (snapshot.hpp) from any version: folders,
// files (bit-exact, holes kept for zero blocks), symlinks, permission bits and mtimes
// (owners too when running as root). Sizes are checked against the metadata.
//
// A snapshot is untrusted input: every entry is reached from a handle on DEST without
// following links (beneath.hpp), an entry below a snapshot symlink or file is refused, and
// --overwrite removes only what lies below DEST. Order matters for safety and correctness:
// folders first (owner-writable while filling), then files in parallel, then symlinks (so
// no file is ever written through a restored link), then folder modes and mtimes deepest
// first (writing inside changes a folder's mtime).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "infinitree/tree.hpp"
#include "path_filter.hpp"

namespace infinitree::cli {

struct RestoreOptions {
  unsigned threads = 0;    // files written at once; 0: max(2, cores)
  bool progress = false;
  bool progress_json = false;  // progress as JSON lines (--json)
  bool overwrite = false;  // allow a non-empty DEST; replaces what is in the way
  // Do not restore owners even as root. Whenever owners are not restored, setuid, setgid
  // and sticky bits are cleared (as `cp -p` does): they belong to the recorded owner.
  bool no_owner = false;
  // --include/--exclude: only the selected entries, and the folders that hold them.
  PathFilter filter;
};

struct RestoreResult {
  uint64_t files = 0, dirs = 0, symlinks = 0, bytes = 0;
  uint64_t failed = 0;           // entries not restored or not fully restored (warned about)
  uint64_t refused = 0;          // of those, entries below a symlink or file of the snapshot
  uint64_t filtered = 0;         // entries left out by --include/--exclude
  Errc worst = Errc::ok;         // the code of the first failure, for the exit code
  double seconds = 0;
};

// Throws (nothing written) when DEST is not empty without `overwrite`, or when a key of the
// snapshot is not a safe relative path. Everything else is per entry: warned, counted,
// and the rest is restored.
RestoreResult restore_folder(TreeView& view, const std::string& field, const std::string& dest,
                             const RestoreOptions& options,
                             const std::function<void(const std::string&)>& warn);

}  // namespace infinitree::cli
