// `get KEY --out FILE` without ever damaging what FILE was: the data goes to a new file
// beside FILE (same folder, created with O_EXCL) that is renamed over FILE only once it
// is complete. On any failure only that temporary file is removed: an existing FILE keeps
// its content, and a FILE that is a symlink stays a symlink with its target untouched (on
// success the rename replaces the link itself, never what it points to).
// A FILE that is (or leads to) a device, FIFO or socket has nothing to replace: it is
// written in place (`--out /dev/null` works) and never removed.
#pragma once

#include <string>

namespace infinitree::cli {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path);  // throws Error naming the path
  ~OutputFile();                                 // not committed: removes the temporary file
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  int fd() const { return fd_; }
  // A fresh regular file: zero blocks may be left as holes.
  bool fresh_regular() const { return !in_place_; }
  // Flushes, closes and renames into place (in-place outputs: closes). Throws on failure;
  // the destructor then cleans up.
  void commit();

 private:
  std::string path_;
  std::string temp_name_;  // relative to dir_fd_
  int dir_fd_ = -1;
  int fd_ = -1;
  bool in_place_ = false;
  bool committed_ = false;
};

}  // namespace infinitree::cli
