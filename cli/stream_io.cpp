#include "stream_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {
[[noreturn]] void fail(const char* op, const std::string& what) {
  int err = errno;
  throw Error(errc_from_errno(err), std::string(op) + " " + what + ": " + std::strerror(err));
}

// Holes are made at this granularity (the usual file system block).
constexpr size_t kHoleBlock = 4096;

bool all_zero(const char* p, size_t n) {
  static const char zeros[kHoleBlock] = {};
  return n <= kHoleBlock && std::memcmp(p, zeros, n) == 0;
}
}  // namespace

void write_all(int fd, const char* data, size_t size, const std::string& what) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", what);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

uint64_t copy_fd_to_stream(int fd, StreamWriter& writer, const std::string& what,
                           const std::function<void(uint64_t)>& on_bytes) {
  std::vector<char> buf(kCopyBlock);
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read", what);
    }
    if (n == 0) break;
    writer.write(buf.data(), static_cast<size_t>(n));
    total += static_cast<uint64_t>(n);
    if (on_bytes) on_bytes(static_cast<uint64_t>(n));
  }
  return total;
}

uint64_t copy_stream_to_fd(StreamReader& reader, int fd, const std::string& what, bool sparse,
                           const std::function<void(uint64_t)>& on_bytes) {
  std::vector<char> buf(kCopyBlock);
  uint64_t total = 0;
  bool hole_at_end = false;
  for (;;) {
    size_t n = reader.read(buf.data(), buf.size());
    if (n == 0) break;
    if (!sparse) {
      write_all(fd, buf.data(), n, what);
    } else {
      // Write runs of non-zero blocks; seek over zero blocks.
      size_t i = 0;
      while (i < n) {
        size_t len = std::min(kHoleBlock, n - i);
        if (all_zero(buf.data() + i, len)) {
          if (::lseek(fd, static_cast<off_t>(len), SEEK_CUR) < 0) fail("cannot seek in", what);
          hole_at_end = true;
          i += len;
          continue;
        }
        size_t j = i + len;
        while (j < n) {
          size_t l2 = std::min(kHoleBlock, n - j);
          if (all_zero(buf.data() + j, l2)) break;
          j += l2;
        }
        write_all(fd, buf.data() + i, j - i, what);
        hole_at_end = false;
        i = j;
      }
    }
    total += n;
    if (on_bytes) on_bytes(n);
  }
  // A trailing hole is only a seek: the size comes from truncating.
  if (sparse && hole_at_end && ::ftruncate(fd, static_cast<off_t>(total)) != 0)
    fail("cannot set the size of", what);
  return total;
}

}  // namespace infinitree::cli
