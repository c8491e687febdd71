// The behaviour every backend promises (include/infinitree/backend.hpp), run against each
// local backend: memory, directory, and a cache in front of a directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "backend_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing::ScratchDir;
using testing_backend::expect_error;
using testing_backend::object_of;

struct Factory {
  const char* name;
  std::function<std::shared_ptr<Backend>(const std::filesystem::path&)> make;
};
void PrintTo(const Factory& f, std::ostream* os) { *os << f.name; }

class BackendContract : public ::testing::TestWithParam<Factory> {
 protected:
  void SetUp() override { backend_ = GetParam().make(dir_.path()); }
  ScratchDir dir_;
  std::shared_ptr<Backend> backend_;
};

TEST_P(BackendContract, WriteThenReadIsExact) {
  auto id = ObjectId::random();
  auto data = object_of(7);
  backend_->write_object(id, data);
  backend_->sync();
  EXPECT_TRUE(backend_->has_object(id));
  auto back = backend_->read_object(id);
  ASSERT_EQ(back->size(), kObjectSize);
  EXPECT_EQ(*back, data);
}

TEST_P(BackendContract, OverwriteReplacesWholeObject) {
  auto id = ObjectId::random();
  backend_->write_object(id, object_of(1));
  auto first = backend_->read_object(id);
  backend_->write_object(id, object_of(2));
  backend_->sync();
  EXPECT_EQ(*backend_->read_object(id), object_of(2));
  EXPECT_EQ(*first, object_of(1)) << "a buffer already read must not change";
}

TEST_P(BackendContract, ReadRangeSlicesAndChecksBounds) {
  auto id = ObjectId::random();
  auto data = object_of(3);
  backend_->write_object(id, data);
  backend_->sync();
  auto part = backend_->read_range(id, 1000, 5000);
  EXPECT_EQ(part, std::vector<uint8_t>(data.begin() + 1000, data.begin() + 6000));
  auto tail = backend_->read_range(id, kObjectSize - 10, 10);
  EXPECT_EQ(tail, std::vector<uint8_t>(data.end() - 10, data.end()));
  EXPECT_TRUE(backend_->read_range(id, kObjectSize, 0).empty());
  expect_error(Errc::object_truncated, [&] { backend_->read_range(id, kObjectSize - 10, 11); });
  expect_error(Errc::object_truncated, [&] { backend_->read_range(id, UINT64_MAX, 2); });
  expect_error(Errc::object_truncated, [&] { backend_->read_range(id, 1, UINT64_MAX); });
}

TEST_P(BackendContract, MissingObjectIsObjectMissing) {
  auto id = ObjectId::random();
  EXPECT_FALSE(backend_->has_object(id));
  expect_error(Errc::object_missing, [&] { backend_->read_object(id); });
  expect_error(Errc::object_missing, [&] { backend_->read_range(id, 0, 10); });
}

TEST_P(BackendContract, WrongSizeIsRejected) {
  auto id = ObjectId::random();
  std::vector<uint8_t> small(100, 1);
  expect_error(Errc::invalid_argument, [&] { backend_->write_object(id, small); });
  std::vector<uint8_t> big(kObjectSize + 1, 1);
  expect_error(Errc::invalid_argument, [&] { backend_->write_object(id, big); });
  backend_->sync();
  EXPECT_FALSE(backend_->has_object(id));
}

TEST_P(BackendContract, ListAndDelete) {
  std::vector<ObjectId> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(ObjectId::random());
    backend_->write_object(ids.back(), object_of(static_cast<uint8_t>(i)));
  }
  backend_->sync();
  auto listed = backend_->list_objects();
  std::sort(listed.begin(), listed.end());
  auto expected = ids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed, expected);

  backend_->delete_object(ids[2]);
  backend_->delete_object(ids[2]);  // deleting twice is not an error
  backend_->sync();
  EXPECT_FALSE(backend_->has_object(ids[2]));
  expect_error(Errc::object_missing, [&] { backend_->read_object(ids[2]); });
  EXPECT_EQ(backend_->list_objects().size(), 4u);
}

TEST_P(BackendContract, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 4, kPerThread = 4;
  std::vector<std::vector<ObjectId>> ids(kThreads);
  for (auto& v : ids)
    for (int i = 0; i < kPerThread; ++i) v.push_back(ObjectId::random());
  // A shared object that readers read while writers overwrite it: always whole.
  auto shared = ObjectId::random();
  backend_->write_object(shared, object_of(100));
  backend_->sync();
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop) {
      auto o = backend_->read_object(shared);
      uint8_t first = (*o)[0];
      if (first != 100 && first != 101) ++torn;
      if (!std::all_of(o->begin(), o->end(), [&](uint8_t b) { return b == first; })) ++torn;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        backend_->write_object(ids[t][i], object_of(static_cast<uint8_t>(t * 10 + i)));
        backend_->write_object(shared, object_of(static_cast<uint8_t>(100 + (i & 1))));
      }
    });
  for (auto& w : writers) w.join();
  backend_->sync();
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kPerThread; ++i)
      EXPECT_EQ((*backend_->read_object(ids[t][i]))[kObjectSize - 1], t * 10 + i);
}

TEST_P(BackendContract, WriterLockIsExclusiveUntilReleased) {
  auto root = ObjectId::random();
  auto lock = backend_->lock_writer(root);
  ASSERT_NE(lock, nullptr);
  expect_error(Errc::locked, [&] { backend_->lock_writer(root); });
  auto other = backend_->lock_writer(ObjectId::random());  // another tree is independent
  lock.reset();
  auto again = backend_->lock_writer(root);
  EXPECT_NE(again, nullptr);
}

TEST_P(BackendContract, ConditionalWriteDetectsSecondWriter) {
  auto id = ObjectId::random();
  EXPECT_EQ(backend_->object_version(id), "");
  // Creating requires absence.
  std::string v1 = backend_->write_object_if_version(id, object_of(1), "");
  EXPECT_FALSE(v1.empty());
  EXPECT_EQ(backend_->object_version(id), v1);
  expect_error(Errc::conflict, [&] { backend_->write_object_if_version(id, object_of(9), ""); });
  // Writer A and writer B both read v1; A wins, B must fail.
  std::string v2 = backend_->write_object_if_version(id, object_of(2), v1);
  EXPECT_NE(v2, v1);
  expect_error(Errc::conflict, [&] { backend_->write_object_if_version(id, object_of(3), v1); });
  EXPECT_EQ(*backend_->read_object(id), object_of(2));
  // An unconditional write also changes the version.
  backend_->write_object(id, object_of(4));
  backend_->sync();
  EXPECT_NE(backend_->object_version(id), v2);
  expect_error(Errc::conflict, [&] { backend_->write_object_if_version(id, object_of(5), v2); });
}

TEST_P(BackendContract, VersionedReadMatchesConditionalWrite) {
  auto id = ObjectId::random();
  expect_error(Errc::object_missing, [&] { backend_->read_object_versioned(id); });
  std::string v1 = backend_->write_object_if_version(id, object_of(1), "");
  auto r = backend_->read_object_versioned(id);
  EXPECT_EQ(r.version, v1);
  EXPECT_EQ(*r.data, object_of(1));
  std::string v2 = backend_->write_object_if_version(id, object_of(2), r.version);
  auto r2 = backend_->read_object_versioned(id);
  EXPECT_EQ(r2.version, v2);
  EXPECT_EQ(*r2.data, object_of(2));
  backend_->invalidate(id);  // a hint only: the object stays readable
  EXPECT_EQ(*backend_->read_object(id), object_of(2));
}

TEST_P(BackendContract, ConditionalWriteRaceHasOneWinner) {
  auto id = ObjectId::random();
  std::string v = backend_->write_object_if_version(id, object_of(0), "");
  std::atomic<int> wins{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        backend_->write_object_if_version(id, object_of(static_cast<uint8_t>(t + 1)), v);
        ++wins;
      } catch (const Error& e) {
        if (e.code() == Errc::conflict) ++conflicts;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 3);
}

TEST_P(BackendContract, DescribeIsNotEmpty) { EXPECT_FALSE(backend_->describe().empty()); }

INSTANTIATE_TEST_SUITE_P(
    Local, BackendContract,
    ::testing::Values(
        Factory{"memory", [](const std::filesystem::path&) { return make_memory_backend(); }},
        Factory{"directory",
                [](const std::filesystem::path& p) { return make_directory_backend(p / "store"); }},
        Factory{"cache_over_directory",
                [](const std::filesystem::path& p) {
                  return make_cache_backend(make_directory_backend(p / "remote"), p / "cache",
                                            4 * kObjectSize);
                }}),
    [](const ::testing::TestParamInfo<Factory>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace infinitree
