// Tuple keys as an ordered item space: moving from any position, and whole-subspace
// deletes that drop B-tree subtrees instead of visiting keys (counted in node writes).
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "infinitree/key_codec.hpp"
#include "infinitree/tree.hpp"
#include "infinitree/tuple_space.hpp"

using namespace infinitree;

namespace {
OpenOptions fast(size_t node_bytes = 0) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = node_bytes;
  return o;
}
std::string k3(const std::string& a, int64_t b, int64_t c) {
  return keys::encode(std::tuple{a, b, c});
}
}  // namespace

TEST(TupleSpace, CursorMovesFromAnyPositionAndSubspacesCount) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", fast(256));
  auto m = tree->map("items");
  std::map<std::string, std::string> model;
  for (const char* who : {"ann", "bob", "cy"})
    for (int64_t i = 0; i < 40; ++i)
      for (int64_t j = 0; j < 3; ++j) {
        m.put(k3(who, i, j), std::to_string(i * 3 + j));
        model[k3(who, i, j)] = std::to_string(i * 3 + j);
      }
  std::string bob = keys::encode(std::string("bob"));
  EXPECT_EQ(count_subspace(m, bob), 120u);
  EXPECT_EQ(count_subspace(m, bob + keys::encode(int64_t{7})), 3u);
  auto c = subspace_cursor(m, bob);
  // first/last are the subspace's ends, seek lands inside it, next/prev walk it both ways.
  EXPECT_EQ(c.key(), k3("bob", 0, 0));
  c.last();
  EXPECT_EQ(c.key(), k3("bob", 39, 2));
  c.seek(bob + keys::encode(int64_t{20}));
  EXPECT_EQ(c.key(), k3("bob", 20, 0));
  c.prev();
  EXPECT_EQ(c.key(), k3("bob", 19, 2));
  c.seek_for_prev(k3("bob", 25, 1) + "\x01");
  EXPECT_EQ(c.key(), k3("bob", 25, 1));
  auto it = model.find(c.key());
  for (int i = 0; i < 40; ++i, ++it) {
    ASSERT_EQ(c.key(), it->first);
    ASSERT_EQ(c.value(), it->second);
    c.next();
  }
  c.last();
  c.next();
  EXPECT_FALSE(c.valid());  // past the subspace, even though "cy" follows in the map
}

TEST(TupleSpace, EraseSubspaceRemovesExactlyThePrefix) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", fast(256));
  auto m = tree->map("items");
  std::map<std::string, std::string> model;
  std::mt19937 rng(3);
  for (int i = 0; i < 3000; ++i) {
    auto k = k3(std::string(1, static_cast<char>('a' + rng() % 4)), rng() % 50, rng() % 9);
    m.put(k, "v");
    model[k] = "v";
  }
  tree->commit("fill");
  std::string prefix = keys::encode(std::string("b")) + keys::encode(int64_t{10});
  uint64_t expected = 0;
  for (auto it = model.begin(); it != model.end();)
    if (it->first.starts_with(prefix)) it = model.erase(it), ++expected;
    else ++it;
  EXPECT_EQ(erase_subspace(m, prefix), expected);
  EXPECT_EQ(m.size(), model.size());
  auto c = m.cursor();
  for (auto& [k, v] : model) {
    ASSERT_TRUE(c.valid());
    ASSERT_EQ(c.key(), k);
    c.next();
  }
  EXPECT_FALSE(c.valid());
  // The commit before is untouched.
  auto head = tree->head();
  uint64_t committed = model.size() + expected;
  EXPECT_EQ(erase_subspace(m, ""), model.size());
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(tree->checkout(head->id)->map("items").size(), committed);
}

TEST(TupleSpace, EraseSubspaceWritesLogarithmicallyManyNodes) {
  // 300k keys in 3 subspaces; deleting the middle one (100k keys) must write only the
  // nodes on its two boundary paths, not one per removed leaf.
  auto tree = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = tree->map("items");
  constexpr int64_t kPer = 100000;
  for (const char* s : {"a", "b", "c"})
    for (int64_t i = 0; i < kPer; ++i) m.put(keys::encode(std::tuple{std::string(s), i}), "value");
  tree->commit("fill");
  uint64_t before = tree->stats().chunks_written;
  EXPECT_EQ(erase_subspace(m, keys::encode(std::string("b"))), uint64_t(kPer));
  tree->commit("drop b");
  uint64_t nodes = tree->stats().chunks_written - before;
  // Leaves hold ~100 keys here: one write per removed leaf would be ~1000.
  EXPECT_LT(nodes, 40u) << "chunks written by the commit after the subspace delete";
  std::cout << "subspace delete of " << kPer << " keys: " << nodes << " chunks written\n";
  EXPECT_EQ(m.size(), uint64_t(2 * kPer));
  EXPECT_EQ(count_subspace(m, keys::encode(std::string("c"))), uint64_t(kPer));
}
