#include "stream/stream_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "infinitree/error.hpp"

namespace infinitree::stream {

namespace {

constexpr size_t kBlock = 1 << 20;
constexpr size_t kHolePiece = 64 * 1024;

[[noreturn]] void throw_errno(const char* what) {
  const int err = errno;
  throw Error(errc_from_errno(err), std::string(what) + ": " + std::strerror(err));
}

bool all_zero(const uint8_t* p, size_t n) {
  return n == 0 || (p[0] == 0 && std::memcmp(p, p + 1, n - 1) == 0);
}

void write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write the output file");
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

uint64_t copy_fd_to_stream(int fd, StreamWriter& writer, const Progress& progress) {
  Bytes buf(kBlock);
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read the input file");
    }
    if (n == 0) break;
    writer.write(ByteView(buf.data(), static_cast<size_t>(n)));
    total += static_cast<uint64_t>(n);
    if (progress) progress(total);
  }
  return total;
}

void copy_stream_to_fd(StreamReader& reader, int fd, bool sparse, const Progress& progress) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno("cannot stat the output file");
  sparse = sparse && S_ISREG(st.st_mode);
  const off_t start = sparse ? ::lseek(fd, 0, SEEK_CUR) : 0;
  if (sparse && start < 0) sparse = false;

  Bytes buf(kBlock);
  uint64_t done = 0;
  bool pending_hole = false;  // the last bytes were skipped, not written
  reader.seek(0);
  while (size_t n = reader.read(buf.data(), buf.size())) {
    for (size_t off = 0; off < n;) {
      const size_t len = std::min(kHolePiece, n - off);
      if (sparse && all_zero(buf.data() + off, len)) {
        if (::lseek(fd, static_cast<off_t>(len), SEEK_CUR) < 0) throw_errno("cannot seek the output file");
        pending_hole = true;
      } else {
        write_all(fd, buf.data() + off, len);
        pending_hole = false;
      }
      off += len;
    }
    done += n;
    if (progress) progress(done);
  }
  // A trailing hole exists only once the file is extended over it.
  if (pending_hole && ::ftruncate(fd, start + static_cast<off_t>(done)) != 0)
    throw_errno("cannot extend the output file");
}

}  // namespace infinitree::stream
