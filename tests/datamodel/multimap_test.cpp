// The multi-map against a model (std::map of std::set) over random operations, checked on
// the live map and on checkouts of earlier commits.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "infinitree/key_codec.hpp"
#include "infinitree/multimap.hpp"

using namespace infinitree;
using Model = std::map<std::string, std::set<std::string>>;

namespace {

OpenOptions small_nodes() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = 256;
  return o;
}

// Short keys and values with NUL bytes and prefixes of each other: the hard cases.
std::string pick(std::mt19937& rng) {
  static const char* words[] = {"", "a", "ab", "b"};
  std::string s = words[rng() % 4];
  if (rng() % 3 == 0) s.push_back('\0');
  if (rng() % 3 == 0) s.push_back('\xff');
  return s;
}

void check(const MultiMap& mm, const Model& model, std::mt19937& rng) {
  for (int i = 0; i < 40; ++i) {
    std::string k = pick(rng);
    auto it = model.find(k);
    std::vector<std::string> want;
    if (it != model.end()) want.assign(it->second.begin(), it->second.end());
    ASSERT_EQ(mm.get_all(k), want);
    ASSERT_EQ(mm.count(k), want.size());
    std::vector<std::string> via_view;
    for (auto c = mm.values(k)->cursor(); c->valid(); c->next()) via_view.push_back(MultiMap::value_of(c->key()));
    ASSERT_EQ(via_view, want);
    std::string v = pick(rng);
    ASSERT_EQ(mm.contains(k, v), it != model.end() && it->second.count(v));
  }
}

}  // namespace

TEST(MultiMap, MatchesAModelAtSeveralCommits) {
  std::mt19937 rng(21);
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  MultiMap mm(tree->map("tags"));
  Model model;
  std::vector<std::pair<CommitId, Model>> commits;
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 200; ++i) {
      std::string k = pick(rng), v = pick(rng);
      switch (rng() % 5) {
        case 0: ASSERT_EQ(mm.remove_one(k, v), model[k].erase(v) == 1); break;
        case 1:
          if (rng() % 4 == 0) {
            ASSERT_EQ(mm.remove_all(k), model[k].size());
            model[k].clear();
            break;
          }
          [[fallthrough]];
        default: ASSERT_EQ(mm.put(k, v), model[k].insert(v).second); break;
      }
    }
    std::erase_if(model, [](const auto& kv) { return kv.second.empty(); });
    check(mm, model, rng);
    commits.push_back({tree->commit("round")->id, model});
    auto& [id, then] = commits[rng() % commits.size()];
    auto view = tree->checkout(id);
    MultiMap old(view->map("tags"));
    check(old, then, rng);
    try {
      old.put("x", "y");
      ADD_FAILURE() << "a checkout's multi-map accepted a write";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::read_only);
    }
  }
}

TEST(MultiMap, OversizedPairsAndForeignKeysAreRejected) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  MultiMap mm(tree->map("m"));
  try {
    mm.put("k", std::string(kMaxKeySize, 'v'));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::too_large);
  }
  EXPECT_THROW(MultiMap::value_of("\x14"), Error);
  try {
    MultiMap::value_of(keys::encode(int64_t{3}));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
  }
  EXPECT_EQ(MultiMap::value_of(MultiMap::pair_key("k", std::string("v\0", 2))), std::string("v\0", 2));
}
