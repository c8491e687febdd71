// Streams stored in a tree: round trip through commits, dedup across commits, verify.
#include <gtest/gtest.h>

#include <filesystem>
#include <algorithm>
#include <fstream>

#include "infinitree/tree.hpp"
#include "test_util.hpp"

using namespace infinitree;

namespace {
OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}
std::string data_of(size_t n, uint32_t seed) {
  auto b = infinitree::testing::random_data(n);
  (void)seed;
  return std::string(b.begin(), b.end());
}
}  // namespace

TEST(TreeStreams, RoundTripDedupAndVerify) {
  infinitree::testing::ScratchDir dir;
  std::string file = data_of(9 << 20, 1);
  {
    auto t = Tree::create(make_directory_backend(dir.path()), "u", "p", fast());
    auto w = t->create_stream();
    for (size_t off = 0; off < file.size(); off += 100000) w->write(std::string_view(file).substr(off, 100000));
    std::string ref = w->finish();
    EXPECT_TRUE(is_stream_ref(ref));
    EXPECT_FALSE(is_stream_ref("not a ref"));
    EXPECT_LT(ref.size(), 1024u);
    t->map("files").put("a.bin", ref);
    t->commit("a");
  }
  {
    auto t = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
    auto r = t->open_stream(*t->map("files").get("a.bin"));
    EXPECT_EQ(r->size(), file.size());
    EXPECT_EQ(r->read_all(), file);
    std::string part(1000, '\0');
    r->seek(5'000'000);
    EXPECT_EQ(r->read(part.data(), part.size()), part.size());
    EXPECT_EQ(part, file.substr(5'000'000, 1000));
    // The same content again, in a later commit: nothing new is stored.
    auto w = t->create_stream();
    w->write(file);
    std::string ref2 = w->finish();
    EXPECT_EQ(w->stats().chunks_new, 0u);
    EXPECT_GT(w->stats().chunks, 1u);
    // A small edit in the middle changes only the chunks near it.
    std::string edited = file;
    edited.insert(4'500'000, "an insertion");
    auto w3 = t->create_stream();
    w3->write(edited);
    t->map("files").put("b.bin", w3->finish());
    EXPECT_LE(w3->stats().chunks_new, 2u);
    t->commit("b");
    auto report = t->verify([](const std::string& p) { ADD_FAILURE() << p; });
    EXPECT_EQ(report.problems, 0u);
    EXPECT_EQ(report.commits, 2u);
    EXPECT_GT(report.chunks, 5u);
  }
  // Damage one object: verify reports it, and says where.
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir.path()))
    if (e.is_regular_file() && e.path().filename().string().size() == 64) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  int damaged_reports = 0;
  for (auto& f : files) {
    std::fstream io(f, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(4096 + 10);
    io.put('\x5a');
    io.seekp(200000);
    io.put('\x5a');
  }
  try {
    auto t = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
    auto report = t->verify([&](const std::string&) { ++damaged_reports; });
    EXPECT_GT(report.problems, 0u);
    EXPECT_EQ(static_cast<uint64_t>(damaged_reports), report.problems);
  } catch (const Error& e) {
    // Damage to the root or the commit index is reported when opening.
    EXPECT_TRUE(e.code() == Errc::corrupt) << e.what();
  }
}

TEST(TreeStreams, ReadOnlyAndClosedTrees) {
  auto backend = make_memory_backend();
  auto t = Tree::create(backend, "u", "p", fast());
  auto w = t->create_stream();
  w->write("hello");
  std::string ref = w->finish();
  EXPECT_THROW(w->write("more"), Error);
  t->map("f").put("x", ref);
  t->commit("c");
  auto r = t->open_stream(ref);
  t->close();
  try {
    r->read_all();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::closed);
  }
  auto ro = Tree::open(backend, "u", "p", [] { auto o = fast(); o.read_only = true; return o; }());
  EXPECT_EQ(ro->open_stream(*ro->map("f").get("x"))->read_all(), "hello");
  try {
    ro->create_stream();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::read_only);
  }
  try {
    ro->open_stream("garbage");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::corrupt);
  }
}
