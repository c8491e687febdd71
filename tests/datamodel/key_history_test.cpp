// Key history against a brute-force scan of every commit, on a tree with 1,000 commits
// (fewer under sanitizers), with the chunks each approach reads (node cache misses of a
// fresh read-only handle).
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <random>

#include "infinitree/history.hpp"
#include "infinitree/key_codec.hpp"
#include "test_util.hpp"

using namespace infinitree;

namespace {

OpenOptions options(bool read_only = false) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = 512;
  o.read_only = read_only;
  // The readers' cache holds a few hundred nodes, far less than the history's: what each
  // approach reads is then what it touches, not what happens to be cached.
  if (read_only) o.node_cache_bytes = 256 * 1024;
  return o;
}

std::string key_of(int i) { return keys::encode(std::tuple{std::string("k"), int64_t(i)}); }

// Every change of keys in [from, to) by scanning each commit's whole map.
std::vector<KeyChange> brute_force(const Tree& tree, const std::string& from, const std::string& to) {
  std::vector<KeyChange> out;
  auto log = tree.log();
  std::vector<std::map<std::string, std::string>> states;
  for (auto& c : log) {
    auto v = tree.checkout(c.id);
    std::map<std::string, std::string> s;
    if (v->has_field("m"))
      v->map("m").scan({}, {}, [&](std::string_view k, std::string_view val) {
        if (k >= from && k < to) s.emplace(k, val);
        return true;
      });
    states.push_back(std::move(s));
  }
  for (size_t i = 0; i < log.size(); ++i) {
    static const std::map<std::string, std::string> none;
    const auto& cur = states[i];
    const auto& parent = i + 1 < log.size() ? states[i + 1] : none;
    std::map<std::string, std::optional<std::string>> changes;
    for (auto& [k, v] : cur)
      if (auto p = parent.find(k); p == parent.end() || p->second != v) changes[k] = v;
    for (auto& [k, v] : parent)
      if (!cur.count(k)) changes[k] = std::nullopt;
    for (auto& [k, v] : changes) out.push_back({log[i], k, v});
  }
  return out;
}

void expect_same(const std::vector<KeyChange>& a, const std::vector<KeyChange>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].commit.id, b[i].commit.id) << i;
    ASSERT_EQ(a[i].key, b[i].key) << i;
    ASSERT_EQ(a[i].value, b[i].value) << i;
  }
}

}  // namespace

TEST(KeyHistory, EqualsABruteForceScanOfEveryCommitAndReadsFarLess) {
  const int commits = infinitree::testing::kSanitizedBuild ? 150 : 1000;
  auto backend = make_memory_backend();
  std::mt19937 rng(8);
  {
    auto tree = Tree::create(backend, "u", "p", options());
    auto m = tree->map("m");
    for (int i = 0; i < 3000; ++i) m.put(key_of(i), "initial");
    tree->commit("fill");
    for (int c = 1; c < commits; ++c) {
      for (int j = 0; j < 5; ++j) m.put(key_of(static_cast<int>(rng() % 3000)), "c" + std::to_string(c));
      if (rng() % 10 == 0) m.put(key_of(42), "forty-two at " + std::to_string(c));
      if (rng() % 40 == 0) m.erase(key_of(42));
      if (rng() % 15 == 0) m.erase(key_of(static_cast<int>(rng() % 3000)));
      tree->commit("c" + std::to_string(c));
    }
  }
  auto fresh = [&] { return Tree::open(backend, "u", "p", options(true)); };
  // One key.
  auto brute_tree = fresh();
  auto expected = brute_force(*brute_tree, key_of(42), key_of(43));
  uint64_t brute_reads = brute_tree->stats().node_cache_misses;
  auto tree = fresh();
  auto got = key_history(*tree, "m", key_of(42));
  uint64_t reads = tree->stats().node_cache_misses;
  expect_same(got, expected);
  ASSERT_GT(got.size(), 10u);
  EXPECT_LT(reads * 10, brute_reads);
  std::cout << "key history of 1 key over " << commits << " commits: " << got.size()
            << " changes, " << reads << " nodes read; brute force " << brute_reads << "\n";
  // A range.
  auto range_tree = fresh();
  auto range_expected = brute_force(*range_tree, key_of(100), key_of(140));
  auto range_got = range_history(*fresh(), "m", key_of(100), key_of(140));
  expect_same(range_got, range_expected);
  // Bounded by a commit range and a limit.
  auto log = tree->log();
  KeyHistoryOptions o;
  o.newest = log[10].id;
  o.oldest = log[log.size() / 2].id;
  std::vector<KeyChange> bounded_expected;
  for (auto& c : expected) {
    auto pos = std::find_if(log.begin(), log.end(), [&](auto& l) { return l.id == c.commit.id; }) - log.begin();
    if (pos >= 10 && pos <= static_cast<long>(log.size() / 2)) bounded_expected.push_back(c);
  }
  expect_same(key_history(*tree, "m", key_of(42), o), bounded_expected);
  o.limit = 3;
  auto limited = key_history(*tree, "m", key_of(42), o);
  bounded_expected.resize(std::min<size_t>(3, bounded_expected.size()));
  expect_same(limited, bounded_expected);
}

TEST(KeyHistory, BadRangesAndMissingFields) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", options());
  EXPECT_TRUE(key_history(*tree, "m", "k").empty());  // no commits yet
  tree->map("other").put("x", "1");
  auto first = tree->commit("without m");
  tree->map("m").put("k", "v");
  auto second = tree->commit("with m");
  auto h = key_history(*tree, "m", "k");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].commit.id, second->id);
  // `oldest` must be an ancestor of `newest`.
  KeyHistoryOptions o;
  o.newest = first->id;
  o.oldest = second->id;
  try {
    key_history(*tree, "m", "k", o);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
  }
  o.oldest = "no-such-ref";
  EXPECT_THROW(key_history(*tree, "m", "k", o), Error);
}
