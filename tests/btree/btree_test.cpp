// Behaviour of the B-tree beyond the model test: empty trees, spilled values, limits,
// damaged and missing chunks, what flush writes, bulk load, reachable, diff costs.
#include <algorithm>
#include <set>

#include "btree/node_codec.hpp"
#include "btree/value_spill.hpp"
#include "btree_test_util.hpp"
#include "test_util.hpp"

namespace infinitree::btree::testing {
namespace {

std::string k8(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key%08llu", static_cast<unsigned long long>(i));
  return buf;
}

std::optional<ChunkPointer> build(StoreFixture& fx, size_t n, BTreeOptions opt = {}, size_t vlen = 20,
                                  bool random_values = false) {
  BTree t(fx.store, fx.cache, std::nullopt, opt);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (uint64_t i : order)
    t.put(k8(i), random_values ? random_bytes_string(rng, vlen) : std::string(vlen, static_cast<char>('a' + i % 26)));
  return t.flush();
}

TEST(BTree, EmptyTree) {
  StoreFixture fx;
  BTree t(fx.store, fx.cache, std::nullopt);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.depth(), 0u);
  EXPECT_FALSE(t.get("a"));
  EXPECT_FALSE(t.contains(""));
  EXPECT_FALSE(t.erase("a"));
  EXPECT_EQ(t.erase_range(std::nullopt, std::nullopt), 0u);
  EXPECT_FALSE(t.dirty());
  EXPECT_EQ(t.flush(), std::nullopt);
  Cursor c = t.cursor();
  c.seek_to_first();
  EXPECT_FALSE(c.valid());
  c.seek_to_last();
  EXPECT_FALSE(c.valid());
  EXPECT_THROW(c.key(), Error);
  int calls = 0;
  BTree::diff(fx.store, fx.cache, std::nullopt, std::nullopt,
              [&](std::string_view, const std::optional<std::string>&, const std::optional<std::string>&) { ++calls; });
  EXPECT_EQ(calls, 0);
  // Emptying a tree flushes to the empty root again.
  t.put("x", "1");
  EXPECT_TRUE(t.dirty());
  ASSERT_TRUE(t.flush());
  EXPECT_TRUE(t.erase("x"));
  EXPECT_EQ(t.flush(), std::nullopt);
  EXPECT_EQ(t.size(), 0u);
}

TEST(BTree, EmptyKeyAndBinaryKeysSortBytewise) {
  StoreFixture fx;
  BTree t(fx.store, fx.cache, std::nullopt);
  std::vector<std::string> keys = {std::string(), std::string("\x00", 1), std::string("\x00\x00", 2), "a",
                                   "a\xff", "\x7f", "\x80", "\xff", "\xff\xff"};
  for (const auto& k : keys) t.put(k, "v" + k);
  auto root = t.flush();
  BTree r(fx.reopen_store(), std::make_shared<NodeCache>(1 << 20), root);
  std::vector<std::string> got;
  r.scan(std::nullopt, std::nullopt, [&](std::string_view k, std::string_view v) {
    EXPECT_EQ(v, "v" + std::string(k));
    got.emplace_back(k);
    return true;
  });
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(got, keys);
  EXPECT_EQ(*r.get(""), "v");
}

TEST(BTree, SpilledValuesRoundTrip) {
  StoreFixture fx;
  BTree t(fx.store, fx.cache, std::nullopt);
  std::mt19937_64 rng(3);
  std::string small = random_bytes_string(rng, 1024);        // at the inline limit: inline
  std::string medium = random_bytes_string(rng, 1025);       // one piece
  std::string big = random_bytes_string(rng, 3 * kSpillPieceBytes + 17);   // direct pieces
  std::string huge = random_bytes_string(rng, 6 * kSpillPieceBytes + 5);   // pointer list chunk
  t.put("a", small);
  t.put("b", medium);
  t.put("c", big);
  t.put("d", huge);
  EXPECT_EQ(*t.get("d"), huge);
  auto root = t.flush();
  auto store2 = fx.reopen_store();
  BTree r(store2, std::make_shared<NodeCache>(1 << 20), root);
  EXPECT_EQ(*r.get("a"), small);
  EXPECT_EQ(*r.get("b"), medium);
  EXPECT_EQ(*r.get("c"), big);
  EXPECT_EQ(*r.get("d"), huge);
  Cursor c = r.cursor();
  c.seek("c");
  EXPECT_TRUE(c.value_spilled());
  EXPECT_EQ(c.value(), big);
  std::map<std::string, size_t> sizes;
  r.scan(std::nullopt, std::nullopt, [&](std::string_view k, std::string_view v) {
    sizes[std::string(k)] = v.size();
    return true;
  });
  EXPECT_EQ(sizes["d"], huge.size());
  EXPECT_TRUE(r.compare_and_swap("c", big, std::string("tiny")));
  EXPECT_FALSE(r.compare_and_swap("d", big, std::string("x")));
  EXPECT_EQ(*r.get("c"), "tiny");
  // Overwriting with an equal-content spilled value is not reported by diff.
  BTree w(fx.store, fx.cache, root);
  w.put("d", huge);
  w.put("b", medium + "!");
  auto root2 = w.flush();
  std::vector<std::string> changed;
  BTree::diff(fx.store, fx.cache, root, root2,
              [&](std::string_view k, const std::optional<std::string>& o, const std::optional<std::string>& n) {
                changed.emplace_back(k);
                EXPECT_EQ(*o, medium);
                EXPECT_EQ(*n, medium + "!");
              });
  EXPECT_EQ(changed, std::vector<std::string>{"b"});
}

TEST(BTree, SizeLimits) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.max_value_bytes = 5000;
  BTree t(fx.store, fx.cache, std::nullopt, opt);
  std::string max_key(kMaxKeySize, 'k');
  t.put(max_key, "ok");
  t.put(max_key + "", "ok2");
  EXPECT_EQ(*t.get(max_key), "ok2");
  std::string long_key(kMaxKeySize + 1, 'k');
  auto code = [](auto&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return Errc::ok;
  };
  EXPECT_EQ(code([&] { t.put(long_key, "x"); }), Errc::too_large);
  EXPECT_EQ(code([&] { t.put_if_absent(long_key, "x"); }), Errc::too_large);
  EXPECT_EQ(code([&] { t.compare_and_swap(long_key, std::nullopt, std::string("x")); }), Errc::too_large);
  EXPECT_FALSE(t.erase(long_key));
  EXPECT_FALSE(t.get(long_key));
  t.put("v", std::string(5000, 'v'));
  EXPECT_EQ(code([&] { t.put("v", std::string(5001, 'v')); }), Errc::too_large);
  EXPECT_EQ(code([&] { t.compare_and_swap("v", std::nullopt, std::string(5001, 'v')); }), Errc::too_large);
  EXPECT_EQ(t.get("v")->size(), 5000u);
  // Many maximal keys still make a valid tree (nodes may exceed the target).
  for (int i = 0; i < 20; ++i) t.put(std::string(kMaxKeySize - 1, 'k') + static_cast<char>('a' + i), "x");
  auto root = t.flush();
  EXPECT_EQ(check_invariants(*fx.store, fx.cache.get(), root), t.size());
}

TEST(BTree, DefaultValueLimitIsOneGiB) {
  if (!soak()) GTEST_SKIP() << "allocates 1 GiB; runs with INFINITREE_SOAK=1";
  StoreFixture fx;
  BTree t(fx.store, fx.cache, std::nullopt);
  std::string v(size_t{1} << 30, 'z');
  t.put("gig", v);
  EXPECT_EQ(t.get("gig")->size(), v.size());
  v.push_back('z');
  EXPECT_THROW(t.put("gig2", v), Error);
}

TEST(BTree, FlushWritesOnlyThePathOfAChange) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  opt.delta_min_base = UINT64_MAX;  // a plain tree: changes go into the base
  auto root = build(fx, 20000, opt);
  BTree t(fx.store, fx.cache, root, opt);
  uint32_t depth = t.depth();
  ASSERT_GE(depth, 3u);
  auto before = fx.store->stats();
  t.put(k8(12345), "changed");
  auto root2 = t.flush();
  auto after = fx.store->stats();
  EXPECT_EQ(after.chunks_written - before.chunks_written, depth);
  // Nothing dirty: flushing again writes nothing and returns the same root.
  EXPECT_EQ(t.flush(), root2);
  EXPECT_EQ(fx.store->stats().chunks_written, after.chunks_written);
  // The old root still reads the old value.
  BTree old(fx.store, fx.cache, root, opt);
  EXPECT_EQ(*old.get(k8(12345)), std::string(20, static_cast<char>('a' + 12345 % 26)));
  EXPECT_EQ(*t.get(k8(12345)), "changed");
}

// A large tree takes a scattered change as a delta layer: its one leaf and the version's
// layer list, instead of a path per change; a later flush over the delta limit merges it
// into the base, and every version reads as it was.
TEST(BTree, ScatteredChangesToALargeTreeWriteADelta) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  opt.delta_min_base = 1000;
  opt.delta_fraction = 0.01;  // deltas up to 200 entries
  auto root = build(fx, 20000, opt);
  BTree t(fx.store, fx.cache, root, opt);
  auto before = fx.store->stats();
  for (int i = 0; i < 5; ++i) t.put(k8(i * 3001), "changed");
  auto v1 = t.flush();
  // The delta leaf, its key filter and the layer list.
  EXPECT_EQ(fx.store->stats().chunks_written - before.chunks_written, 3u);
  EXPECT_EQ(t.delta_count(), 1u);
  EXPECT_EQ(t.size(), 20000u);
  // Over the limit: everything goes into the base; the version is a plain tree again.
  for (int i = 0; i < 300; ++i) t.put(k8(20000 + i), "new");
  ASSERT_TRUE(t.erase(k8(7)));
  auto v2 = t.flush();
  EXPECT_EQ(t.delta_count(), 0u);
  EXPECT_EQ(check_invariants(*fx.store, fx.cache.get(), v2), 20299u);
  BTree r1(fx.store, fx.cache, v1, opt), r2(fx.store, fx.cache, v2, opt);
  EXPECT_EQ(*r1.get(k8(3001)), "changed");
  EXPECT_TRUE(r1.get(k8(7)));
  EXPECT_FALSE(r1.get(k8(20001)));
  EXPECT_EQ(r1.size(), 20000u);
  EXPECT_EQ(*r2.get(k8(3001)), "changed");
  EXPECT_FALSE(r2.get(k8(7)));
  EXPECT_EQ(*r2.get(k8(20001)), "new");
  EXPECT_EQ(r2.size(), 20299u);
  // diff from the plain root to the layered one reports exactly the changes.
  std::vector<std::string> changed;
  BTree::diff(fx.store, fx.cache, root, v1, [&](std::string_view k, auto&, auto&) { changed.emplace_back(k); });
  EXPECT_EQ(changed.size(), 5u);
}

// A version whose root is a layer list reads one chunk per level of each layer, cold.
TEST(BTree, ColdLookupInALayeredVersionReadsEachLayersPath) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  opt.delta_min_base = 1000;
  auto root = build(fx, 20000, opt);
  BTree t(fx.store, fx.cache, root, opt);
  uint32_t base_depth = t.depth();
  for (int i = 0; i < 50; ++i) t.put(k8(i * 397), "changed");
  auto v = t.flush();
  ASSERT_EQ(t.delta_count(), 1u);
  auto store2 = fx.reopen_store();
  BTree cold(store2, std::make_shared<NodeCache>(64 << 20), v, opt);
  auto r0 = store2->stats().chunks_read;
  EXPECT_TRUE(cold.get(k8(1)));
  // The layer list, the delta's path (one leaf here) and the base's path.
  EXPECT_LE(store2->stats().chunks_read - r0, 1u + 2u + base_depth);
}

TEST(BTree, ColdLookupReadsOneChunkPerLevel) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  auto root = build(fx, 20000, opt);
  auto store2 = fx.reopen_store();
  BTree t(store2, std::make_shared<NodeCache>(64 << 20), root, opt);
  uint64_t r0 = store2->stats().chunks_read;
  EXPECT_TRUE(t.get(k8(777)));
  uint32_t depth = t.depth();
  EXPECT_EQ(store2->stats().chunks_read - r0, depth);
  uint64_t r1 = store2->stats().chunks_read;
  EXPECT_TRUE(t.get(k8(777)));  // warm: no reads
  EXPECT_EQ(store2->stats().chunks_read, r1);
}

TEST(BTree, RollbackReturnsToLastFlush) {
  StoreFixture fx;
  BTree t(fx.store, fx.cache, std::nullopt);
  t.put("a", "1");
  auto r1 = t.flush();
  t.put("b", "2");
  t.erase("a");
  EXPECT_TRUE(t.dirty());
  t.rollback();
  EXPECT_FALSE(t.dirty());
  EXPECT_EQ(t.root(), r1);
  EXPECT_EQ(*t.get("a"), "1");
  EXPECT_FALSE(t.get("b"));
  EXPECT_EQ(t.size(), 1u);
}

TEST(BTree, CursorKeepsItsVersionWhileTheWriterMutates) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 128;
  BTree t(fx.store, fx.cache, std::nullopt, opt);
  for (int i = 0; i < 500; ++i) t.put(k8(i), "old");
  Cursor c = t.cursor();  // over dirty, in-memory nodes
  c.seek(k8(100));
  for (int i = 0; i < 500; i += 2) t.put(k8(i), "new");
  t.erase_range(k8(200), k8(300));
  t.flush();
  for (int i = 0; i < 500; i += 3) t.put(k8(i), "newer");
  int n = 0;
  for (; c.valid(); c.next(), ++n) {
    EXPECT_EQ(c.key(), k8(100 + n));
    EXPECT_EQ(c.value(), "old");
  }
  EXPECT_EQ(n, 400);
  EXPECT_EQ(t.size(), 433u);  // 400 + the 33 keys in [200, 300) put back as "newer"
  EXPECT_EQ(*t.get(k8(3)), "newer");
  EXPECT_EQ(*t.get(k8(2)), "new");
}

TEST(BTree, SequentialInsertsLeaveFullNodes) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 1024;
  BTree t(fx.store, fx.cache, std::nullopt, opt);
  for (int i = 0; i < 20000; ++i) t.put(k8(i), "value-value");
  auto before = fx.store->stats().chunks_written;
  auto root = t.flush();
  uint64_t seq_nodes = fx.store->stats().chunks_written - before;
  before = fx.store->stats().chunks_written;
  int i = 0;
  auto bulk = BTree::bulk_load(fx.store, opt, [&](std::string& k, std::string& v) {
    if (i == 20000) return false;
    k = k8(i++);
    v = "value-value";
    return true;
  });
  uint64_t bulk_nodes = fx.store->stats().chunks_written - before;
  EXPECT_LE(seq_nodes, bulk_nodes * 11 / 10);
  std::vector<std::string> diffs;
  BTree::diff(fx.store, fx.cache, root, bulk,
              [&](std::string_view k, const std::optional<std::string>&, const std::optional<std::string>&) {
                diffs.emplace_back(k);
              });
  EXPECT_TRUE(diffs.empty());
}

TEST(BTree, BulkLoad) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 256;
  opt.inline_value_max = 100;
  std::map<std::string, std::string> model;
  for (int i = 0; i < 5000; ++i) model[k8(i * 3)] = std::string(i % 7 == 0 ? 150 : 10, 'x') + std::to_string(i);
  auto it = model.begin();
  auto root = BTree::bulk_load(fx.store, opt, [&](std::string& k, std::string& v) {
    if (it == model.end()) return false;
    k = it->first;
    v = it->second;
    ++it;
    return true;
  });
  ASSERT_TRUE(root);
  EXPECT_EQ(check_invariants(*fx.store, fx.cache.get(), root), model.size());
  BTree t(fx.store, fx.cache, root, opt);
  EXPECT_EQ(dump(t), model);
  EXPECT_GE(t.depth(), 3u);
  // The loaded tree is an ordinary version: mutate it.
  t.put(k8(1), "new");
  t.erase(k8(3));
  model[k8(1)] = "new";
  model.erase(k8(3));
  auto root2 = t.flush();
  EXPECT_EQ(check_invariants(*fx.store, fx.cache.get(), root2), model.size());
  EXPECT_EQ(dump(t), model);

  // Empty input, single entry, unsorted input.
  EXPECT_EQ(BTree::bulk_load(fx.store, opt, [](std::string&, std::string&) { return false; }), std::nullopt);
  int n = 0;
  auto one = BTree::bulk_load(fx.store, opt, [&](std::string& k, std::string& v) {
    if (n++) return false;
    k = "only";
    v = "1";
    return true;
  });
  EXPECT_EQ(*BTree(fx.store, fx.cache, one).get("only"), "1");
  std::vector<std::string> bad = {"a", "c", "b"};
  size_t j = 0;
  try {
    BTree::bulk_load(fx.store, opt, [&](std::string& k, std::string& v) {
      if (j == bad.size()) return false;
      k = bad[j++];
      v = "x";
      return true;
    });
    FAIL() << "unsorted input accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
  }
}

TEST(BTree, ReachableCoversEveryChunkTheVersionUses) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 256;
  BTree t(fx.store, fx.cache, std::nullopt, opt);
  auto before = fx.store->stats().chunks_written;
  for (int i = 0; i < 2000; ++i) t.put(k8(i), "v");
  t.put("big", std::string(5 * kSpillPieceBytes, 'b'));  // list chunk + 5 pieces
  auto root = t.flush();
  uint64_t written = fx.store->stats().chunks_written - before;
  std::set<std::pair<std::string, uint32_t>> seen;
  size_t storage = 0;
  BTree::reachable(fx.store, fx.cache, root, [&](const ChunkPointer& p) {
    EXPECT_TRUE(seen.insert({p.object.hex(), p.offset}).second) << "reported twice";
    if (p.kind == ChunkKind::storage) ++storage;
  });
  EXPECT_EQ(storage, 5u);
  EXPECT_EQ(seen.size(), written);  // a fresh tree uses everything it wrote
  // A later version shares most chunks with this one.
  t.put(k8(5), "changed");
  auto root2 = t.flush();
  size_t shared = 0, total2 = 0;
  BTree::reachable(fx.store, fx.cache, root2, [&](const ChunkPointer& p) {
    ++total2;
    shared += seen.count({p.object.hex(), p.offset});
  });
  EXPECT_EQ(total2 - shared, t.depth());
}

TEST(BTree, DiffSkipsSharedSubtrees) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  auto root = build(fx, 20000, opt);
  BTree t(fx.store, fx.cache, root, opt);
  t.put(k8(100), "x");
  t.erase(k8(15000));
  t.put("zzz", "new");
  auto root2 = t.flush();
  auto store2 = fx.reopen_store();
  auto nocache = std::make_shared<NodeCache>(0);
  uint64_t r0 = store2->stats().chunks_read;
  std::vector<std::string> got;
  BTree::diff(store2, nocache, root, root2,
              [&](std::string_view k, const std::optional<std::string>& o, const std::optional<std::string>& n) {
                got.push_back(std::string(k) + ":" + (o ? "o" : "-") + (n ? "n" : "-"));
              });
  EXPECT_EQ(got, (std::vector<std::string>{k8(100) + ":on", k8(15000) + ":o-", "zzz:-n"}));
  uint64_t reads = store2->stats().chunks_read - r0;
  // Three changed paths in each version, far from the ~1000 nodes of the tree.
  EXPECT_LE(reads, 2u * 3u * t.depth() + 4u);
  // Identical roots: nothing read at all.
  r0 = store2->stats().chunks_read;
  BTree::diff(store2, nocache, root2, root2,
              [&](std::string_view, const std::optional<std::string>&, const std::optional<std::string>&) {
                ADD_FAILURE();
              });
  EXPECT_EQ(store2->stats().chunks_read, r0);
  // Against the empty version: everything is added.
  uint64_t added = 0;
  BTree::diff(store2, nocache, std::nullopt, root2,
              [&](std::string_view, const std::optional<std::string>& o, const std::optional<std::string>& n) {
                EXPECT_FALSE(o);
                EXPECT_TRUE(n);
                ++added;
              });
  EXPECT_EQ(added, t.size());
}

TEST(BTree, EraseRangeDropsWholeSubtreesUnread) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  auto root = build(fx, 20000, opt);
  auto store2 = fx.reopen_store();
  BTree t(store2, std::make_shared<NodeCache>(0), root, opt);
  uint64_t r0 = store2->stats().chunks_read;
  EXPECT_EQ(t.count_range(k8(1000), k8(19000)), 18000u);
  r0 = store2->stats().chunks_read;
  EXPECT_EQ(t.erase_range(k8(1000), k8(19000)), 18000u);
  EXPECT_LE(store2->stats().chunks_read - r0, 8u * t.depth() + 8u);
  EXPECT_EQ(t.size(), 2000u);
  auto root2 = t.flush();
  EXPECT_EQ(check_invariants(*store2, nullptr, root2), 2000u);
  EXPECT_EQ(*t.get(k8(999)), std::string(20, static_cast<char>('a' + 999 % 26)));
  EXPECT_FALSE(t.get(k8(1000)));
  EXPECT_TRUE(t.get(k8(19000)));
  EXPECT_EQ(t.count_range(std::nullopt, k8(1000)), 1000u);
  EXPECT_EQ(t.erase_range(std::nullopt, std::nullopt), 2000u);
  EXPECT_EQ(t.flush(), std::nullopt);
}

using ::infinitree::testing::error_of;

// Key filters: no false negatives; a bad filter chunk is `corrupt`, never a crash.
TEST(BTree, KeyFilterRoundTripsAndRejectsBadBytes) {
  std::vector<uint64_t> hashes;
  for (int i = 0; i < 5000; ++i) hashes.push_back(KeyFilter::hash(k8(i)));
  Bytes bytes = KeyFilter::build(hashes);
  auto f = KeyFilter::decode(bytes);
  for (uint64_t h : hashes) EXPECT_TRUE(f->may_contain(h));
  int false_positives = 0;
  for (int i = 5000; i < 15000; ++i) false_positives += f->may_contain(KeyFilter::hash(k8(i)));
  EXPECT_LT(false_positives, 500);  // ~1% expected; 5% would mean a broken filter
  for (size_t cut = 0; cut < bytes.size(); cut += 97) {
    Bytes trunc(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(cut));
    EXPECT_EQ(error_of([&] { KeyFilter::decode(trunc); }), Errc::corrupt);
  }
  Bytes wrong_tag = bytes;
  wrong_tag[1] = 0x01;  // node type 1 instead of 3
  EXPECT_EQ(error_of([&] { KeyFilter::decode(wrong_tag); }), Errc::corrupt);
}

// The leftmost leaf of a version.
ChunkPointer leftmost_leaf(ChunkStore& store, ChunkPointer p) {
  while (true) {
    ConstNodePtr n = load_node(store, nullptr, p, kAnyLevel);
    if (n->leaf()) return p;
    p = n->kids[0].ptr;
  }
}

TEST(BTree, CorruptNodeFailsOnlyOperationsThatNeedIt) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  auto root = build(fx, 5000, opt);
  fx.store->flush();
  ChunkPointer leaf = leftmost_leaf(*fx.store, *root);
  corrupt_chunk(*fx.backend, leaf);
  auto store2 = fx.reopen_store();
  BTree t(store2, std::make_shared<NodeCache>(8 << 20), root, opt);
  // Reads that avoid the damaged leaf work.
  EXPECT_EQ(t.size(), 5000u);
  EXPECT_TRUE(t.get(k8(4000)));
  EXPECT_EQ(t.count_range(k8(2000), k8(3000)), 1000u);
  int n = 0;
  t.scan(k8(100), k8(200), [&](std::string_view, std::string_view) { return ++n, true; });
  EXPECT_EQ(n, 100);
  // Reads that need it fail with a clear code, every time.
  EXPECT_EQ(error_of([&] { t.get(k8(0)); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { t.get(k8(1)); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { t.scan(std::nullopt, std::nullopt, [](auto, auto) { return true; }); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] {
              Cursor c = t.cursor();
              c.seek_to_first();
            }),
            Errc::corrupt);
  // Reverse iteration from the end stops working only when it reaches the leaf.
  Cursor c = t.cursor();
  c.seek(k8(50));
  EXPECT_EQ(error_of([&] { c.seek(k8(0)); }), Errc::corrupt);
  EXPECT_FALSE(c.valid());
  // Writes elsewhere work and flush; writes into the leaf fail and leave the tree usable.
  t.put(k8(4500), "new");
  EXPECT_EQ(error_of([&] { t.put(k8(0), "x"); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { t.erase(k8(1)); }), Errc::corrupt);
  EXPECT_EQ(*t.get(k8(4500)), "new");
  auto root2 = t.flush();
  BTree t2(store2, std::make_shared<NodeCache>(8 << 20), root2, opt);
  EXPECT_EQ(*t2.get(k8(4500)), "new");
  EXPECT_EQ(error_of([&] { t2.get(k8(0)); }), Errc::corrupt);
  // diff between the versions skips the damaged (shared) leaf.
  int changes = 0;
  BTree::diff(store2, nullptr, root, root2,
              [&](std::string_view, const std::optional<std::string>&, const std::optional<std::string>&) { ++changes; });
  EXPECT_EQ(changes, 1);
}

TEST(BTree, MissingObjectFailsOnlyOperationsThatNeedIt) {
  StoreFixture fx;
  BTreeOptions opt;
  // ~6 MiB of nodes: the leftmost leaves land in the first index object, the root and
  // the rightmost leaves in a later one.
  auto root = build(fx, 60000, opt, 100, true);
  fx.store->flush();
  ChunkPointer leaf = leftmost_leaf(*fx.store, *root);
  ASSERT_NE(leaf.object, root->object);
  fx.backend->delete_object(leaf.object);
  auto store2 = fx.reopen_store();
  BTree t(store2, std::make_shared<NodeCache>(64 << 20), root, opt);
  EXPECT_EQ(t.size(), 60000u);
  EXPECT_TRUE(t.get(k8(59999)));
  EXPECT_EQ(error_of([&] { t.get(k8(0)); }), Errc::object_missing);
  Cursor c = t.cursor();
  c.seek_to_last();
  EXPECT_EQ(c.key(), k8(59999));
  // A spilled value whose storage chunk is missing fails only for that key.
  BTree w(fx.store, fx.cache, std::nullopt);
  w.put("big", std::string(3000, 'b'));
  w.put("small", "s");
  auto r2 = w.flush();
  fx.store->flush();
  ConstNodePtr n = load_node(*fx.store, nullptr, *r2, 0);
  SpillDescriptor d = parse_spill(n->value_bytes(0));
  fx.backend->delete_object(d.pieces.at(0).object);
  BTree r(fx.reopen_store(), std::make_shared<NodeCache>(1 << 20), r2);
  EXPECT_EQ(*r.get("small"), "s");
  EXPECT_TRUE(r.contains("big"));
  EXPECT_EQ(error_of([&] { r.get("big"); }), Errc::object_missing);
}

TEST(NodeCodec, RejectsGarbageWithoutCrashing) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  opt.inline_value_max = 30;
  BTree t(fx.store, fx.cache, std::nullopt, opt);
  for (int i = 0; i < 300; ++i) t.put(k8(i), std::string(i % 10 == 0 ? 40 : 5, 'v'));
  auto root = t.flush();
  ConstNodePtr inner = load_node(*fx.store, nullptr, *root, kAnyLevel);
  ASSERT_FALSE(inner->leaf());
  Bytes inner_bytes, leaf_bytes;
  encode_node(*inner, inner_bytes);
  encode_node(*load_node(*fx.store, nullptr, inner->kids[0].ptr, inner->level - 1), leaf_bytes);
  std::mt19937_64 rng(11);
  int rejected = 0, accepted = 0;
  size_t rounds = soak() ? 200000 : 20000;
  for (size_t round = 0; round < rounds; ++round) {
    Bytes b = round % 2 ? inner_bytes : leaf_bytes;
    int mode = static_cast<int>(rng() % 4);
    if (mode == 0) {
      b.resize(rng() % (b.size() + 1));  // truncation
    } else if (mode == 1) {
      for (int f = 0; f < 1 + static_cast<int>(rng() % 4); ++f) b[rng() % b.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    } else if (mode == 2) {
      b = Bytes(rng() % 64);
      for (auto& x : b) x = static_cast<uint8_t>(rng());
    } else {
      b[rng() % b.size()] = static_cast<uint8_t>(0xc0 + rng() % 64);  // msgpack type bytes
    }
    try {
      NodePtr n = decode_node(b);
      ++accepted;
      // Whatever decodes must be self-consistent enough to use.
      for (size_t i = 0; i < n->slots.size(); ++i) (void)n->key(i), (void)n->value_bytes(i);
      Bytes again;
      encode_node(*n, again);
    } catch (const Error& e) {
      ASSERT_EQ(e.code(), Errc::corrupt) << e.what();
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
  // The untouched encodings decode to the same nodes.
  NodePtr back = decode_node(inner_bytes);
  EXPECT_EQ(back->seps, inner->seps);
  EXPECT_EQ(back->count(), inner->count());
  Bytes re;
  encode_node(*back, re);
  EXPECT_EQ(re, inner_bytes);
  (void)accepted;
}

TEST(NodeCodec, LeafBytesMatchTheDocumentedExample) {
  Node leaf;
  leaf.leaf_insert(0, "a", "1", false);
  leaf.leaf_insert(1, "b", "22", false);
  Bytes out;
  encode_node(leaf, out);
  EXPECT_EQ(hex_encode(out), "9300" "92c40161c40162" "92c40131c4023232");
  NodePtr back = decode_node(out);
  ASSERT_TRUE(back->leaf());
  EXPECT_EQ(back->key(1), "b");
  EXPECT_EQ(back->value_bytes(1), "22");
}

TEST(NodeCache, EvictionKeepsEveryEntryFindable) {
  // Nodes tagged by their level field; a hit must return exactly the node put under that
  // pointer, through growth, eviction and the table's backward-shift deletions.
  NodeCache cache(32 * 64 * 1024);  // 64 KiB per shard
  std::mt19937_64 rng(5);
  std::vector<ChunkPointer> ptrs;
  for (uint32_t i = 0; i < 20000; ++i) {
    ChunkPointer p;
    for (auto& b : p.object.bytes) b = static_cast<uint8_t>(rng());
    for (auto& b : p.hash) b = static_cast<uint8_t>(rng());
    p.offset = static_cast<uint32_t>(rng());
    auto n = std::make_shared<Node>();
    n->level = i;
    n->arena.resize(rng() % 2000);
    cache.put(p, n);
    ptrs.push_back(p);
    if (i % 7 == 0) {
      uint32_t j = static_cast<uint32_t>(rng() % ptrs.size());
      if (ConstNodePtr got = cache.get(ptrs[j])) {
        ASSERT_EQ(got->level, j);
      }
    }
  }
  size_t found = 0;
  for (uint32_t i = 0; i < ptrs.size(); ++i) {
    if (ConstNodePtr got = cache.get(ptrs[i])) {
      ASSERT_EQ(got->level, i);
      ++found;
    }
  }
  EXPECT_GT(found, 100u);
  EXPECT_LT(found, 20000u);
  EXPECT_LE(cache.stats().bytes, cache.budget());
  EXPECT_EQ(cache.stats().nodes, found);
  cache.clear();
  EXPECT_FALSE(cache.get(ptrs.back()));
}

TEST(NodeCache, HitsMissesAndBudget) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 512;
  auto root = build(fx, 20000, opt);
  auto cache = std::make_shared<NodeCache>(256 << 10);
  BTree t(fx.store, cache, root, opt);
  for (int i = 0; i < 20000; i += 7) ASSERT_TRUE(t.get(k8(i)));
  NodeCacheStats s = cache->stats();
  EXPECT_GT(s.misses, 0u);
  EXPECT_GT(s.hits, 0u);
  EXPECT_LE(s.bytes, cache->budget());
  EXPECT_TRUE(t.get(k8(5)));
  cache->reset_counters();
  EXPECT_TRUE(t.get(k8(5)));
  s = cache->stats();
  // The second lookup reads nothing: the root is pinned, inner nodes keep their decoded
  // inner children, and the leaf is a cache hit.
  EXPECT_EQ(s.misses, 0u);
  EXPECT_EQ(s.hits, 1u);
  cache->clear();
  EXPECT_EQ(cache->stats().nodes, 0u);
  EXPECT_TRUE(t.get(k8(5)));
}

}  // namespace
}  // namespace infinitree::btree::testing
