// Paths below a folder handle, never following a symlink: how restore reaches every entry,
// so that nothing a snapshot holds (a link `a -> ../outside` plus an entry `a/victim`) and
// nothing DEST already holds can steer a write, a chmod or a delete outside DEST.
// Folders are resolved with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) when the
// kernel has it, else (and whenever that fails) one component at a time with
// openat(O_NOFOLLOW | O_DIRECTORY); every later call is relative to the returned handle.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace infinitree::cli {

// An owned file descriptor (closed on destruction); -1 when empty.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct BeneathOptions {
  bool create_missing = false;      // make missing folders (mode 0777 minus the umask)
  // --overwrite: a symlink or file where a folder is needed is removed (the link itself,
  // never what it points to) and replaced by a folder.
  bool replace_non_folders = false;
};

// A handle (O_PATH) on the folder `rel` below `root`: "" or "." is root itself, otherwise
// components separated by '/' as check_snapshot_path allows. A component that is a symlink
// or a file is Errc::already_exists naming it (unless replace_non_folders); `shown` names
// the entry being restored in messages.
Fd open_folder_beneath(int root, std::string_view rel, const BeneathOptions& options,
                       const std::string& shown);

// Removes the entry `name` of the folder `dir`, whatever it is: a symlink or file is
// unlinked; a folder is emptied level by level through handles opened with O_NOFOLLOW,
// then removed. Nothing outside `dir` is touched. A missing entry is not an error.
void remove_beneath(int dir, const std::string& name, const std::string& shown);

// "a/b/c" -> {"a/b", "c"}; "c" -> {"", "c"}.
std::pair<std::string_view, std::string_view> split_parent(std::string_view rel);

// Tests: false forces the one-component-at-a-time path even where openat2 exists.
void set_openat2_allowed(bool allowed);

}  // namespace infinitree::cli
