#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {

[[noreturn]] void fail(int err, const std::string& what) {
  throw Error(errc_from_errno(err), what + ": " + std::strerror(err));
}

bool is_special(mode_t m) { return S_ISCHR(m) || S_ISBLK(m) || S_ISFIFO(m) || S_ISSOCK(m); }

std::string random_suffix() {
  std::random_device rd;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

}  // namespace

OutputFile::OutputFile(const std::string& path) : path_(path) {
  if (path.empty() || path.back() == '/') throw Error(Errc::invalid_argument, "--out needs a file name, not '" + path + "'");
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && is_special(st.st_mode)) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) fail(errno, "cannot open " + path);
    // It may have been swapped for a regular file since the stat: then do it the safe way.
    if (::fstat(fd_, &st) == 0 && is_special(st.st_mode)) {
      in_place_ = true;
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  dir_fd_ = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) fail(errno, "cannot open the folder of " + path);
  for (int attempt = 0; fd_ < 0; ++attempt) {
    temp_name_ = "." + base.substr(0, 200) + ".infinitree-" + random_suffix();
    fd_ = ::openat(dir_fd_, temp_name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ < 0 && (errno != EEXIST || attempt == 8)) {
      int err = errno;
      ::close(dir_fd_);
      dir_fd_ = -1;
      fail(err, "cannot create a file beside " + path);
    }
  }
}

void OutputFile::commit() {
  if (!in_place_ && ::fsync(fd_) != 0) fail(errno, "cannot write " + path_);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno, "cannot write " + path_);
  if (!in_place_) {
    const size_t slash = path_.rfind('/');
    const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    if (::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, base.c_str()) != 0) fail(errno, "cannot replace " + path_);
  }
  committed_ = true;
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !in_place_ && dir_fd_ >= 0) ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

}  // namespace infinitree::cli
