// Views against a std::map model: random maps changed over several commits; at each commit
// prefix, range, union, intersection and nested views over the live maps and over checkouts
// are walked forward, backward, by random seeks and by random next/prev walks.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "infinitree/key_codec.hpp"
#include "infinitree/tree.hpp"
#include "infinitree/tuple_space.hpp"
#include "infinitree/views.hpp"

using namespace infinitree;
using Model = std::map<std::string, std::string>;

namespace {

OpenOptions small_nodes() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = 256;  // deep trees, many nodes
  return o;
}

// Keys (a, b) with a in 0..5 and b in 0..60: shared prefixes, so prefix views are populated.
std::string random_key(std::mt19937& rng) {
  return keys::encode(std::tuple{int64_t(rng() % 6), int64_t(rng() % 60)});
}

Model prefix_model(const Model& m, const std::string& p) {
  Model out;
  for (auto& [k, v] : m)
    if (k.starts_with(p)) out[k.substr(p.size())] = v;
  return out;
}

Model range_model(const Model& m, const std::optional<ViewBound>& lo, const std::optional<ViewBound>& hi) {
  Model out;
  for (auto& [k, v] : m)
    if ((!lo || k > lo->key || (lo->inclusive && k == lo->key)) &&
        (!hi || k < hi->key || (hi->inclusive && k == hi->key)))
      out[k] = v;
  return out;
}

// Values from the first model that has the key.
Model union_model(const std::vector<const Model*>& ms) {
  Model out;
  for (auto it = ms.rbegin(); it != ms.rend(); ++it)
    for (auto& [k, v] : **it) out[k] = v;
  return out;
}

Model intersection_model(const std::vector<const Model*>& ms) {
  Model out;
  for (auto& [k, v] : *ms[0]) {
    bool all = true;
    for (size_t i = 1; i < ms.size(); ++i) all = all && ms[i]->count(k);
    if (all) out[k] = v;
  }
  return out;
}

void expect_at(const ItemCursor& c, Model::const_iterator it, const Model& m, const char* what) {
  if (it == m.end()) {
    ASSERT_FALSE(c.valid()) << what << " should be past the end, is at " << c.key();
  } else {
    ASSERT_TRUE(c.valid()) << what;
    ASSERT_EQ(c.key(), it->first) << what;
    ASSERT_EQ(c.value(), it->second) << what;
  }
}

void check_view(const ItemView& view, const Model& m, std::mt19937& rng) {
  // Forward and backward walks.
  auto c = view.cursor();
  for (auto it = m.begin(); it != m.end(); ++it) {
    expect_at(*c, it, m, "forward");
    c->next();
  }
  ASSERT_FALSE(c->valid());
  c->last();
  for (auto it = m.rbegin(); it != m.rend(); ++it) {
    ASSERT_TRUE(c->valid());
    ASSERT_EQ(c->key(), it->first);
    c->prev();
  }
  ASSERT_FALSE(c->valid());
  ASSERT_EQ(view.count(), m.size());
  // Seeks to random keys (present or not), then a random walk changing direction.
  for (int round = 0; round < 30; ++round) {
    std::string target = m.empty() || rng() % 3 == 0 ? random_key(rng)
                                                     : std::next(m.begin(), rng() % m.size())->first;
    if (rng() % 4 == 0) target.resize(target.size() / 2);  // a key between others
    Model::const_iterator it;
    if (rng() % 2) {
      c->seek(target);
      it = m.lower_bound(target);
    } else {
      c->seek_for_prev(target);
      it = m.upper_bound(target);
      it = it == m.begin() ? m.end() : std::prev(it);
    }
    expect_at(*c, it, m, "seek");
    for (int step = 0; step < 12 && it != m.end(); ++step) {
      if (rng() % 2) {
        c->next();
        ++it;
      } else {
        c->prev();
        it = it == m.begin() ? m.end() : std::prev(it);
      }
      expect_at(*c, it, m, "walk");
    }
    ASSERT_EQ(view.get(target).has_value(), m.count(target) == 1);
  }
  EXPECT_THROW(
      {
        auto e = view.cursor();
        e->last();
        e->next();
        e->next();
      },
      Error);
}

}  // namespace

TEST(Views, MatchAStdMapModelAtSeveralCommits) {
  std::mt19937 rng(11);
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  const char* names[] = {"a", "b", "c"};
  Model model[3];
  std::vector<std::pair<CommitId, std::array<Model, 3>>> commits;
  for (int round = 0; round < 6; ++round) {
    for (int f = 0; f < 3; ++f) {
      auto m = tree->map(names[f]);
      for (int i = 0; i < 150; ++i) {
        std::string k = random_key(rng);
        if (rng() % 4 == 0) {
          m.erase(k);
          model[f].erase(k);
        } else {
          std::string v = names[f] + std::to_string(rng() % 1000);
          m.put(k, v);
          model[f][k] = v;
        }
      }
    }
    auto info = tree->commit("round " + std::to_string(round));
    ASSERT_TRUE(info);
    commits.push_back({info->id, {model[0], model[1], model[2]}});
    // The live maps, then a random earlier commit through a checkout.
    for (int pass = 0; pass < 2; ++pass) {
      std::unique_ptr<TreeView> checkout;
      const std::array<Model, 3>* ms;
      std::array<Model, 3> live{model[0], model[1], model[2]};
      TreeView* src = tree.get();
      if (pass == 0) {
        ms = &live;
      } else {
        auto& pick = commits[rng() % commits.size()];
        checkout = tree->checkout(pick.first);
        src = checkout.get();
        ms = &pick.second;
      }
      ViewPtr v[3];
      for (int f = 0; f < 3; ++f) v[f] = map_view(src->map(names[f]));
      SCOPED_TRACE("round " + std::to_string(round) + " pass " + std::to_string(pass));
      check_view(*v[0], (*ms)[0], rng);
      std::string p = keys::encode(int64_t(rng() % 6));
      check_view(*prefix_view(v[1], p), prefix_model((*ms)[1], p), rng);
      auto bound = [&]() -> std::optional<ViewBound> {
        if (rng() % 4 == 0) return std::nullopt;
        return ViewBound{random_key(rng), rng() % 2 == 0};
      };
      auto lo = bound(), hi = bound();
      check_view(*range_view(v[2], lo, hi), range_model((*ms)[2], lo, hi), rng);
      check_view(*union_view({v[0], v[1], v[2]}), union_model({&(*ms)[0], &(*ms)[1], &(*ms)[2]}), rng);
      check_view(*intersection_view({v[0], v[1]}), intersection_model({&(*ms)[0], &(*ms)[1]}), rng);
      // Nested: the prefix of (a ∩ (b ∪ c)) within a range.
      Model bc = union_model({&(*ms)[1], &(*ms)[2]});
      Model abc = intersection_model({&(*ms)[0], &bc});
      check_view(*prefix_view(range_view(intersection_view({v[0], union_view({v[1], v[2]})}), lo, hi), p),
                 prefix_model(range_model(abc, lo, hi), p), rng);
    }
  }
}

TEST(Views, LiveViewsSeeLaterWritesAndCheckoutsDoNot) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  auto m = tree->map("m");
  m.put("a", "1");
  auto head = tree->commit("one");
  ViewPtr live = map_view(m);
  ViewPtr past = map_view(tree->checkout(head->id)->map("m"));
  auto c = live->cursor();
  m.put("b", "2");
  c->next();
  ASSERT_TRUE(c->valid());
  EXPECT_EQ(c->key(), "b");
  EXPECT_EQ(live->count(), 2u);
  EXPECT_EQ(past->count(), 1u);
}

TEST(Views, DiffViewListsAddedRemovedAndChangedKeys) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  auto m = tree->map("m");
  for (int i = 0; i < 300; ++i) m.put(keys::encode(int64_t(i)), "v0");
  auto a = tree->commit("a");
  Model added, removed, changed;
  for (int i = 0; i < 300; i += 7) {
    m.erase(keys::encode(int64_t(i)));
    removed[keys::encode(int64_t(i))] = "v0";
  }
  for (int i = 3; i < 300; i += 11) {
    if (i % 7 == 0) continue;
    m.put(keys::encode(int64_t(i)), "v1");
    changed[keys::encode(int64_t(i))] = "v1";
  }
  for (int i = 300; i < 340; ++i) {
    m.put(keys::encode(int64_t(i)), "new");
    added[keys::encode(int64_t(i))] = "new";
  }
  auto b = tree->commit("b");
  std::mt19937 rng(4);
  check_view(*diff_view(*tree, "m", a->id, b->id, Change::added), added, rng);
  check_view(*diff_view(*tree, "m", a->id, b->id, Change::removed), removed, rng);
  check_view(*diff_view(*tree, "m", a->id, b->id, Change::changed), changed, rng);
  Model all = union_model({&added, &removed, &changed});
  check_view(*diff_view(*tree, "m", a->id, b->id), all, rng);
  // A diff view nests like any other: the changes within a range.
  std::optional<ViewBound> lo = ViewBound::closed(keys::encode(int64_t(100)));
  std::optional<ViewBound> hi = ViewBound::open(keys::encode(int64_t(320)));
  check_view(*range_view(diff_view(*tree, "m", a->id, b->id, Change::added | Change::removed), lo, hi),
             range_model(union_model({&added, &removed}), lo, hi), rng);
}

TEST(Views, BadArgumentsAreInvalidArgument) {
  try {
    union_view({});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
  }
  try {
    prefix_view(nullptr, "x");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
  }
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  tree->map("m").put("k", "v");
  auto a = tree->commit("a");
  try {
    diff_view(*tree, "m", a->id, "nonexistent-ref");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(e.code(), Errc::internal);
  }
}
