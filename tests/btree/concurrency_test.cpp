// Snapshot readers on several threads while a writer mutates and flushes (run under TSan).
// Each flushed version v holds key "#gen" = v, and every other value names the
// generation that wrote it, so a reader can check that what it sees is exactly one
// consistent version, and that it does not change while it reads it again.
#include <atomic>
#include <mutex>
#include <thread>

#include "btree_test_util.hpp"

namespace infinitree::btree::testing {
namespace {

struct Published {
  std::optional<ChunkPointer> root;
  uint64_t gen;
  uint64_t size;
};

TEST(BTreeConcurrency, SnapshotReadersWhileWriterMutatesAndFlushes) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 256;
  opt.inline_value_max = 64;
  const int generations = soak() ? 400 : 60;
  std::mutex mu;
  std::vector<Published> published;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> checks{0};

  std::thread writer([&] {
    BTree t(fx.store, fx.cache, std::nullopt, opt);
    std::mt19937_64 rng(99);
    for (int gen = 1; gen <= generations; ++gen) {
      std::string g = std::to_string(gen);
      for (int i = 0; i < 60; ++i) {
        std::string k = "k" + std::to_string(rng() % 800);
        uint64_t r = rng() % 10;
        if (r < 7)
          t.put(k, g + (r == 0 ? std::string(100, '.') : std::string()));  // some spilled
        else
          t.erase(k);
      }
      if (gen % 10 == 0) t.erase_range(std::string("k5"), std::string("k6"));
      t.put("#gen", g);
      auto root = t.flush();
      std::lock_guard lock(mu);
      published.push_back({root, static_cast<uint64_t>(gen), t.size()});
    }
    done = true;
  });

  auto reader = [&](int seed) {
    std::mt19937_64 rng(static_cast<uint64_t>(seed));
    // A snapshot held across the whole run must never change.
    std::optional<BTree> pinned;
    std::map<std::string, std::string> pinned_dump;
    while (!done || checks < 20) {
      Published p;
      {
        std::lock_guard lock(mu);
        if (published.empty()) continue;
        p = published[rng() % published.size()];
      }
      BTree snap(fx.store, fx.cache, p.root, opt);
      ASSERT_EQ(snap.size(), p.size);
      ASSERT_EQ(*snap.get("#gen"), std::to_string(p.gen));
      uint64_t n = 0;
      snap.scan(std::nullopt, std::nullopt, [&](std::string_view k, std::string_view v) {
        ++n;
        if (k != "#gen") {
          EXPECT_LE(std::stoull(std::string(v)), p.gen) << k;
        }
        return true;
      });
      ASSERT_EQ(n, p.size);
      Cursor c = snap.cursor();
      c.seek_to_last();
      uint64_t back = 0;
      for (; c.valid() && back < 50; c.prev()) ++back;
      ASSERT_EQ(back, std::min<uint64_t>(50, p.size));
      if (!pinned) {
        pinned.emplace(fx.store, fx.cache, p.root, opt);
        pinned_dump = dump(*pinned);
      } else {
        ASSERT_EQ(dump(*pinned), pinned_dump);
      }
      ++checks;
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(reader, i + 1);
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_GE(checks.load(), 20u);
}

TEST(BTreeConcurrency, ConstMethodsRunConcurrentlyOnOneTree) {
  StoreFixture fx;
  BTreeOptions opt;
  opt.target_node_bytes = 256;
  BTree t(fx.store, std::make_shared<NodeCache>(32 << 10), std::nullopt, opt);  // small: evictions
  for (int i = 0; i < 3000; ++i) t.put("k" + std::to_string(i), std::to_string(i));
  auto root = t.flush();
  BTree shared(fx.store, t.cache(), root, opt);
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      std::mt19937_64 rng(static_cast<uint64_t>(th));
      for (int i = 0; i < 3000; ++i) {
        int k = static_cast<int>(rng() % 3000);
        auto v = shared.get("k" + std::to_string(k));
        if (!v || *v != std::to_string(k)) ++bad;
        if (i % 100 == 0 && shared.count_range(std::string("k1"), std::string("k2")) != 1111) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace infinitree::btree::testing
