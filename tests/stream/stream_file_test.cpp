// Streams from and to file descriptors: bit-exact, sparse files stay sparse, pipes work.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "stream/stream_file.hpp"
#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using namespace infinitree::stream::testing;
using infinitree::testing::ScratchDir;

namespace {

Bytes slurp(const std::filesystem::path& p) {
  Bytes out(std::filesystem::file_size(p));
  std::ifstream in(p, std::ios::binary);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return out;
}

struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) { EXPECT_GE(fd, 0) << std::strerror(errno); }
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

TEST(StreamFile, SparseFileRoundTripsAndStaysSparse) {
  ScratchDir dir;
  const auto src = dir.path() / "sparse.bin";
  const size_t size = 48 * 1024 * 1024;
  Bytes island = pseudo_random(300000, 1);
  {
    Fd f(::open(src.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644));
    ASSERT_EQ(::pwrite(f.fd, island.data(), island.size(), 20 * 1024 * 1024 + 5),
              static_cast<ssize_t>(island.size()));
    ASSERT_EQ(::ftruncate(f.fd, size), 0);
  }
  TestStore t;
  StreamWriter w(t.store, t.index);
  uint64_t last_progress = 0;
  {
    Fd f(::open(src.c_str(), O_RDONLY));
    EXPECT_EQ(copy_fd_to_stream(f.fd, w, [&](uint64_t n) { last_progress = n; }), size);
  }
  EXPECT_EQ(last_progress, size);
  StreamRef ref = w.finish();
  EXPECT_LE(w.stats().chunks_new, 6u);  // zeros dedup to one chunk; the island and its edges

  const auto out = dir.path() / "restored.bin";
  {
    Fd f(::open(out.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644));
    StreamReader r(t.store, ref);
    copy_stream_to_fd(r, f.fd);
  }
  EXPECT_EQ(slurp(out), slurp(src));
  struct stat a {}, b {};
  ASSERT_EQ(::stat(src.c_str(), &a), 0);
  ASSERT_EQ(::stat(out.c_str(), &b), 0);
  EXPECT_EQ(b.st_size, static_cast<off_t>(size));
  // Only where the file system keeps holes at all (the source is sparse) is the copy too.
  if (static_cast<uint64_t>(a.st_blocks) * 512 < size / 2) {
    EXPECT_LT(static_cast<uint64_t>(b.st_blocks) * 512, size / 2);
  }
}

TEST(StreamFile, TrailingZerosAndPipes) {
  TestStore t;
  Bytes data = pseudo_random(2 * 1024 * 1024, 2);
  data.resize(data.size() + 3 * 1024 * 1024, 0);  // ends in a hole
  StreamRef ref = write_stream(t.store, t.index, data);

  ScratchDir dir;
  const auto out = dir.path() / "tail.bin";
  {
    Fd f(::open(out.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644));
    StreamReader r(t.store, ref);
    copy_stream_to_fd(r, f.fd);
  }
  EXPECT_EQ(slurp(out), data);

  // Through a pipe: no seeking, zeros are written; a reader thread drains it.
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  Bytes got;
  std::thread drain([&] {
    uint8_t buf[65536];
    ssize_t n;
    while ((n = ::read(p[0], buf, sizeof buf)) > 0) got.insert(got.end(), buf, buf + n);
    ::close(p[0]);
  });
  {
    StreamReader r(t.store, ref);
    copy_stream_to_fd(r, p[1]);
    ::close(p[1]);
  }
  drain.join();
  EXPECT_EQ(got, data);
}

TEST(StreamFile, ReadErrorsAreErrors) {
  TestStore t;
  StreamWriter w(t.store, t.index);
  ScratchDir dir;
  Fd f(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
  EXPECT_NE(error_of([&] { copy_fd_to_stream(f.fd, w); }), Errc::ok);  // EISDIR
  EXPECT_NE(error_of([&] { copy_fd_to_stream(-1, w); }), Errc::ok);     // EBADF
}
