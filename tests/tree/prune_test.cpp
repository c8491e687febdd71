// forget and prune: reclaimed space, kept commits unchanged, deferred deletion for readers
// of older roots, and crash safety (docs/space.md).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "backend/directory_backend.hpp"
#include "infinitree/tree.hpp"
#include "child_process.hpp"
#include "test_util.hpp"

using namespace infinitree;

namespace {

OpenOptions fast(bool read_only = false) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.read_only = read_only;
  return o;
}

PruneOptions now_please() {
  PruneOptions p;
  p.grace_ms = 0;
  return p;
}

size_t env_size(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::stoull(v) : fallback;
}

std::string value_of(std::mt19937_64& rng, size_t n) {
  std::string v(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t x = rng();
    std::memcpy(v.data() + i, &x, std::min<size_t>(8, n - i));
  }
  return v;
}

std::map<std::string, std::string> contents(Tree& t, const std::string& field) {
  std::map<std::string, std::string> out;
  t.map(field).scan("", "", [&](std::string_view k, std::string_view v) {
    out.emplace(k, v);
    return true;
  });
  return out;
}

}  // namespace

TEST(Forget, NamedCommitsLeaveTheHistoryAndLogWalksPastThem) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  std::vector<CommitId> ids;
  for (int i = 0; i < 5; ++i) {
    t->map("m").put("k", std::to_string(i));
    ids.push_back(t->commit("c" + std::to_string(i))->id);
  }
  t->create_tag("first", ids[0]);
  EXPECT_THROW(t->forget({ids[4]}), Error);   // the branch head
  EXPECT_THROW(t->forget({"first"}), Error);  // tagged
  auto dry = t->forget({ids[1], ids[2]}, /*dry_run=*/true);
  EXPECT_EQ(dry.forgotten.size(), 2u);
  EXPECT_EQ(t->log().size(), 5u) << "a dry run changes nothing";

  auto report = t->forget({ids[1], ids[2]});
  ASSERT_EQ(report.forgotten.size(), 2u);
  EXPECT_EQ(report.forgotten[0].id, ids[2]);
  EXPECT_EQ(report.kept.size(), 3u);
  for (const auto& k : report.kept)
    EXPECT_EQ(k.forgotten_parents, k.id == ids[3] ? std::vector<CommitId>{ids[2]} : std::vector<CommitId>{})
        << "the report shows kept commits as log() will";
  auto log = t->log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].id, ids[4]);
  EXPECT_EQ(log[1].id, ids[3]);
  EXPECT_EQ(log[1].forgotten_parents, std::vector<CommitId>{ids[2]});
  EXPECT_EQ(log[1].parents, std::vector<CommitId>{ids[2]}) << "the commit itself is unchanged";
  EXPECT_EQ(log[2].id, ids[0]);
  // Filters and diff across the gap.
  EXPECT_EQ(t->log(HistoryFilter::range(ids[0], ids[4])).size(), 3u);
  EXPECT_EQ(t->diff("m", ids[0], ids[3]).size(), 1u);
  EXPECT_EQ(*t->checkout(ids[3])->map("m").get("k"), "3");
  try {
    t->checkout(ids[1]);
    FAIL() << "a forgotten commit opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::not_found);
    EXPECT_NE(std::string(e.what()).find("forgotten"), std::string::npos);
  }
  EXPECT_EQ(t->commit_info(ids[3]).forgotten_parents.size(), 1u);
}

TEST(Forget, PolicyKeepsHeadsTagsAndTheRules) {
  auto backend = make_memory_backend();
  auto t = Tree::create(backend, "u", "p", fast());
  std::vector<CommitId> ids;
  for (int i = 0; i < 10; ++i) {
    t->map("m").put("k" + std::to_string(i), "v");
    ids.push_back(t->commit("c")->id);
  }
  t->create_branch("side", ids[2]);
  t->create_tag("t", ids[4]);
  RetentionPolicy none;
  EXPECT_THROW(t->forget(none), Error) << "an empty policy would forget everything";
  RetentionPolicy p;
  p.keep_last = 2;
  auto r = t->forget(p);
  EXPECT_EQ(r.kept.size(), 4u);  // 9, 8, the branch head 2 and the tag 4
  EXPECT_EQ(r.forgotten.size(), 6u);
  EXPECT_EQ(t->log().size(), 4u);
  auto again = Tree::open(backend, "u", "p", fast(true));
  EXPECT_EQ(again->log().size(), 4u) << "forget is durable";
  EXPECT_EQ(*again->checkout("side")->map("m").get("k2"), "v");
}

TEST(Prune, RefusesUncommittedChangesAndReadOnlyTrees) {
  auto backend = make_memory_backend();
  auto t = Tree::create(backend, "u", "p", fast());
  t->map("m").put("a", "1");
  try {
    t->prune(now_please());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::conflict);
  }
  t->commit("c");
  auto r = Tree::open(backend, "u", "p", fast(true));
  try {
    r->prune(now_please());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::read_only);
  }
  PruneOptions bad;
  bad.repack_below = 1.5;
  EXPECT_THROW(t->prune(bad), Error);
  bad = {};
  bad.grace_ms = -1;
  EXPECT_THROW(t->space(bad), Error);
}

// The figure: 1 M keys of 100 bytes, 90% overwritten or erased over 50 commits,
// all but the last commit forgotten, pruned: within 1.5x of a fresh store with the same
// content, and the kept commit reads back exactly.
TEST(Prune, ReclaimsOverwrittenMapData) {
  const size_t keys = env_size("INFINITREE_PRUNE_KEYS", 1000000);
  const int commits = 50;
  infinitree::testing::ScratchDir dir;
  auto backend = make_directory_backend(dir.path() / "store", DirectoryOptions{.durable = false});
  auto t = Tree::create(backend, "u", "p", fast());
  std::mt19937_64 rng(42);
  std::map<std::string, std::string> model;
  std::vector<std::string> names(keys);
  auto m = t->map("m");
  for (size_t i = 0; i < keys; ++i) {
    char k[32];
    std::snprintf(k, sizeof k, "k%09zu", i);
    names[i] = k;
    std::string v = value_of(rng, 100);
    m.put(names[i], v);
    model[names[i]] = v;
  }
  t->commit("load");
  std::vector<size_t> order(keys);
  for (size_t i = 0; i < keys; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  size_t changes = keys * 9 / 10, per_commit = changes / commits;
  for (int c = 0; c < commits; ++c) {
    for (size_t j = c * per_commit; j < (c + 1) * per_commit; ++j) {
      const std::string& k = names[order[j]];
      if (rng() % 10 < 7) {
        std::string v = value_of(rng, 100);
        m.put(k, v);
        model[k] = v;
      } else {
        m.erase(k);
        model.erase(k);
      }
    }
    t->commit("change " + std::to_string(c));
  }
  size_t before = backend->list_objects().size();
  RetentionPolicy keep_last;
  keep_last.keep_last = 1;
  EXPECT_EQ(t->forget(keep_last).forgotten.size(), static_cast<size_t>(commits));
  SpaceReport plan = t->space();
  EXPECT_GT(plan.objects_to_delete + plan.objects_to_repack, 0u);
  SpaceReport done = t->prune(now_please());
  size_t after = backend->list_objects().size();

  auto fresh_backend = make_directory_backend(dir.path() / "fresh", DirectoryOptions{.durable = false});
  {
    auto f = Tree::create(fresh_backend, "u", "p", fast());
    auto fm = f->map("m");
    for (const auto& [k, v] : model) fm.put(k, v);
    f->commit("fresh");
  }
  size_t fresh = fresh_backend->list_objects().size();
  std::printf("prune: %zu objects before, %zu after (fresh store: %zu); deleted %llu, moved %llu chunks\n",
              before, after, fresh, static_cast<unsigned long long>(done.objects_deleted),
              static_cast<unsigned long long>(done.chunks_moved));
  RecordProperty("objects_before", static_cast<int>(before));
  RecordProperty("objects_after", static_cast<int>(after));
  RecordProperty("objects_fresh", static_cast<int>(fresh));
  EXPECT_LE(static_cast<double>(after), 1.5 * static_cast<double>(fresh));

  auto check = [&](Tree& tree) {
    auto got = contents(tree, "m");
    ASSERT_EQ(got.size(), model.size());
    EXPECT_TRUE(got == model) << "the kept commit changed";
  };
  check(*t);
  auto reopened = Tree::open(backend, "u", "p", fast(true));
  check(*reopened);
  EXPECT_EQ(reopened->verify([](const std::string& p) { ADD_FAILURE() << p; }).problems, 0u);
  SpaceReport after_report = reopened->space();
  EXPECT_EQ(after_report.objects_to_delete, 0u);
}

TEST(Prune, ReclaimsStreamsAndRebuildsTheDedupIndex) {
  infinitree::testing::ScratchDir dir;
  auto backend = make_directory_backend(dir.path() / "store", DirectoryOptions{.durable = false});
  auto t = Tree::create(backend, "u", "p", fast());
  std::mt19937_64 rng(7);
  std::map<std::string, std::string> files;
  for (int i = 0; i < 24; ++i) files["f" + std::to_string(i)] = value_of(rng, 200000 + rng() % 3000000);
  auto store_version = [&](Tree& tree) {
    auto fm = tree.map("files");
    for (const auto& [name, data] : files) {
      auto w = tree.create_stream();
      w->write(data);
      fm.put(name, w->finish());
    }
    return tree.commit("snapshot")->id;
  };
  store_version(*t);
  for (int v = 0; v < 2; ++v) {
    for (int i = 0; i < 8; ++i) files["f" + std::to_string(rng() % 24)] = value_of(rng, 200000 + rng() % 3000000);
    store_version(*t);
  }
  RetentionPolicy keep_last;
  keep_last.keep_last = 1;
  ASSERT_EQ(t->forget(keep_last).forgotten.size(), 2u);
  t->prune(now_please());
  t->close();
  size_t after = backend->list_objects().size();

  auto fresh_backend = make_directory_backend(dir.path() / "fresh", DirectoryOptions{.durable = false});
  {
    auto f = Tree::create(fresh_backend, "u", "p", fast());
    store_version(*f);
  }
  size_t fresh = fresh_backend->list_objects().size();
  std::printf("streams: %zu objects after prune, %zu in a fresh store\n", after, fresh);
  EXPECT_LE(static_cast<double>(after), 1.3 * static_cast<double>(fresh));

  auto r = Tree::open(backend, "u", "p", fast());
  for (const auto& [name, data] : files) EXPECT_EQ(r->open_stream(*r->map("files").get(name))->read_all(), data) << name;
  EXPECT_EQ(r->verify([](const std::string& p) { ADD_FAILURE() << p; }).problems, 0u);
  // The rebuilt dedup index points at live chunks only: storing the same data again adds
  // no data chunks, and everything still reads back after another prune.
  auto w = r->create_stream();
  w->write(files.begin()->second);
  std::string ref = w->finish();
  EXPECT_EQ(w->stats().chunks_new, 0u);
  r->map("files").put("again", ref);
  r->commit("again");
  r->prune(now_please());
  EXPECT_EQ(r->open_stream(*r->map("files").get("again"))->read_all(), files.begin()->second);
}

TEST(Prune, ObjectsOfAnotherTreeInTheSameStoreAreNeverTouched) {
  auto backend = make_memory_backend();
  auto other = Tree::create(backend, "other", "p", fast());
  other->map("m").put("x", std::string(5000, 'o'));
  other->commit("other's");
  other->close();
  auto t = Tree::create(backend, "u", "p", fast());
  for (int i = 0; i < 5; ++i) {
    t->map("m").put("k", std::string(5000, static_cast<char>('a' + i)));
    t->commit("c");
  }
  RetentionPolicy keep_last;
  keep_last.keep_last = 1;
  t->forget(keep_last);
  t->prune(now_please());
  auto o = Tree::open(backend, "other", "p", fast(true));
  EXPECT_EQ(*o->map("m").get("x"), std::string(5000, 'o'));
  EXPECT_EQ(o->verify([](const std::string& p) { ADD_FAILURE() << p; }).problems, 0u);
}

TEST(Prune, ReadersOfAnOlderRootKeepReadingDuringTheGracePeriod) {
  infinitree::testing::ScratchDir dir;
  auto path = dir.path();
  auto big = [](char c) { return std::string(300000, c); };
  {
    auto t = Tree::create(make_directory_backend(path), "u", "p", fast());
    for (int i = 0; i < 20; ++i) t->map("m").put("k" + std::to_string(i), big('a'));
    t->commit("old");
  }
  // A reader in another process opens the old version and waits.
  int go[2], result[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(result), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int ok = 0;
    try {
      auto r = Tree::open(make_directory_backend(path), "u", "p", fast(true));
      char c;
      if (write(result[1], "r", 1) != 1) _exit(3);
      if (read(go[0], &c, 1) != 1) _exit(3);
      auto m = r->map("m");
      ok = 1;
      for (int i = 0; i < 20; ++i) ok &= (m.get("k" + std::to_string(i)) == big('a')) ? 1 : 0;
    } catch (...) {
      ok = 0;
    }
    _exit(ok ? 0 : 1);
  }
  char c;
  ASSERT_EQ(read(result[0], &c, 1), 1);
  auto backend = make_directory_backend(path);
  auto t = Tree::open(backend, "u", "p", fast());
  for (int i = 0; i < 20; ++i) t->map("m").put("k" + std::to_string(i), big('b'));
  t->commit("new");
  RetentionPolicy keep_last;
  keep_last.keep_last = 1;
  t->forget(keep_last);
  PruneOptions graceful;
  graceful.grace_ms = 1500;
  SpaceReport r = t->prune(graceful);
  EXPECT_EQ(r.objects_deleted, 0u);
  EXPECT_GT(r.objects_deferred, 0u);
  ASSERT_EQ(write(go[1], "g", 1), 1);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the reader lost its version";

  // After the grace period, the next commit deletes what was deferred.
  size_t before = backend->list_objects().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));
  t->map("m").put("tick", "1");
  t->commit("after the grace period");
  EXPECT_EQ(backend->list_objects().size(), before - r.objects_deferred);
  EXPECT_EQ(t->space().objects_pending, 0u);
  EXPECT_EQ(*t->map("m").get("k3"), big('b'));
}

// ---- crash safety

namespace {

std::string state_value(uint64_t n) { return "v" + std::to_string(n) + std::string(n % 2000, 'x'); }

// Commit n sets m[n % 40] = state_value(n) and counter = n; so after commit n,
// m[i] == state_value(largest n' <= n with n' % 40 == i).
void check_commit_state(TreeView& v) {
  uint64_t n = std::stoull(*v.value("counter").get());
  auto m = v.map("m");
  for (uint64_t i = 0; i < 40 && i <= n; ++i) {
    uint64_t last = n - ((n - i) % 40);
    ASSERT_EQ(m.get(std::to_string(i)), state_value(last)) << "commit " << n << " key " << i;
  }
}

std::shared_ptr<Backend> quick_dir(const std::filesystem::path& dir) {
  // No fsync: a killed process loses nothing the kernel already has, and the test needs
  // many rounds.
  return make_directory_backend(dir, DirectoryOptions{.durable = false});
}

// Writes one byte per phase reached to `phase_fd`: 'c' commits done, 'f' forget done,
// 'p' prune done.
[[noreturn]] void churn_and_prune(const std::filesystem::path& dir, uint32_t seed, int phase_fd) {
  try {
    std::mt19937 rng(seed);
    auto t = Tree::open(quick_dir(dir), "u", "p", fast());
    uint64_t n = std::stoull(*t->value("counter").get());
    for (int c = 0; c < 3; ++c) {
      ++n;
      t->map("m").put(std::to_string(n % 40), state_value(n));
      t->value("counter").set(std::to_string(n));
      t->commit("c" + std::to_string(n));
    }
    if (write(phase_fd, "c", 1) != 1) _exit(3);
    RetentionPolicy p;
    p.keep_last = 2 + rng() % 3;
    t->forget(p);
    if (write(phase_fd, "f", 1) != 1) _exit(3);
    t->prune(now_please());
    if (write(phase_fd, "p", 1) != 1) _exit(3);
    t->close();
    _exit(0);
  } catch (const std::exception& e) {
    fprintf(stderr, "prune child failed: %s\n", e.what());
    _exit(2);
  }
}

}  // namespace

TEST(Prune, SurvivesSigkillAtAnyPoint) {
  infinitree::testing::ScratchDir dir;
  {
    auto t = Tree::create(quick_dir(dir.path()), "u", "p", fast());
    t->value("counter").set("0");
    t->map("m").put("0", state_value(0));
    t->commit("start");
  }
  // Returns the phases the child reached ("", "c", "cf", "cfp") and whether it was killed.
  auto round_with_kill = [&](uint32_t seed, std::chrono::microseconds kill_after, bool* killed) {
    infinitree::testing::ChildProcess child([&](int phase_fd) { churn_and_prune(dir.path(), seed, phase_fd); });
    if (kill_after.count() > 0) child.kill_after(kill_after);
    auto exit = child.wait();
    std::string phases = child.read_all();
    *killed = exit.killed;
    if (!exit.killed && exit.code != 0) throw std::runtime_error("the pruning child failed");
    return phases;
  };
  auto check_tree = [&](int round) {
    auto t = Tree::open(quick_dir(dir.path()), "u", "p", fast(true));
    check_commit_state(*t);
    if (::testing::Test::HasFatalFailure()) return;
    for (const auto& c : t->log()) {
      auto view = t->checkout(c.id);
      check_commit_state(*view);
      if (::testing::Test::HasFatalFailure()) return;
    }
    auto report = t->verify([&](const std::string& p) { ADD_FAILURE() << "round " << round << ": " << p; });
    ASSERT_EQ(report.problems, 0u);
  };

  // Calibrate: how long a whole round takes here, so kills spread over every phase.
  bool killed = false;
  auto t0 = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < 3; ++i) ASSERT_EQ(round_with_kill(1000000 + i, {}, &killed), "cfp");
  auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0) / 3;
  check_tree(-1);

  // Rounds go on until 200 kills (1,000 with INFINITREE_SOAK) have landed and at least 20 of
  // them inside prune: a round whose child finished before its kill time counts as a round,
  // not a kill. Half the rounds draw their kill time over the whole round; the other half
  // aim at prune, inside the span of kill times that have landed there so far. Prune is a
  // small part of a round whose share varies with the machine (sanitizers slow the phases
  // unevenly), so uniform times alone may land too few kills in it.
  const int target = std::getenv("INFINITREE_SOAK") ? 1000 : 200;
  const int in_prune_target = 20;
  const int max_rounds = 4 * target;
  std::mt19937 rng(99);
  std::map<std::string, int> reached;
  int64_t prune_lo = INT64_MAX, prune_hi = 0;  // kill times (us) that landed inside prune
  int kills = 0, rounds = 0;
  for (int round = 0; (kills < target || reached["in prune"] < in_prune_target) && round < max_rounds;
       ++round, ++rounds) {
    int64_t us = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(full.count() + 1));
    if (round % 2 == 1 && prune_hi > 0) {
      int64_t lo = prune_lo * 9 / 10, hi = prune_hi * 11 / 10;
      us = lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
    }
    std::string phases = round_with_kill(static_cast<uint32_t>(round), std::chrono::microseconds(us), &killed);
    if (killed) {
      ++kills;
      const char* phase = phases.empty()  ? "in open/commits"
                          : phases == "c"  ? "in forget"
                          : phases == "cf" ? "in prune"
                                           : "after prune";
      ++reached[phase];
      if (phases == "cf") prune_lo = std::min(prune_lo, us), prune_hi = std::max(prune_hi, us);
    }
    check_tree(round);
    if (HasFatalFailure()) return;
  }
  std::printf("%d rounds of about %lld ms: %d killed:", rounds, static_cast<long long>(full.count() / 1000), kills);
  for (const auto& [phase, n] : reached) std::printf(" %d %s,", n, phase.c_str());
  std::printf("\n");
  EXPECT_GE(kills, target);
  EXPECT_GE(reached["in prune"], in_prune_target) << "too few kills landed inside prune to mean anything";
  // Whatever the kills left behind, one more prune reclaims it.
  auto t = Tree::open(quick_dir(dir.path()), "u", "p", fast());
  t->prune(now_please());
  SpaceReport s = t->space();
  EXPECT_EQ(s.objects_to_delete, 0u);
  EXPECT_EQ(s.objects_pending, 0u);
}
