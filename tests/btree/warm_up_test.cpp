// BTree::warm_up (warm start): after it, a cold lookup reads one chunk (its leaf) instead of
// one per level; it never reads leaves, keeps to its budget, stops when asked, and skips what
// it cannot read instead of failing.
#include <atomic>
#include <random>

#include "btree_test_util.hpp"
#include "test_util.hpp"

namespace infinitree::btree::testing {
namespace {

std::string key_of(uint64_t i) { return "key" + std::to_string(i * 7919 % 100003); }

BTreeOptions small_nodes() {
  BTreeOptions o;
  o.target_node_bytes = 512;  // a deep tree from few keys
  o.delta_min_base = 1000;     // and delta layers over it (the default waits for 16 k keys)
  return o;
}

// A version of `n` keys, flushed, and a reader's fresh store (nothing cached).
struct Version {
  StoreFixture fx;
  std::optional<ChunkPointer> root;
  explicit Version(size_t n, size_t delta_batches = 0) {
    BTree t(fx.store, fx.cache, std::nullopt, small_nodes());
    for (uint64_t i = 0; i < n; ++i) t.put(key_of(i), "value" + std::to_string(i));
    root = t.flush();
    // Later small batches of changes become delta layers over the base.
    for (size_t b = 0; b < delta_batches; ++b) {
      BTree d(fx.store, fx.cache, root, small_nodes());
      for (uint64_t i = 0; i < 5; ++i) d.put(key_of(i * 101 + b), "changed" + std::to_string(b));
      root = d.flush();
    }
    fx.store->flush();
  }
};

// Chunks a lookup of each key reads from `store`, largest first.
uint64_t max_reads_per_lookup(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                              const std::optional<ChunkPointer>& root, size_t lookups) {
  BTree reader(store, cache, root, small_nodes());
  uint64_t worst = 0;
  std::mt19937_64 rng(3);
  for (size_t i = 0; i < lookups; ++i) {
    uint64_t before = store->stats().chunks_read;
    uint64_t k = rng() % 3000;
    EXPECT_EQ(reader.get(key_of(k)).has_value(), true) << k;
    worst = std::max(worst, store->stats().chunks_read - before);
  }
  return worst;
}

TEST(WarmUp, ColdLookupsThenReadOnlyTheirLeaf) {
  Version v(3000);
  {
    BTree probe(v.fx.store, v.fx.cache, v.root, small_nodes());
    ASSERT_GE(probe.depth(), 3u) << "the test needs inner nodes below the root";
  }
  // Without warm-up the first lookup reads a chunk per level.
  auto cold_store = v.fx.reopen_store();
  auto cold_cache = std::make_shared<NodeCache>(64 << 20);
  EXPECT_GE(max_reads_per_lookup(cold_store, cold_cache, v.root, 1), 3u);

  auto store = v.fx.reopen_store();
  auto cache = std::make_shared<NodeCache>(64 << 20);
  size_t nodes = BTree::warm_up(store, cache, {*v.root}, 100000, 4);
  EXPECT_GT(nodes, 1u);
  // Exactly the inner nodes were read: as many chunks as nodes, and no leaf (a lookup of
  // any key still reads exactly one chunk: its leaf).
  EXPECT_EQ(store->stats().chunks_read, nodes);
  EXPECT_EQ(max_reads_per_lookup(store, cache, v.root, 200), 1u);
}

TEST(WarmUp, KeepsToItsBudgetTopLevelsFirst) {
  Version v(3000);
  auto store = v.fx.reopen_store();
  auto cache = std::make_shared<NodeCache>(64 << 20);
  EXPECT_EQ(BTree::warm_up(store, cache, {*v.root}, 1, 2), 1u);  // the root only
  EXPECT_EQ(store->stats().chunks_read, 1u);
  auto store3 = v.fx.reopen_store();
  EXPECT_EQ(BTree::warm_up(store3, std::make_shared<NodeCache>(64 << 20), {*v.root}, 3, 2), 3u);
  EXPECT_EQ(BTree::warm_up(store, cache, {}, 100, 2), 0u);
}

TEST(WarmUp, ReadsEveryLayerOfAVersionWithDeltas) {
  Version v(3000, /*delta_batches=*/2);
  auto store = v.fx.reopen_store();
  auto cache = std::make_shared<NodeCache>(64 << 20);
  BTree::warm_up(store, cache, {*v.root}, 100000, 2);
  BTree reader(store, cache, v.root, small_nodes());
  ASSERT_GE(reader.delta_count(), 1u);
  // The base answers with its leaf; a delta that may hold the key (its filter says so) adds
  // at most its own leaf and filter.
  EXPECT_LE(max_reads_per_lookup(store, cache, v.root, 200), 1u + 2 * reader.delta_count());
}

TEST(WarmUp, StopsWhenAskedAndSkipsWhatItCannotRead) {
  Version v(3000);
  std::atomic<bool> stop{true};
  auto store = v.fx.reopen_store();
  EXPECT_EQ(BTree::warm_up(store, std::make_shared<NodeCache>(64 << 20), {*v.root}, 100, 2, &stop), 0u);
  EXPECT_EQ(store->stats().chunks_read, 0u);

  // A damaged root: nothing is read, and nothing is thrown (the lookup reports it).
  corrupt_chunk(*v.fx.backend, *v.root);
  auto damaged = v.fx.reopen_store();
  EXPECT_EQ(BTree::warm_up(damaged, std::make_shared<NodeCache>(64 << 20), {*v.root}, 100, 2), 0u);
  BTree reader(damaged, std::make_shared<NodeCache>(64 << 20), v.root, small_nodes());
  EXPECT_THROW(reader.get(key_of(1)), Error);
}

}  // namespace
}  // namespace infinitree::btree::testing
