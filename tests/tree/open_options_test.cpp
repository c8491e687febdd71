// What opening promises: compression chosen at open applies from then on and is kept;
// an empty store is "no tree", a wrong password on a store with a tree is "wrong
// credentials".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "infinitree/tree.hpp"
#include "test_util.hpp"
#include "tree/tree_core.hpp"

using namespace infinitree;

namespace {
OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}
// The choice recorded in the sealed root, read through the tree's internals (the public
// Tree does not expose them).
uint8_t recorded_compression(const std::shared_ptr<Backend>& b) {
  auto o = fast();
  o.read_only = true;
  auto core = detail::TreeCore::open(b, Credential::password("u", "p", o.kdf), o);
  uint8_t recorded = core->root_record().compression;
  core->close();
  return recorded;
}
}  // namespace

TEST(OpenOptions, CompressionSetAtOpenAppliesFromThenOnAndIsKept) {
  auto b = make_memory_backend();
  Tree::create(b, "u", "p", fast())->close();
  EXPECT_EQ(recorded_compression(b), static_cast<uint8_t>(CompressionMethod::lz4));
  {
    auto o = fast();
    o.compression = CompressionMethod::zstd;
    auto t = Tree::open(b, "u", "p", o);
    t->map("m").put("k", std::string(5000, 'z'));
    t->commit("zstd from now on");
  }
  EXPECT_EQ(recorded_compression(b), static_cast<uint8_t>(CompressionMethod::zstd));
  {
    auto t = Tree::open(b, "u", "p", fast());  // unset: the tree's choice
    t->map("m").put("k2", "v");
    t->commit("still zstd");
  }
  EXPECT_EQ(recorded_compression(b), static_cast<uint8_t>(CompressionMethod::zstd));
  auto o = fast();
  o.read_only = true;
  EXPECT_EQ(*Tree::open(b, "u", "p", o)->map("m").get("k"), std::string(5000, 'z'));
}

TEST(OpenOptions, EmptyStoreIsNoTreeAndAWrongPasswordIsWrongCredentials) {
  auto b = make_memory_backend();
  try {
    Tree::open(b, "u", "p", fast());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::not_found) << e.what();
  }
  Tree::create(b, "u", "p", fast())->close();
  try {
    Tree::open(b, "u", "wrong", fast());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::wrong_credentials) << e.what();
  }
}

TEST(Verify, ReportsOneDamagedChunkOnceEvenWhenManyCommitsShareIt) {
  infinitree::testing::ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto random = infinitree::testing::random_data(3000);
  {
    auto t = Tree::create(b, "u", "p", fast());
    // A spilled value (incompressible): one storage chunk at offset 0 of a storage object.
    t->map("m").put("big", std::string(random.begin(), random.end()));
    t->commit("c1");
    for (int i = 0; i < 3; ++i) {
      t->map("m").put("small" + std::to_string(i), "s");
      t->commit("c");  // every commit shares the spilled chunk
    }
  }
  auto o = fast();
  o.read_only = true;
  int storage_hits = 0;
  for (auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file() || entry.path().filename().string().size() != 64) continue;
    auto flip = [&] {
      std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
      f.seekg(100);
      char c = static_cast<char>(f.get());
      f.seekp(100);
      f.put(static_cast<char>(c ^ 0x40));
    };
    flip();
    std::vector<std::string> problems;
    bool opened = true;
    Tree::VerifyReport report;
    try {
      auto t = Tree::open(b, "u", "p", o);
      report = t->verify([&](const std::string& p) { problems.push_back(p); });
    } catch (const Error& e) {
      opened = false;  // the root object: its sealed header starts at 0
      EXPECT_EQ(e.code(), Errc::corrupt);
    }
    flip();  // restore
    if (!opened || problems.empty()) continue;  // bytes 100.. of an index object: its random header
    ++storage_hits;
    EXPECT_EQ(problems.size(), 1u) << "one damaged chunk, shared by 4 commits, reported " << problems.size()
                                   << " times; first: " << problems.front();
    EXPECT_EQ(report.problems, 1u);
  }
  EXPECT_EQ(storage_hits, 1);
}
