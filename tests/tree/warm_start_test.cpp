// Warm start (OpenOptions::warm_start_nodes): on by default only for remote stores; when on,
// a background thread reads the head's inner nodes so that lookups then read one chunk each;
// closing at any moment stops it, and the answers never change.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "infinitree/backend.hpp"
#include "infinitree/tree.hpp"

namespace infinitree {
namespace {

using namespace std::chrono_literals;

// A memory store that says it is remote and counts the reads that reach it.
class RemoteLooking : public Backend {
 public:
  std::shared_ptr<Backend> inner = make_memory_backend();
  std::atomic<uint64_t> reads{0};

  void write_object(const ObjectId& id, std::span<const uint8_t> d) override { inner->write_object(id, d); }
  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    ++reads;
    return inner->read_object(id);
  }
  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t o, uint64_t l) override {
    ++reads;
    return inner->read_range(id, o, l);
  }
  void delete_object(const ObjectId& id) override { inner->delete_object(id); }
  bool has_object(const ObjectId& id) override { return inner->has_object(id); }
  std::vector<ObjectId> list_objects() override { return inner->list_objects(); }
  std::string object_version(const ObjectId& id) override { return inner->object_version(id); }
  Versioned read_object_versioned(const ObjectId& id) override { return inner->read_object_versioned(id); }
  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> d,
                                      const std::string& e) override {
    return inner->write_object_if_version(id, d, e);
  }
  bool is_remote() const override { return true; }
  std::string describe() const override { return "remote-looking memory"; }
};

OpenOptions options(bool read_only = false) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.read_only = read_only;
  o.target_node_bytes = 512;  // inner levels from a few thousand keys
  return o;
}

std::string key_of(int i) { return "k" + std::to_string(i * 7919 % 100003); }

std::shared_ptr<RemoteLooking> filled_store(int keys) {
  auto b = std::make_shared<RemoteLooking>();
  auto t = Tree::create(b, "u", "p", options());
  auto m = t->map("m");
  for (int i = 0; i < keys; ++i) m.put(key_of(i), "v" + std::to_string(i));
  t->commit("fill");
  return b;
}

TreeStats finished_warm_start(const Tree& t) {
  for (int i = 0; i < 3000; ++i) {  // up to a minute, for slow sanitizer builds
    TreeStats s = t.stats();
    if (!s.warm_start_running) return s;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "the warm start did not end";
  return t.stats();
}

TEST(WarmStart, OnARemoteStoreByDefaultThenALookupReadsOneChunk) {
  auto b = filled_store(4000);
  auto t = Tree::open(b, "u", "p", options(true));
  TreeStats s = finished_warm_start(*t);
  EXPECT_GT(s.warm_start_nodes, 1u);
  auto m = t->map("m");
  uint64_t before = t->stats().node_cache_misses;
  for (int i = 0; i < 100; ++i) ASSERT_EQ(m.get(key_of(i * 37)), "v" + std::to_string(i * 37));
  // The inner nodes are in memory: each lookup fetched at most its leaf.
  EXPECT_LE(t->stats().node_cache_misses - before, 100u);
}

TEST(WarmStart, OffOnALocalStoreByDefaultAndWhenSetToZero) {
  auto memory = make_memory_backend();
  {
    auto t = Tree::create(memory, "u", "p", options());
    t->map("m").put("a", "1");
    t->commit("one");
  }
  auto local = Tree::open(memory, "u", "p", options(true));
  EXPECT_FALSE(local->stats().warm_start_running);
  EXPECT_EQ(local->stats().warm_start_nodes, 0u);

  auto b = filled_store(2000);
  OpenOptions off = options(true);
  off.warm_start_nodes = 0;
  uint64_t before = b->reads;
  auto t = Tree::open(b, "u", "p", off);
  uint64_t after_open = b->reads;
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(b->reads, after_open) << "nothing is read in the background";
  EXPECT_GT(after_open, before);
  EXPECT_EQ(t->stats().warm_start_nodes, 0u);
}

TEST(WarmStart, KeepsToTheBudgetYouSet) {
  auto b = filled_store(4000);
  OpenOptions o = options(true);
  o.warm_start_nodes = 2;
  auto t = Tree::open(b, "u", "p", o);
  EXPECT_EQ(finished_warm_start(*t).warm_start_nodes, 2u);
}

TEST(WarmStart, ClosingOrWritingWhileItRunsIsSafe) {
  auto b = filled_store(4000);
  for (int round = 0; round < 20; ++round) {
    auto t = Tree::open(b, "u", "p", options(round % 2 == 0));
    if (round % 2 == 1) {
      // A writer changes and commits while the warm start reads the same nodes.
      t->map("m").put(key_of(round), "w" + std::to_string(round));
      t->commit("round " + std::to_string(round));
    }
    if (round % 3 == 0) t->close();
  }  // destroyed mid warm-up in most rounds
  auto t = Tree::open(b, "u", "p", options(true));
  EXPECT_EQ(t->map("m").get(key_of(19)), "w19");
  EXPECT_EQ(t->map("m").get(key_of(20)), "v20");
}

}  // namespace
}  // namespace infinitree
