// Model-based randomized test of the tree layer: random puts, erases, range erases,
// commits, rollbacks, reopenings and checkouts of old commits, checked against std::map
// models at every step, with tiny nodes so the B-trees are deep.
#include <gtest/gtest.h>

#include <cstdlib>
#include <array>
#include <map>
#include <random>

#include "infinitree/tree.hpp"
#include "test_util.hpp"

using namespace infinitree;
using Model = std::map<std::string, std::string>;

namespace {

OpenOptions small_nodes() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = 256;
  o.node_cache_bytes = 64 * 1024;  // small: forces re-reading nodes from the store
  return o;
}

Model contents(Map m) {
  Model out;
  m.scan({}, {}, [&](std::string_view k, std::string_view v) {
    out.emplace(k, v);
    return true;
  });
  return out;
}

void run_model(uint32_t seed, int steps, bool on_disk) {
  infinitree::testing::ScratchDir dir;
  std::mt19937 rng(seed);
  // The memory backend keeps the test fast; one seed runs on a real directory.
  std::shared_ptr<Backend> memory = make_memory_backend();
  auto backend = [&] { return on_disk ? make_directory_backend(dir.path()) : memory; };
  auto open = [&] { return Tree::open(backend(), "m", "m", small_nodes()); };
  auto tree = Tree::create(backend(), "m", "m", small_nodes());
  const char* names[] = {"alpha", "beta"};
  Model committed[2], working[2];
  std::vector<std::pair<CommitId, std::array<Model, 2>>> history;
  auto key = [&] { return "k" + std::to_string(rng() % 500); };

  for (int step = 0; step < steps; ++step) {
    int f = static_cast<int>(rng() % 2);
    auto m = tree->map(names[f]);
    switch (rng() % 20) {
      case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: {
        std::string k = key(), v = std::string(rng() % 40, static_cast<char>('a' + rng() % 26));
        if (rng() % 50 == 0) v = std::string(3000 + rng() % 3000, 'L');  // spilled value
        m.put(k, v);
        working[f][k] = v;
        break;
      }
      case 8: case 9: case 10: {
        std::string k = key();
        EXPECT_EQ(m.erase(k), working[f].erase(k) == 1);
        break;
      }
      case 11: {
        std::string a = key(), b = key();
        if (b < a) std::swap(a, b);
        uint64_t n = m.erase_range(a, b);
        uint64_t expected = 0;
        for (auto it = working[f].lower_bound(a); it != working[f].end() && it->first < b;) {
          it = working[f].erase(it);
          ++expected;
        }
        EXPECT_EQ(n, expected);
        break;
      }
      case 12: case 13: {
        std::string k = key();
        auto got = m.get(k);
        auto it = working[f].find(k);
        ASSERT_EQ(got.has_value(), it != working[f].end()) << k;
        if (got) {
          ASSERT_EQ(*got, it->second);
        }
        break;
      }
      case 14: case 15: {
        // A put then an erase of the same key may or may not count as a change: either
        // way the committed content must equal the model.
        auto c = tree->commit("step " + std::to_string(step));
        committed[0] = working[0];
        committed[1] = working[1];
        if (c) history.push_back({c->id, {committed[0], committed[1]}});
        break;
      }
      case 16: {
        tree->rollback();
        working[0] = committed[0];
        working[1] = committed[1];
        break;
      }
      case 17: {
        if (rng() % 4) break;
        tree.reset();  // uncommitted changes are lost
        tree = open();
        working[0] = committed[0];
        working[1] = committed[1];
        break;
      }
      case 18: {
        if (history.empty()) break;
        auto& [id, models] = history[rng() % history.size()];
        auto view = tree->checkout(id);
        for (int i = 0; i < 2; ++i) {
          if (view->has_field(names[i])) {
            ASSERT_EQ(contents(view->map(names[i])), models[i]);
          } else {
            ASSERT_TRUE(models[i].empty());
          }
        }
        break;
      }
      case 19: {
        // A cursor walk backwards over a random range.
        std::string a = key(), b = key();
        if (b < a) std::swap(a, b);
        auto c = m.cursor(a, b);
        c.last();
        std::vector<std::string> got, expected;
        for (; c.valid(); c.prev()) got.push_back(c.key());
        for (auto it = working[f].lower_bound(a); it != working[f].end() && it->first < b; ++it)
          expected.insert(expected.begin(), it->first);
        ASSERT_EQ(got, expected);
        break;
      }
    }
    if (step % 500 == 0) {
      ASSERT_EQ(contents(tree->map("alpha")), working[0]) << "step " << step;
      ASSERT_EQ(tree->map("beta").size(), working[1].size());
    }
  }
  tree->commit("end");
  tree.reset();
  tree = open();
  EXPECT_EQ(contents(tree->map("alpha")), working[0]);
  EXPECT_EQ(contents(tree->map("beta")), working[1]);
}

}  // namespace

TEST(TreeModel, RandomOperationsMatchStdMap) {
  int steps = std::getenv("INFINITREE_SOAK") ? 200000 : infinitree::testing::kSanitizedBuild ? 1500 : 6000;
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    run_model(seed, seed == 4 ? steps / 4 : steps, seed == 4);
    if (HasFatalFailure()) return;
  }
}
