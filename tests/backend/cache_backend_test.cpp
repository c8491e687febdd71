// The cache backend in front of a local remote (a directory backend wrapped to count the
// reads that reach it): hits, misses, LRU eviction by bytes, write-through, reuse of the
// folder by another process, damaged files, prefetch and the never-cached root.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "backend/directory_backend.hpp"
#include "backend_test_util.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;
using testing_backend::expect_error;
using testing_backend::object_of;

// Forwards to an inner backend and counts the object reads that reach it.
class CountingBackend : public Backend {
 public:
  explicit CountingBackend(std::shared_ptr<Backend> inner) : inner_(std::move(inner)) {}
  std::atomic<int> reads{0};
  std::atomic<int> syncs{0};
  bool fail_sync = false;

  void write_object(const ObjectId& id, std::span<const uint8_t> d) override { inner_->write_object(id, d); }
  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    ++reads;
    return inner_->read_object(id);
  }
  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t o, uint64_t l) override {
    ++reads;
    return inner_->read_range(id, o, l);
  }
  void delete_object(const ObjectId& id) override { inner_->delete_object(id); }
  bool has_object(const ObjectId& id) override { return inner_->has_object(id); }
  std::vector<ObjectId> list_objects() override { return inner_->list_objects(); }
  void sync() override {
    ++syncs;
    if (fail_sync) throw Error(Errc::network, "remote unreachable");
    inner_->sync();
  }
  std::string object_version(const ObjectId& id) override { return inner_->object_version(id); }
  Versioned read_object_versioned(const ObjectId& id) override {
    ++reads;
    return inner_->read_object_versioned(id);
  }
  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> d,
                                      const std::string& e) override {
    return inner_->write_object_if_version(id, d, e);
  }
  std::string describe() const override { return "counting(" + inner_->describe() + ")"; }

 private:
  std::shared_ptr<Backend> inner_;
};

struct Rig {
  ScratchDir dir;
  std::shared_ptr<CountingBackend> remote =
      std::make_shared<CountingBackend>(make_directory_backend(dir.path() / "remote"));
  fs::path cache_dir = dir.path() / "cache";
  fs::path cached_file(const ObjectId& id) const { return directory_object_path(cache_dir, id); }
};

TEST(CacheBackend, ReadsFillTheCacheAndHitsStayLocal) {
  Rig r;
  auto id = ObjectId::random();
  r.remote->write_object(id, object_of(3));
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  EXPECT_EQ(*c->read_object(id), object_of(3));
  EXPECT_EQ(r.remote->reads, 1);
  EXPECT_EQ(fs::file_size(r.cached_file(id)), kObjectSize);
  EXPECT_EQ(*c->read_object(id), object_of(3));
  EXPECT_EQ(c->read_range(id, 10, 20), std::vector<uint8_t>(20, 3));
  EXPECT_EQ(r.remote->reads, 1);
}

TEST(CacheBackend, RangeMissFetchesTheWholeObjectOnce) {
  Rig r;
  auto id = ObjectId::random();
  auto data = infinitree::testing::random_data(kObjectSize);
  r.remote->write_object(id, data);
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  EXPECT_EQ(c->read_range(id, 100, 50), std::vector<uint8_t>(data.begin() + 100, data.begin() + 150));
  EXPECT_EQ(c->read_range(id, 5000, 50), std::vector<uint8_t>(data.begin() + 5000, data.begin() + 5050));
  EXPECT_EQ(r.remote->reads, 1);
  expect_error(Errc::object_truncated, [&] { c->read_range(id, kObjectSize, 1); });
}

TEST(CacheBackend, EvictsLeastRecentlyUsedByBytes) {
  Rig r;
  std::vector<ObjectId> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(ObjectId::random());
    r.remote->write_object(ids.back(), object_of(static_cast<uint8_t>(i)));
  }
  auto c = make_cache_backend(r.remote, r.cache_dir, 3 * kObjectSize);
  c->read_object(ids[0]);
  c->read_object(ids[1]);
  c->read_object(ids[2]);
  c->read_object(ids[0]);  // 0 is now more recent than 1
  c->read_object(ids[3]);  // over budget: 1 goes
  EXPECT_TRUE(fs::exists(r.cached_file(ids[0])));
  EXPECT_FALSE(fs::exists(r.cached_file(ids[1])));
  EXPECT_TRUE(fs::exists(r.cached_file(ids[2])));
  EXPECT_TRUE(fs::exists(r.cached_file(ids[3])));
  int before = r.remote->reads;
  EXPECT_EQ(*c->read_object(ids[1]), object_of(1));  // a miss again, served exactly
  EXPECT_EQ(r.remote->reads, before + 1);
  int files = 0;  // the eviction lock file aside
  for (const auto& e : fs::recursive_directory_iterator(r.cache_dir))
    files += e.is_regular_file() && e.path().filename() != ".lock";
  EXPECT_EQ(files, 3);
}

TEST(CacheBackend, WriteThroughIsDurableWhenTheRemoteSyncs) {
  Rig r;
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  auto id = ObjectId::random();
  c->write_object(id, object_of(9));
  c->sync();
  EXPECT_EQ(r.remote->syncs, 1);
  EXPECT_TRUE(make_directory_backend(r.dir.path() / "remote")->has_object(id));
  EXPECT_TRUE(fs::exists(r.cached_file(id)));
  EXPECT_EQ(*c->read_object(id), object_of(9));
  EXPECT_EQ(r.remote->reads, 0);
  r.remote->fail_sync = true;
  expect_error(Errc::network, [&] { c->sync(); });  // not durable: the caller learns it
  expect_error(Errc::invalid_argument, [&] { c->write_object(id, std::vector<uint8_t>(5)); });
}

TEST(CacheBackend, AnotherProcessReusesTheFolder) {
  Rig r;
  auto id = ObjectId::random();
  r.remote->write_object(id, object_of(5));
  make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize)->read_object(id);
  ASSERT_EQ(r.remote->reads, 1);
  pid_t pid = ::fork();
  if (pid == 0) {
    // The child has its own remote counter: reading must not touch the remote.
    auto remote = std::make_shared<CountingBackend>(make_directory_backend(r.dir.path() / "remote"));
    auto c = make_cache_backend(remote, r.cache_dir, 8 * kObjectSize);
    bool ok = *c->read_object(id) == object_of(5) && remote->reads == 0;
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(CacheBackend, DamagedFilesAreDroppedAndFetchedAgain) {
  Rig r;
  auto id = ObjectId::random();
  r.remote->write_object(id, object_of(7));
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  c->read_object(id);
  // Wrong size: detected by the cache itself, on whole and ranged reads.
  fs::resize_file(r.cached_file(id), 1000);
  EXPECT_EQ(*c->read_object(id), object_of(7));
  EXPECT_EQ(r.remote->reads, 2);
  EXPECT_EQ(fs::file_size(r.cached_file(id)), kObjectSize);
  fs::resize_file(r.cached_file(id), kObjectSize + 1);
  EXPECT_EQ(c->read_range(id, 0, 4), std::vector<uint8_t>(4, 7));
  EXPECT_EQ(r.remote->reads, 3);
  // Right size, wrong bytes: the object layer's tag check fails and it invalidates.
  {
    std::fstream f(r.cached_file(id), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put(static_cast<char>(0xEE));
  }
  c->invalidate(id);
  EXPECT_EQ(*c->read_object(id), object_of(7));
  EXPECT_EQ(r.remote->reads, 4);
}

TEST(CacheBackend, StartupScanDropsDamagedAndStaleFiles) {
  Rig r;
  auto good = ObjectId::random(), bad = ObjectId::random();
  r.remote->write_object(good, object_of(1));
  r.remote->write_object(bad, object_of(2));
  {
    auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
    c->read_object(good);
    c->read_object(bad);
  }
  fs::resize_file(r.cached_file(bad), 10);
  fs::path temp = r.cached_file(good).parent_path() / ".tmp-leftover";
  std::ofstream(temp) << "x";
  fs::last_write_time(temp, fs::file_time_type::clock::now() - std::chrono::hours(2));
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  EXPECT_FALSE(fs::exists(r.cached_file(bad)));
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(fs::exists(r.cached_file(good)));
  // A smaller budget on reopen trims to it.
  auto small = make_cache_backend(r.remote, r.cache_dir, 0);
  EXPECT_FALSE(fs::exists(r.cached_file(good)));
}

TEST(CacheBackend, PrefetchFetchesInTheBackground) {
  Rig r;
  auto id = ObjectId::random();
  r.remote->write_object(id, object_of(4));
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  c->prefetch(id);
  c->prefetch(id);  // duplicate hints are merged
  // Wait for the file (a bound on waiting, not a timing assertion).
  for (int i = 0; i < 1000 && !fs::exists(r.cached_file(id)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(fs::exists(r.cached_file(id)));
  EXPECT_EQ(*c->read_object(id), object_of(4));
  EXPECT_EQ(r.remote->reads, 1);
  c->prefetch(ObjectId::random());  // a missing object is only a failed hint
  c->prefetch(id);                  // already cached: nothing to do
}

TEST(CacheBackend, RootObjectIsNeverServedFromTheCache) {
  Rig r;
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  auto other = make_cache_backend(r.remote, r.dir.path() / "cache2", 8 * kObjectSize);
  auto root = ObjectId::random();
  std::string v1 = c->write_object_if_version(root, object_of(1), "");
  auto seen = other->read_object_versioned(root);
  EXPECT_EQ(seen.version, v1);
  std::string v2 = c->write_object_if_version(root, object_of(2), v1);
  // The second cache must see the new root, and its stale version must conflict.
  auto again = other->read_object_versioned(root);
  EXPECT_EQ(again.version, v2);
  EXPECT_EQ(*again.data, object_of(2));
  expect_error(Errc::conflict, [&] { other->write_object_if_version(root, object_of(3), v1); });
  EXPECT_FALSE(fs::exists(r.cached_file(root)));
}

TEST(CacheBackend, ConcurrentMissesShareOneFetch) {
  Rig r;
  std::vector<ObjectId> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(ObjectId::random());
    r.remote->write_object(ids.back(), object_of(static_cast<uint8_t>(i)));
  }
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 3; ++round)
        for (int i = 0; i < 3; ++i)
          if ((*c->read_object(ids[i]))[1234] != i) ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_LE(r.remote->reads, 3 * 4);  // never more than one fetch per reader and id
  EXPECT_GE(r.remote->reads, 3);
}

TEST(CacheBackend, ZeroBudgetCachesNothingButWorks) {
  Rig r;
  auto id = ObjectId::random();
  auto c = make_cache_backend(r.remote, r.cache_dir, 0);
  c->write_object(id, object_of(6));
  EXPECT_EQ(*c->read_object(id), object_of(6));
  EXPECT_FALSE(fs::exists(r.cached_file(id)));
  EXPECT_EQ(c->list_objects(), std::vector<ObjectId>{id});
  c->delete_object(id);
  EXPECT_FALSE(c->has_object(id));
  expect_error(Errc::object_missing, [&] { c->read_object(id); });
}

TEST(CacheBackend, DeleteRemovesBothCopies) {
  Rig r;
  auto c = make_cache_backend(r.remote, r.cache_dir, 8 * kObjectSize);
  auto id = ObjectId::random();
  c->write_object(id, object_of(1));
  c->delete_object(id);
  EXPECT_FALSE(fs::exists(r.cached_file(id)));
  EXPECT_FALSE(r.remote->has_object(id));
  expect_error(Errc::object_missing, [&] { c->read_object(id); });
  EXPECT_NE(c->describe().find("cache:"), std::string::npos);
}

// Several processes share one folder: the budget counts every file in it, whoever wrote it.
TEST(CacheBackend, BudgetCountsFilesOfOtherProcesses) {
  Rig r;
  std::vector<ObjectId> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(ObjectId::random());
    r.remote->write_object(ids.back(), object_of(static_cast<uint8_t>(i)));
  }
  // Two caches made before either stored anything (as two processes started together).
  auto a = make_cache_backend(r.remote, r.cache_dir, 3 * kObjectSize);
  auto b = make_cache_backend(r.remote, r.cache_dir, 3 * kObjectSize);
  b->read_object(ids[0]);
  b->read_object(ids[1]);
  b->read_object(ids[2]);
  a->read_object(ids[3]);  // four files in the folder: the least recently used one goes
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(r.cache_dir))
    files += e.is_regular_file() && e.path().filename() != ".lock";
  EXPECT_EQ(files, 3);
  EXPECT_FALSE(fs::exists(r.cached_file(ids[0])));
  EXPECT_TRUE(fs::exists(r.cached_file(ids[3])));
  // b's evicted object is a miss, served exactly.
  EXPECT_EQ(*b->read_object(ids[0]), object_of(0));
}

// Readers in several processes at a budget far below what they read: every read is exact
// although the others keep evicting, and the folder ends within the budget.
TEST(CacheBackend, ProcessesSharingASmallBudgetNeverFailAReadOfAnother) {
  Rig r;
  constexpr int kObjects = 12, kProcesses = 4, kReads = 60;
  std::vector<ObjectId> ids;
  for (int i = 0; i < kObjects; ++i) {
    ids.push_back(ObjectId::random());
    r.remote->write_object(ids.back(), object_of(static_cast<uint8_t>(i + 1)));
  }
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int bad = 0;
      try {
        auto remote = make_directory_backend(r.dir.path() / "remote");
        auto c = make_cache_backend(remote, r.cache_dir, 3 * kObjectSize);
        std::mt19937 rng(static_cast<unsigned>(p * 7919 + 1));
        for (int n = 0; n < kReads; ++n) {
          int i = static_cast<int>(rng() % kObjects);
          if (n % 2) {
            if ((*c->read_object(ids[i]))[kObjectSize - 1] != i + 1) ++bad;
          } else if (c->read_range(ids[i], 4096, 16) != std::vector<uint8_t>(16, static_cast<uint8_t>(i + 1))) {
            ++bad;
          }
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "reader %d: %s\n", p, e.what());
        bad = 100;
      }
      ::_exit(bad == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a reader failed";
  }
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(r.cache_dir))
    files += e.is_regular_file() && e.path().filename() != ".lock";
  EXPECT_LE(files, 3);
  EXPECT_GE(files, 1);
}

}  // namespace
}  // namespace infinitree
