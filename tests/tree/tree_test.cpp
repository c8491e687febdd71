// Trees and commits: credentials, commit and rollback, history, checkout, branches,
// password change, locking, and damage to the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <random>
#include <thread>

#include "infinitree/tree.hpp"
#include "test_util.hpp"

using namespace infinitree;
using infinitree::testing::ScratchDir;

namespace {

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

OpenOptions fast_read_only() {
  OpenOptions o = fast();
  o.read_only = true;
  return o;
}

using ::infinitree::testing::error_of;

std::map<std::string, std::string> contents(Map m) {
  std::map<std::string, std::string> out;
  m.scan({}, {}, [&](std::string_view k, std::string_view v) {
    out.emplace(k, v);
    return true;
  });
  return out;
}

std::vector<std::filesystem::path> object_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string().size() == 64) files.push_back(e.path());
  return files;
}

}  // namespace

TEST(Tree, CreateCommitReopen) {
  ScratchDir dir;
  CommitInfo first;
  {
    auto t = Tree::create(make_directory_backend(dir.path()), "alice", "secret", fast());
    EXPECT_FALSE(t->head());
    auto m = t->map("plants");
    m.put("fern", "healthy");
    m.put("cactus", "dry");
    EXPECT_TRUE(t->has_changes());
    auto c = t->commit("first", "custom\0bytes");
    ASSERT_TRUE(c);
    first = *c;
    EXPECT_EQ(c->id.size(), 32u);
    EXPECT_EQ(c->sequence, 1u);
    EXPECT_TRUE(c->parents.empty());
    EXPECT_EQ(c->branch, "main");
    EXPECT_FALSE(t->has_changes());
    EXPECT_FALSE(t->commit("nothing changed"));
    auto forced = t->commit("forced", {}, CommitOptions{.force = true});
    ASSERT_TRUE(forced);
    EXPECT_EQ(forced->parents, std::vector<CommitId>{first.id});
  }
  auto t = Tree::open(make_directory_backend(dir.path()), "alice", "secret", fast());
  EXPECT_EQ(contents(t->map("plants")),
            (std::map<std::string, std::string>{{"cactus", "dry"}, {"fern", "healthy"}}));
  auto log = t->log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].message, "forced");
  EXPECT_EQ(log[1].id, first.id);
  EXPECT_EQ(log[1].custom, first.custom);
  EXPECT_GT(log[1].time_ms, 1'600'000'000'000);
}

TEST(Tree, WrongCredentialsAndDuplicateCreate) {
  ScratchDir dir;
  auto backend = make_directory_backend(dir.path());
  { auto t = Tree::create(backend, "alice", "secret", fast()); }
  EXPECT_EQ(error_of([&] { Tree::open(backend, "alice", "wrong", fast()); }), Errc::wrong_credentials);
  EXPECT_EQ(error_of([&] { Tree::open(backend, "bob", "secret", fast()); }), Errc::wrong_credentials);
  OpenOptions other_cost = fast();
  other_cost.kdf.iterations = 2;
  EXPECT_EQ(error_of([&] { Tree::open(backend, "alice", "secret", other_cost); }), Errc::wrong_credentials);
  EXPECT_EQ(error_of([&] { Tree::create(backend, "alice", "secret", fast()); }), Errc::already_exists);
  // An empty store holds no tree at all: that is not_found, not a credentials problem.
  EXPECT_EQ(error_of([&] { Tree::open(make_directory_backend(dir.path() / "empty"), "a", "b", fast()); }),
            Errc::not_found);
  // Two users' trees live side by side in one store.
  { auto t = Tree::create(backend, "bob", "secret", fast()); }
  auto t = Tree::open(backend, "alice", "secret", fast_read_only());
  EXPECT_FALSE(t->head());
}

TEST(Tree, RollbackDiscardsEverything) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  m.put("a", "1");
  t->commit("one");
  m.put("a", "2");
  m.put("b", "3");
  auto l = t->list("l");
  l.push_back("x");
  t->rename_field("m", "renamed");
  EXPECT_TRUE(t->has_changes());
  t->rollback();
  EXPECT_FALSE(t->has_changes());
  EXPECT_TRUE(t->has_field("m"));
  EXPECT_FALSE(t->has_field("renamed"));
  EXPECT_EQ(contents(t->map("m")), (std::map<std::string, std::string>{{"a", "1"}}));
  // The old handle still works after the rollback.
  EXPECT_EQ(m.get("a"), "1");
  EXPECT_EQ(l.size(), 0u);
}

TEST(Tree, FieldTypesRoundTrip) {
  auto backend = make_memory_backend();
  {
    auto t = Tree::create(backend, "u", "p", fast());
    auto s = t->set("tags");
    EXPECT_TRUE(s.insert("green"));
    EXPECT_FALSE(s.insert("green"));
    s.insert("tall");
    auto l = t->list("events");
    EXPECT_EQ(l.push_back("watered"), 0u);
    EXPECT_EQ(l.push_back("repotted"), 1u);
    l.set(0, "watered twice");
    auto v = t->value("config");
    EXPECT_FALSE(v.get());
    v.set("v1");
    EXPECT_EQ(error_of([&] { t->map("tags"); }), Errc::invalid_argument);
    EXPECT_EQ(error_of([&] { t->map(""); }), Errc::invalid_argument);
    EXPECT_EQ(error_of([&] { t->map(std::string("\0x", 2)); }), Errc::invalid_argument);
    t->commit("fields");
  }
  auto t = Tree::open(backend, "u", "p", fast());
  auto fields = t->fields();
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].name, "config");
  EXPECT_EQ(fields[0].type, FieldType::value);
  EXPECT_TRUE(t->set("tags").contains("tall"));
  EXPECT_EQ(t->set("tags").size(), 2u);
  auto l = t->list("events");
  EXPECT_EQ(l.size(), 2u);
  EXPECT_EQ(l.at(0), "watered twice");
  EXPECT_EQ(l.at(1), "repotted");
  EXPECT_EQ(error_of([&] { l.at(2); }), Errc::not_found);
  std::vector<std::string> seen;
  l.for_each([&](uint64_t i, std::string_view v) {
    seen.push_back(std::to_string(i) + std::string(v));
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"0watered twice", "1repotted"}));
  l.pop_back();
  EXPECT_EQ(l.size(), 1u);
  EXPECT_EQ(t->value("config").get(), "v1");
}

TEST(Tree, CheckoutShowsEveryPastVersion) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  std::vector<std::pair<CommitId, std::map<std::string, std::string>>> versions;
  std::map<std::string, std::string> model;
  std::mt19937 rng(5);
  for (int c = 0; c < 20; ++c) {
    for (int i = 0; i < 50; ++i) {
      std::string k = "k" + std::to_string(rng() % 200);
      if (rng() % 4 == 0) {
        m.erase(k);
        model.erase(k);
      } else {
        std::string v = "v" + std::to_string(rng());
        m.put(k, v);
        model[k] = v;
      }
    }
    auto info = t->commit("commit " + std::to_string(c));
    ASSERT_TRUE(info);
    versions.emplace_back(info->id, model);
  }
  for (auto& [id, expected] : versions) {
    auto view = t->checkout(id);
    EXPECT_TRUE(view->read_only());
    EXPECT_EQ(view->commit()->id, id);
    EXPECT_EQ(contents(view->map("m")), expected);
    EXPECT_EQ(error_of([&] { view->map("m").put("x", "y"); }), Errc::read_only);
    EXPECT_EQ(error_of([&] { view->map("nope"); }), Errc::not_found);
  }
  // Diff between two commits agrees with the models.
  auto d = t->diff("m", versions[3].first, versions[10].first);
  std::map<std::string, std::string> applied = versions[3].second;
  for (auto& e : d) {
    EXPECT_EQ(e.old_value.has_value(), versions[3].second.count(e.key) > 0);
    if (e.new_value) applied[e.key] = *e.new_value;
    else applied.erase(e.key);
  }
  EXPECT_EQ(applied, versions[10].second);
}

TEST(Tree, HistoryFilters) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  std::vector<CommitId> ids;
  for (int i = 0; i < 6; ++i) {
    t->value("v").set(std::to_string(i));
    ids.push_back(t->commit("c" + std::to_string(i))->id);
  }
  auto all = t->log();
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.front().id, ids[5]);
  EXPECT_EQ(all.back().id, ids[0]);
  auto single = t->log(HistoryFilter::single(ids[2]));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].message, "c2");
  auto upto = t->log(HistoryFilter::up_to(ids[3]));
  ASSERT_EQ(upto.size(), 4u);
  EXPECT_EQ(upto.front().id, ids[3]);
  auto range = t->log(HistoryFilter::range(ids[1], ids[4]));
  ASSERT_EQ(range.size(), 4u);
  EXPECT_EQ(range.front().id, ids[4]);
  EXPECT_EQ(range.back().id, ids[1]);
  EXPECT_EQ(error_of([&] { t->log(HistoryFilter::range(ids[4], ids[1])); }), Errc::invalid_argument);
  EXPECT_EQ(error_of([&] { t->log(HistoryFilter::single(std::string(32, '0'))); }), Errc::not_found);
  EXPECT_EQ(error_of([&] { t->log(HistoryFilter::single("zz")); }), Errc::not_found);
  // Unique prefixes resolve.
  EXPECT_EQ(t->resolve(ids[2].substr(0, 12)), ids[2]);
  EXPECT_EQ(t->commit_info(ids[2].substr(0, 9)).id, ids[2]);
  EXPECT_EQ(t->resolve("HEAD"), ids[5]);
}

TEST(Tree, BranchesTagsAndDisjointHistories) {
  auto backend = make_memory_backend();
  auto t = Tree::create(backend, "u", "p", fast());
  auto m = t->map("m");
  m.put("shared", "1");
  auto base = t->commit("base")->id;
  t->create_branch("feature");
  t->create_tag("v1", base);
  m.put("main-only", "x");
  auto main2 = t->commit("main 2")->id;
  EXPECT_EQ(error_of([&] { t->create_branch("feature"); }), Errc::already_exists);
  EXPECT_EQ(error_of([&] { t->create_tag("v1", main2); }), Errc::already_exists);

  m.put("dirty", "1");
  EXPECT_EQ(error_of([&] { t->switch_branch("feature"); }), Errc::conflict);
  t->rollback();
  t->switch_branch("feature");
  EXPECT_EQ(t->current_branch(), "feature");
  EXPECT_FALSE(m.get("main-only"));  // the handle follows the branch
  m.put("feature-only", "y");
  auto f1 = t->commit("feature 1");
  EXPECT_EQ(f1->parents, std::vector<CommitId>{base});
  EXPECT_EQ(f1->branch, "feature");
  // A merge commit names a second parent.
  auto merge = t->commit("merge", {}, CommitOptions{.force = true, .extra_parents = {"main"}});
  EXPECT_EQ(merge->parents, (std::vector<CommitId>{f1->id, main2}));
  // An orphan commit starts a disjoint line.
  t->create_branch("other", base);
  t->switch_branch("other");
  m.put("orphan", "z");
  auto orphan = t->commit("orphan", {}, CommitOptions{.orphan = true});
  EXPECT_TRUE(orphan->parents.empty());
  EXPECT_EQ(t->log().size(), 1u);
  EXPECT_EQ(error_of([&] { t->delete_branch("other"); }), Errc::invalid_argument);
  t->close();

  auto r = Tree::open(backend, "u", "p", fast());
  EXPECT_EQ(r->current_branch(), "other");
  EXPECT_EQ(r->resolve("v1"), base);
  EXPECT_EQ(r->resolve("feature"), merge->id);
  EXPECT_EQ(r->branches().size(), 3u);
  auto tags = r->tags();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].second, base);
  r->switch_branch("main");
  EXPECT_EQ(r->map("m").get("main-only"), "x");
  r->delete_branch("other");
  r->delete_tag("v1");
  EXPECT_EQ(error_of([&] { r->resolve("v1"); }), Errc::not_found);
}

TEST(Tree, SecondWriterIsLockedReadersAreNot) {
  ScratchDir dir;
  auto t = Tree::create(make_directory_backend(dir.path()), "u", "p", fast());
  t->map("m").put("k", "v");
  t->commit("c");
  EXPECT_EQ(error_of([&] { Tree::open(make_directory_backend(dir.path()), "u", "p", fast()); }),
            Errc::locked);
  auto reader = Tree::open(make_directory_backend(dir.path()), "u", "p", fast_read_only());
  EXPECT_EQ(reader->map("m").get("k"), "v");
  EXPECT_EQ(error_of([&] { reader->map("m").put("k", "w"); }), Errc::read_only);
  EXPECT_EQ(error_of([&] { reader->commit("x", {}, {.force = true}); }), Errc::read_only);
  t->close();
  EXPECT_EQ(error_of([&] { t->map("m"); }), Errc::closed);
  auto again = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
  EXPECT_EQ(again->map("m").get("k"), "v");
}

TEST(Tree, ClosedHandlesFailCleanly) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  m.put("a", "b");
  auto c = m.cursor();
  t->close();
  EXPECT_EQ(error_of([&] { m.get("a"); }), Errc::closed);
  EXPECT_EQ(error_of([&] { m.put("a", "c"); }), Errc::closed);
  EXPECT_EQ(error_of([&] { c.next(); }), Errc::closed);
  EXPECT_EQ(error_of([&] { t->commit("x"); }), Errc::closed);
  EXPECT_EQ(error_of([&] { t->log(); }), Errc::closed);
}

TEST(Tree, PasswordChangeKeepsDataAndRetiresOldCredentials) {
  ScratchDir dir;
  {
    auto t = Tree::create(make_directory_backend(dir.path()), "u", "old", fast());
    t->map("m").put("k", "v");
    t->commit("c");
    t->change_password("u2", "new", KdfParams::insecure_fast());
    t->map("m").put("k2", "v2");
    t->commit("after reseal");
  }
  auto backend = make_directory_backend(dir.path());
  EXPECT_EQ(error_of([&] { Tree::open(backend, "u", "old", fast()); }), Errc::wrong_credentials);
  auto t = Tree::open(backend, "u2", "new", fast());
  EXPECT_EQ(t->map("m").get("k"), "v");
  EXPECT_EQ(t->map("m").get("k2"), "v2");
  EXPECT_EQ(t->log().size(), 2u);
}

TEST(Tree, LimitsAreEnforced) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  EXPECT_EQ(error_of([&] { m.put(std::string(kMaxKeySize + 1, 'k'), "v"); }), Errc::too_large);
  m.put(std::string(kMaxKeySize, 'k'), "v");
  std::string big(3 << 20, 'x');  // spills into storage chunks
  m.put("big", big);
  t->commit("big");
  EXPECT_EQ(m.get("big"), big);
}

TEST(Tree, TamperedRootIsAClearError) {
  ScratchDir dir;
  { auto t = Tree::create(make_directory_backend(dir.path()), "u", "p", fast()); t->map("m").put("a", "b"); t->commit("c"); }
  // The root is the only object rewritten in place: find it by trying each.
  bool found = false;
  for (auto& f : object_files(dir.path())) {
    std::fstream io(f, std::ios::in | std::ios::out | std::ios::binary);
    char c;
    io.seekg(100);
    io.get(c);
    io.seekp(100);
    io.put(static_cast<char>(c ^ 0x40));
    io.close();
    Errc e = error_of([&] { Tree::open(make_directory_backend(dir.path()), "u", "p", fast()); });
    if (e == Errc::corrupt) {
      found = true;
      break;
    }
    std::fstream undo(f, std::ios::in | std::ios::out | std::ios::binary);
    undo.seekp(100);
    undo.put(c);
  }
  EXPECT_TRUE(found);
}

TEST(Tree, MissingDataObjectFailsOnlyTheFieldsThatNeedIt) {
  ScratchDir dir;
  auto keys_before = [&] {
    std::set<std::filesystem::path> s;
    for (auto& f : object_files(dir.path())) s.insert(f);
    return s;
  };
  {
    auto t = Tree::create(make_directory_backend(dir.path()), "u", "p", fast());
    t->map("a").put("k", "in a");
    t->commit("a");
  }
  auto before = keys_before();
  {
    auto t = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
    t->map("b").put("k", std::string(2 << 20, 'b'));  // a spilled value: storage object
    t->commit("b");
  }
  // Delete the storage object written for b's value: the one new object (the second writer
  // continued the first one's index object, docs/space.md), whose loss only b notices.
  std::vector<std::filesystem::path> added;
  for (auto& f : object_files(dir.path()))
    if (!before.count(f)) added.push_back(f);
  ASSERT_GE(added.size(), 1u);
  int opened_ok = 0;
  for (auto& victim : added) {
    auto saved = std::filesystem::temp_directory_path() / ("victim-" + std::to_string(::getpid()));
    std::filesystem::copy_file(victim, saved, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(victim);
    try {
      auto t = Tree::open(make_directory_backend(dir.path()), "u", "p", fast_read_only());
      ++opened_ok;
      EXPECT_EQ(t->map("a").get("k"), "in a");
      EXPECT_EQ(error_of([&] { t->map("b").get("k"); }), Errc::object_missing);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::object_missing) << e.what();
    }
    std::filesystem::copy_file(saved, victim);
    std::filesystem::remove(saved);
  }
  EXPECT_GE(opened_ok, 1);
}

TEST(Tree, ConcurrentFieldWritersAndCommits) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  constexpr int kThreads = 4, kPerThread = 2000;
  std::atomic<bool> done{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads; ++w)
    writers.emplace_back([&, w] {
      auto m = t->map("m" + std::to_string(w % 2));
      for (int i = 0; i < kPerThread; ++i) {
        m.put("w" + std::to_string(w) + "-" + std::to_string(i), std::to_string(i));
        if (i % 97 == 0) {
          EXPECT_TRUE(m.get("w" + std::to_string(w) + "-0"));
        }
      }
    });
  std::thread committer([&] {
    while (!done.load()) {
      t->commit("periodic");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  for (auto& w : writers) w.join();
  done = true;
  committer.join();
  t->commit("final");
  EXPECT_EQ(t->map("m0").size() + t->map("m1").size(), uint64_t{kThreads * kPerThread});
  // Every commit is a consistent prefix of each writer's sequence.
  for (auto& c : t->log()) {
    auto view = t->checkout(c.id);
    if (!view->has_field("m0")) continue;
    for (int w = 0; w < kThreads; w += 2) {
      auto m = view->map("m0");
      uint64_t n = m.count_range("w" + std::to_string(w) + "-", "w" + std::to_string(w) + ".");
      if (n > 0) {
        EXPECT_TRUE(m.get("w" + std::to_string(w) + "-0"));
      }
    }
  }
}

TEST(Tree, CursorsMoveBothWaysWithinBounds) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  for (char c = 'a'; c <= 'j'; ++c) m.put(std::string(1, c), std::string(2, c));
  auto cur = m.cursor("c", "g");
  std::string seen;
  for (; cur.valid(); cur.next()) seen += cur.key();
  EXPECT_EQ(seen, "cdef");
  cur.last();
  EXPECT_EQ(cur.key(), "f");
  cur.prev();
  EXPECT_EQ(cur.key(), "e");
  m.erase("d");  // a write in between: the cursor re-seeks
  cur.prev();
  EXPECT_EQ(cur.key(), "c");
  cur.prev();
  EXPECT_FALSE(cur.valid());
  cur.seek("e");
  EXPECT_EQ(cur.value(), "ee");
  cur.seek_for_prev("d");
  EXPECT_EQ(cur.key(), "c");
  auto p = m.prefix_cursor("h");
  EXPECT_EQ(p.key(), "h");
  p.next();
  EXPECT_FALSE(p.valid());
  EXPECT_EQ(error_of([&] { p.key(); }), Errc::not_found);
}

TEST(Tree, GetManyAnswersInTheOrderAskedForEveryKindOfValue) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  std::string big(200 * 1024, 'b');  // spilled out of its node
  m.put("k1", "one");
  m.put("k2", big);
  m.put("k3", "three");
  auto first = t->commit("c1");
  m.put("k1", "uno");
  m.erase("k3");
  // Unsorted, repeated and absent keys: one answer per key, in the order asked.
  std::vector<std::string> keys{"k3", "zz", "k1", "k2", "k1", ""};
  auto got = m.get_many(keys);
  ASSERT_EQ(got.size(), keys.size());
  EXPECT_EQ(got[0], std::nullopt);
  EXPECT_EQ(got[1], std::nullopt);
  EXPECT_EQ(got[2], "uno");
  EXPECT_EQ(got[3], big);
  EXPECT_EQ(got[4], "uno");
  EXPECT_EQ(got[5], std::nullopt);
  EXPECT_TRUE(m.get_many({}).empty());
  // A checkout answers from its own version.
  auto old = t->checkout(first->id)->map("m").get_many({"k1", "k3"});
  EXPECT_EQ(old, (std::vector<std::optional<std::string>>{"one", "three"}));
  t->close();
  EXPECT_EQ(error_of([&] { m.get_many({"k1"}); }), Errc::closed);
}

TEST(Tree, SmallCommitsReuseTheOpenObject) {
  ScratchDir dir;
  auto t = Tree::create(make_directory_backend(dir.path()), "u", "p", fast());
  for (int i = 0; i < 40; ++i) {
    t->map("m").put("k" + std::to_string(i), "v");
    ASSERT_TRUE(t->commit("c" + std::to_string(i)));
  }
  // One root object plus the one index object all 40 commits grew into.
  EXPECT_LE(object_files(dir.path()).size(), 3u);
  for (auto& f : object_files(dir.path())) EXPECT_EQ(std::filesystem::file_size(f), kObjectSize);
  t->close();
  auto r = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
  EXPECT_EQ(r->map("m").size(), 40u);
  EXPECT_EQ(r->log().size(), 40u);
  for (auto& c : r->log()) EXPECT_TRUE(r->checkout(c.id)->map("m").get("k0"));
}

TEST(Tree, WritingFromInsideOwnScanIsAnErrorNotADeadlock) {
  auto t = Tree::create(make_memory_backend(), "u", "p", fast());
  auto m = t->map("m");
  auto other = t->map("other");
  m.put("a", "1");
  m.put("b", "2");
  m.scan({}, {}, [&](std::string_view k, std::string_view v) {
    EXPECT_EQ(error_of([&] { m.put(std::string(k) + "x", v); }), Errc::invalid_argument);
    EXPECT_EQ(error_of([&] { t->commit("inside"); }), Errc::invalid_argument);
    // Writing another field could deadlock against a scan of that field: refused too.
    EXPECT_EQ(error_of([&] { other.put(k, v); }), Errc::invalid_argument);
    EXPECT_TRUE(m.get(k));  // reads of any field are fine
    EXPECT_FALSE(other.get(k));
    return true;
  });
  EXPECT_EQ(other.size(), 0u);
  EXPECT_TRUE(t->commit("after"));
}
