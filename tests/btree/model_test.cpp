// Model-based randomized test: every operation runs against the B-tree and a std::map,
// and the two are compared at every step; flushed versions are kept and re-checked at
// the end (old roots unchanged), and diffs between versions are checked against the maps.
#include <algorithm>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <vector>

#include "btree_test_util.hpp"

namespace infinitree::btree::testing {
namespace {

using Model = std::map<std::string, std::string>;

struct Version {
  std::optional<ChunkPointer> root;
  Model model;
};

class ModelRun {
 public:
  ModelRun(uint64_t seed, size_t node_bytes, bool layered) : rng_(seed) {
    opt_.target_node_bytes = node_bytes;
    if (layered) {
      // Deltas at any size, few of them (pairwise merges), and a base merge only once
      // they outgrow the base: every layer path runs often.
      opt_.delta_min_base = 0;
      opt_.max_deltas = 1 + seed % 3;
      opt_.delta_fraction = 1.5;
    }
    opt_.inline_value_max = 48;  // spill some values, cheaply
    tree_ = std::make_unique<BTree>(fx_.store, fx_.cache, std::nullopt, opt_);
  }

  std::string key() {
    // Half the time a key that exists, so erases and overwrites hit.
    if (!model_.empty() && rng_() % 2) {
      auto it = model_.lower_bound(fresh_key());
      if (it != model_.end()) return it->first;
    }
    return fresh_key();
  }
  std::string fresh_key() {
    // Few distinct first bytes and varied lengths: shared prefixes, prefix keys, "" too.
    size_t len = rng_() % 9;
    if (rng_() % 50 == 0) len = 40 + rng_() % 200;
    std::string k(len, 'a');
    for (char& c : k) c = static_cast<char>("abc\x00\xff"[rng_() % 5]);
    return k;
  }
  std::string value() {
    size_t len = rng_() % 20;
    if (rng_() % 25 == 0) len = 49 + rng_() % 300;  // spilled
    return random_bytes_string(rng_, len);
  }

  void check_point(const std::string& k) {
    auto it = model_.find(k);
    std::optional<std::string> got = tree_->get(k);
    if (it == model_.end()) {
      ASSERT_FALSE(got.has_value()) << "key present in tree only";
      ASSERT_FALSE(tree_->contains(k));
    } else {
      ASSERT_TRUE(got.has_value()) << "key missing from tree";
      ASSERT_EQ(*got, it->second);
      ASSERT_TRUE(tree_->contains(k));
    }
  }

  void check_scan() {
    std::string a = key(), b = key();
    if (b < a) std::swap(a, b);
    bool bounded_from = rng_() % 4 != 0, bounded_to = rng_() % 4 != 0;
    Bound from = bounded_from ? Bound(a) : std::nullopt;
    Bound to = bounded_to ? Bound(b) : std::nullopt;
    size_t limit = rng_() % 3 == 0 ? 1 + rng_() % 5 : SIZE_MAX;
    std::vector<std::pair<std::string, std::string>> got;
    tree_->scan(from, to, [&](std::string_view k, std::string_view v) {
      got.emplace_back(std::string(k), std::string(v));
      return got.size() < limit;
    });
    auto it = bounded_from ? model_.lower_bound(a) : model_.begin();
    auto end = bounded_to ? model_.lower_bound(b) : model_.end();
    std::vector<std::pair<std::string, std::string>> want;
    for (; it != end && (a <= b || !bounded_from || !bounded_to) && want.size() < limit; ++it)
      want.emplace_back(it->first, it->second);
    if (bounded_from && bounded_to && !(a < b)) want.clear();
    ASSERT_EQ(got, want);
    uint64_t expect_count = 0;
    if (!(bounded_from && bounded_to && !(a < b)))
      expect_count = static_cast<uint64_t>(std::distance(bounded_from ? model_.lower_bound(a) : model_.begin(), end));
    ASSERT_EQ(tree_->count_range(from, to), expect_count);
  }

  void check_prefix() {
    std::string p = key().substr(0, 1 + rng_() % 2);
    std::vector<std::string> got, want;
    tree_->scan_prefix(p, [&](std::string_view k, std::string_view) {
      got.emplace_back(k);
      return true;
    });
    for (auto it = model_.lower_bound(p); it != model_.end() && it->first.compare(0, p.size(), p) == 0; ++it)
      want.push_back(it->first);
    ASSERT_EQ(got, want);
  }

  void check_cursor() {
    Cursor c = tree_->cursor();
    Model::iterator it;
    int mode = static_cast<int>(rng_() % 3);
    if (mode == 0) {
      std::string k = key();
      c.seek(k);
      it = model_.lower_bound(k);
    } else if (mode == 1) {
      c.seek_to_first();
      it = model_.begin();
    } else {
      c.seek_to_last();
      it = model_.empty() ? model_.end() : std::prev(model_.end());
    }
    for (int step = 0; step < 12; ++step) {
      ASSERT_EQ(c.valid(), it != model_.end());
      if (!c.valid()) break;
      ASSERT_EQ(std::string(c.key()), it->first);
      ASSERT_EQ(c.value(), it->second);
      if (rng_() % 2) {
        c.next();
        ++it;
      } else {
        c.prev();
        it = it == model_.begin() ? model_.end() : std::prev(it);
      }
    }
  }

  void step() {
    // Alternate growing and shrinking phases so trees get big and deep, then shrink
    // (exercising merges and root collapse), then grow again.
    if (++ops_ % 4000 == 0) growing_ = !growing_;
    uint64_t r = rng_() % 100;
    if (growing_ && r >= 35 && r < 50 && rng_() % 8 != 0) r = 0;
    if (!growing_ && r < 35 && rng_() % 2 == 0) r = 40;
    if (r < 35) {
      std::string k = key(), v = value();
      tree_->put(k, v);
      model_[k] = v;
    } else if (r < 48) {
      std::string k = key();
      ASSERT_EQ(tree_->erase(k), model_.erase(k) == 1);
    } else if (r < 50) {
      std::string a = key(), b = key();
      if (b < a) std::swap(a, b);
      Bound from = rng_() % 5 ? Bound(a) : std::nullopt;
      Bound to = rng_() % 5 ? Bound(b) : std::nullopt;
      auto lo = from ? model_.lower_bound(a) : model_.begin();
      auto hi = to ? model_.lower_bound(b) : model_.end();
      uint64_t expect = 0;
      if (!(from && to && !(a < b))) {
        expect = static_cast<uint64_t>(std::distance(lo, hi));
        model_.erase(lo, hi);
      }
      ASSERT_EQ(tree_->erase_range(from, to), expect);
    } else if (r < 54) {
      std::string k = key(), v = value();
      bool absent = !model_.count(k);
      ASSERT_EQ(tree_->put_if_absent(k, v), absent);
      if (absent) model_[k] = v;
    } else if (r < 58) {
      std::string k = key();
      auto it = model_.find(k);
      std::optional<std::string> cur = it == model_.end() ? std::nullopt : std::optional<std::string>(it->second);
      std::optional<std::string> expected = cur;
      if (rng_() % 3 == 0) expected = value();  // usually wrong
      std::optional<std::string> desired = rng_() % 4 ? std::optional<std::string>(value()) : std::nullopt;
      bool ok = tree_->compare_and_swap(k, expected, desired);
      ASSERT_EQ(ok, expected == cur);
      if (ok) {
        if (desired)
          model_[k] = *desired;
        else
          model_.erase(k);
      }
    } else if (r < 70) {
      check_point(key());
    } else if (r < 76) {
      check_scan();
    } else if (r < 78) {
      check_prefix();
    } else if (r < 86) {
      check_cursor();
    } else if (r < 88) {
      std::vector<std::string> ks;
      for (int i = 0; i < 6; ++i) ks.push_back(key());
      auto got = tree_->multi_get(ks);
      for (size_t i = 0; i < ks.size(); ++i) {
        auto it = model_.find(ks[i]);
        ASSERT_EQ(got[i], it == model_.end() ? std::nullopt : std::optional<std::string>(it->second));
      }
    } else if (r < 92) {
      flush();
    } else if (r < 93) {
      // Reopen from the last root with a cold cache: only flushed state survives.
      flush();
      fresh_cache_ = std::make_shared<NodeCache>(rng_() % 2 ? 0 : 1 << 20);
      tree_ = std::make_unique<BTree>(fx_.store, fresh_cache_, versions_.back().root, opt_);
    } else if (r < 94) {
      tree_->rollback();
      model_ = versions_.empty() ? Model{} : versions_.back().model;
      ASSERT_FALSE(tree_->dirty());
    } else {
      check_point(key());
    }
    ASSERT_EQ(tree_->size(), model_.size());
    max_deltas_ = std::max(max_deltas_, tree_->delta_count());
    max_size_ = std::max<size_t>(max_size_, model_.size());
    max_depth_ = std::max(max_depth_, tree_->depth());
  }

  void flush() {
    std::optional<ChunkPointer> root = tree_->flush();
    ASSERT_FALSE(tree_->dirty());
    ASSERT_EQ(root.has_value(), !model_.empty());
    ASSERT_EQ(check_invariants(*fx_.store, fx_.cache.get(), root), model_.size());
    check_walk(root);
    versions_.push_back({root, model_});
  }

  // The reachability walk enters exactly the nodes of the version: the layer list and
  // every node of every layer (collected here independently, by loading them).
  void collect_nodes(const ChunkPointer& p, std::set<std::string>& out) {
    out.insert(p.object.hex() + ":" + std::to_string(p.offset));
    ConstNodePtr n = load_node(*fx_.store, nullptr, p, kAnyLevel);
    if (n->layers) {
      if (n->layers->base) collect_nodes(*n->layers->base, out);
      for (const DeltaRef& d : n->layers->deltas)
        if (d.root) collect_nodes(*d.root, out);
      return;
    }
    for (const ChildRef& c : n->kids) collect_nodes(c.ptr, out);
  }
  void check_walk(std::optional<ChunkPointer> root) {
    if (rng_() % 8 != 0) return;
    std::set<std::string> walked, want;
    WalkVisitor v;
    v.enter_node = [&](const ChunkPointer& p) {
      return walked.insert(p.object.hex() + ":" + std::to_string(p.offset)).second;
    };
    v.on_chunk = [](const ChunkPointer&) {};
    BTree::walk(fx_.store, nullptr, root, v);
    if (root) collect_nodes(*root, want);
    ASSERT_EQ(walked, want);
  }

  void final_checks() {
    flush();
    // Every version flushed along the way still reads exactly as it did.
    for (const Version& v : versions_) {
      BTree old(fx_.store, fx_.cache, v.root, opt_);
      ASSERT_EQ(dump(old), v.model);
      ASSERT_EQ(old.size(), v.model.size());
    }
    // diff between random pairs agrees with the models.
    for (int i = 0; i < 12 && versions_.size() > 1; ++i) {
      const Version& a = versions_[rng_() % versions_.size()];
      const Version& b = versions_[rng_() % versions_.size()];
      Model removed, added;
      std::map<std::string, std::pair<std::string, std::string>> changed;
      BTree::diff(fx_.store, fx_.cache, a.root, b.root,
                  [&](std::string_view k, const std::optional<std::string>& o, const std::optional<std::string>& n) {
                    ASSERT_TRUE(o || n);
                    if (o && n)
                      changed[std::string(k)] = {*o, *n};
                    else if (o)
                      removed[std::string(k)] = *o;
                    else
                      added[std::string(k)] = *n;
                  });
      Model want_removed, want_added;
      std::map<std::string, std::pair<std::string, std::string>> want_changed;
      for (auto& [k, v] : a.model) {
        auto it = b.model.find(k);
        if (it == b.model.end())
          want_removed[k] = v;
        else if (it->second != v)
          want_changed[k] = {v, it->second};
      }
      for (auto& [k, v] : b.model)
        if (!a.model.count(k)) want_added[k] = v;
      ASSERT_EQ(removed, want_removed);
      ASSERT_EQ(added, want_added);
      ASSERT_EQ(changed, want_changed);
    }
  }

  size_t ops_ = 0;
  bool growing_ = true;
  size_t max_size_ = 0;
  uint32_t max_depth_ = 0;
  size_t max_deltas_ = 0;
  StoreFixture fx_;
  std::mt19937_64 rng_;
  BTreeOptions opt_;
  std::unique_ptr<BTree> tree_;
  std::shared_ptr<NodeCache> fresh_cache_;
  Model model_;
  std::vector<Version> versions_;
};

struct Params {
  uint64_t seed;
  size_t node_bytes;
  bool layered = false;  // deltas at any tree size (the default options keep small trees plain)
};

class BTreeModel : public ::testing::TestWithParam<Params> {};

TEST_P(BTreeModel, AgreesWithStdMapAtEveryStep) {
  ModelRun run(GetParam().seed, GetParam().node_bytes, GetParam().layered);
  size_t ops = soak() ? 1000000 : 30000;
  for (size_t i = 0; i < ops; ++i) {
    run.step();
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "seed " << GetParam().seed << " failed at op " << i;
      return;
    }
  }
  run.final_checks();
  std::cout << "ops " << ops << ", max entries " << run.max_size_ << ", max depth " << run.max_depth_
            << ", versions " << run.versions_.size() << ", max deltas " << run.max_deltas_ << "\n";
  if (GetParam().layered) {
    EXPECT_GE(run.max_deltas_, 1u);  // the layer paths ran
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BTreeModel,
                         ::testing::Values(Params{1, 64}, Params{2, 128}, Params{3, 300},
                                           Params{4, 1024}, Params{5, 4096}, Params{6, 64, true},
                                           Params{7, 128, true}, Params{8, 300, true},
                                           Params{9, 4096, true}),
                         [](const ::testing::TestParamInfo<Params>& i) {
                           return "seed" + std::to_string(i.param.seed) + "_node" +
                                  std::to_string(i.param.node_bytes) + (i.param.layered ? "_layered" : "");
                         });

}  // namespace
}  // namespace infinitree::btree::testing
