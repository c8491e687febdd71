#include "backend/file_io.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/random.hpp"
#include "util/bytes.hpp"

namespace infinitree::fileio {

namespace fs = std::filesystem;

void throw_errno(int err, std::string_view what, const fs::path& path) {
  Errc code;
  switch (err) {
    case ENOENT: code = Errc::object_missing; break;
    case EACCES:
    case EPERM:
    case EROFS: code = Errc::permission_denied; break;
    case ENOSPC:
    case EDQUOT: code = Errc::no_space; break;
    default: code = Errc::io; break;
  }
  throw Error(code, std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

namespace {

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool all_lower_hex(std::string_view s) {
  for (char c : s)
    if (!is_lower_hex(c)) return false;
  return true;
}

// Closes an fd on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

void write_all(int fd, std::span<const uint8_t> data, const fs::path& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
}

// Opens `path` for reading and checks it is exactly `expected_size` bytes long.
int open_checked(const fs::path& path, size_t expected_size, struct stat* st_out = nullptr) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(errno, "cannot open object file", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw_errno(err, "cannot stat", path);
  }
  if (static_cast<uint64_t>(st.st_size) != expected_size) {
    ::close(fd);
    throw Error(Errc::object_truncated, "object file " + path.string() + " has " +
                                            std::to_string(st.st_size) + " bytes, expected " +
                                            std::to_string(expected_size));
  }
  if (st_out) *st_out = st;
  return fd;
}

void pread_all(int fd, uint8_t* out, size_t length, uint64_t offset, const fs::path& path,
               size_t expected_size) {
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot read", path);
    }
    if (n == 0)  // shrank under us (another process truncated it)
      throw Error(Errc::object_truncated, "object file " + path.string() +
                                              " ended early, expected " +
                                              std::to_string(expected_size) + " bytes");
    done += static_cast<size_t>(n);
  }
}

}  // namespace

bool is_object_name(std::string_view name) { return name.size() == 64 && all_lower_hex(name); }
bool is_fanout_name(std::string_view name) { return name.size() == 2 && all_lower_hex(name); }

void fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.fd < 0) throw_errno(errno, "cannot open folder", dir);
  if (::fsync(fd.fd) != 0) throw_errno(errno, "cannot fsync folder", dir);
}

void ensure_dir(const fs::path& dir, bool durable) {
  if (::mkdir(dir.c_str(), 0755) == 0) {
    if (durable) fsync_dir(dir.parent_path().empty() ? fs::path(".") : dir.parent_path());
    return;
  }
  if (errno == EEXIST) return;
  int err = errno;
  // A missing parent is a missing folder, not a missing object: report it as io-ish.
  if (err == ENOENT)
    throw Error(Errc::io, "cannot create folder " + dir.string() + ": parent does not exist");
  throw_errno(err, "cannot create folder", dir);
}

void write_file_atomic(const fs::path& dir, const std::string& name,
                       std::span<const uint8_t> data, bool durable) {
  // The random suffix keeps concurrent writers of the same object from sharing a temp file.
  fs::path tmp = dir / (std::string(kTempPrefix) + name + "-" +
                        hex_encode(crypto::random_bytes(8)));
  fs::path final_path = dir / name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno(errno, "cannot create", tmp);
  try {
    write_all(fd, data, tmp);
    if (durable && ::fsync(fd) != 0) throw_errno(errno, "cannot fsync", tmp);
    if (::close(fd) != 0) {
      fd = -1;
      throw_errno(errno, "cannot close", tmp);
    }
    fd = -1;
    if (::rename(tmp.c_str(), final_path.c_str()) != 0)
      throw_errno(errno, "cannot rename into place", final_path);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (durable) fsync_dir(dir);
}

std::shared_ptr<const std::vector<uint8_t>> read_exact(const fs::path& path,
                                                      size_t expected_size, struct stat* st) {
  Fd fd(open_checked(path, expected_size, st));
  auto out = std::make_shared<std::vector<uint8_t>>(expected_size);
  pread_all(fd.fd, out->data(), expected_size, 0, path, expected_size);
  return out;
}

std::vector<uint8_t> read_range(const fs::path& path, size_t expected_size, uint64_t offset,
                                uint64_t length) {
  Fd fd(open_checked(path, expected_size));
  if (offset > expected_size || length > expected_size - offset)
    throw Error(Errc::object_truncated, "range " + std::to_string(offset) + "+" +
                                            std::to_string(length) + " runs past the end of " +
                                            path.string());
  std::vector<uint8_t> out(length);
  pread_all(fd.fd, out.data(), length, offset, path, expected_size);
  return out;
}

bool remove_file(const fs::path& path) {
  if (::unlink(path.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  throw_errno(errno, "cannot delete", path);
}

FileLock::FileLock(const fs::path& path, bool blocking, const std::string& lock_message) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno(errno, "cannot open lock file", path);
  int rc;
  do {
    rc = ::flock(fd_, LOCK_EX | (blocking ? 0 : LOCK_NB));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) throw Error(Errc::locked, lock_message);
    throw_errno(err, "cannot lock", path);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last fd of the description releases the flock
}

}  // namespace infinitree::fileio
