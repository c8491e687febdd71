#include "beneath.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "infinitree/error.hpp"
#include "printable.hpp"

namespace infinitree::cli {

namespace {

// Cleared for good when the kernel (or a seccomp filter) has no openat2.
std::atomic<bool> g_openat2{true};

[[noreturn]] void fail_errno(int err, const std::string& what) {
  throw Error(errc_from_errno(err), what + ": " + std::strerror(err));
}

// The fast path: the whole relative path in one call. -1 when it did not resolve (a
// missing or non-folder component, or no openat2): the caller walks instead, which
// creates, replaces or names the culprit.
int try_openat2(int root, const std::string& rel) {
#ifdef SYS_openat2
  if (!g_openat2.load(std::memory_order_relaxed)) return -1;
  struct open_how how {};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, root, rel.c_str(), &how, sizeof how);
  if (fd >= 0) return static_cast<int>(fd);
  if (errno == ENOSYS || errno == EPERM || errno == E2BIG) g_openat2.store(false);
#else
  (void)root;
  (void)rel;
#endif
  return -1;
}

// Opens one component below `dir` as a folder handle, creating or replacing it as asked.
Fd open_component(int dir, const std::string& name, const std::string& so_far,
                  const BeneathOptions& o, const std::string& shown) {
  for (int attempt = 0;; ++attempt) {
    int fd = ::openat(dir, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return Fd(fd);
    const int err = errno;
    // Another thread may be making or replacing the same folder: a few tries settle it.
    if (attempt == 4) fail_errno(err, "cannot open the folder " + printable(so_far) + " for " + shown);
    if (err == ENOENT && o.create_missing) {
      if (::mkdirat(dir, name.c_str(), 0777) != 0 && errno != EEXIST)
        fail_errno(errno, "cannot create the folder " + printable(so_far) + " for " + shown);
      continue;
    }
    if (err == ENOTDIR || err == ELOOP) {
      if (!o.replace_non_folders)
        throw Error(Errc::already_exists, shown + ": " + printable(so_far) +
                                              " is a symlink or a file, not a folder: not following it");
      if (::unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT)
        fail_errno(errno, "cannot replace " + printable(so_far) + " for " + shown);
      continue;
    }
    fail_errno(err, "cannot open the folder " + printable(so_far) + " for " + shown);
  }
}

}  // namespace

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

void set_openat2_allowed(bool allowed) { g_openat2.store(allowed); }

std::pair<std::string_view, std::string_view> split_parent(std::string_view rel) {
  size_t slash = rel.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), rel};
  return {rel.substr(0, slash), rel.substr(slash + 1)};
}

Fd open_folder_beneath(int root, std::string_view rel, const BeneathOptions& options,
                       const std::string& shown) {
  const std::string path = rel.empty() ? std::string(".") : std::string(rel);
  if (int fd = try_openat2(root, path); fd >= 0) return Fd(fd);
  // ".": a handle of our own on root, so the caller may close it like any other.
  int fd = ::openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_errno(errno, "cannot open the restore folder for " + shown);
  Fd current(fd);
  if (path == ".") return current;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    size_t end = slash == std::string::npos ? path.size() : slash;
    current = open_component(current.get(), path.substr(pos, end - pos), path.substr(0, end), options, shown);
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return current;
}

void remove_beneath(int dir, const std::string& name, const std::string& shown) {
  struct stat st;
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    fail_errno(errno, "cannot replace " + shown);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) fail_errno(errno, "cannot replace " + shown);
    return;
  }
  int fd = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == EACCES) {
    // A folder of ours without read permission (a restored mode 0): open it up to empty it.
    if (::fchmodat(dir, name.c_str(), 0700, AT_SYMLINK_NOFOLLOW) == 0)
      fd = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    else
      errno = EACCES;
  }
  if (fd < 0) fail_errno(errno, "cannot replace " + shown);
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int err = errno;
    ::close(fd);
    fail_errno(err, "cannot replace " + shown);
  }
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.emplace_back(e->d_name);
  }
  int err = errno;
  try {
    if (err != 0) fail_errno(err, "cannot list " + shown);
    for (const auto& n : names) remove_beneath(::dirfd(d), n, shown + "/" + printable(n));
  } catch (...) {
    ::closedir(d);
    throw;
  }
  ::closedir(d);
  if (::unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) fail_errno(errno, "cannot replace " + shown);
}

}  // namespace infinitree::cli
