// Lists a folder tree without following symlinks: every directory, regular file and
// symlink, with lstat metadata, keyed by its path relative to the root ("." is the root).
// Other kinds (sockets, fifos, devices) and unreadable directories are reported, not listed.
#pragma once

#include <sys/stat.h>

#include <functional>
#include <string>
#include <vector>

namespace infinitree::cli {

struct WalkEntry {
  std::string rel;   // "." for the root, else "a/b/c"
  std::string path;  // root + "/" + rel
  struct stat st;
};

// `skip(entry)`: true for an entry below the root to leave out, a folder with everything
// under it (the store itself when it lies inside the folder, --exclude). `warn` gets one
// line per item that could not be read; `ignored` one line per socket, FIFO or device
// (left out by design).
std::vector<WalkEntry> walk_folder(const std::string& root,
                                   const std::function<bool(const WalkEntry&)>& skip,
                                   const std::function<void(const std::string&)>& warn,
                                   const std::function<void(const std::string&)>& ignored);

}  // namespace infinitree::cli
