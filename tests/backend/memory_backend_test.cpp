// The memory backend's description and independence: describe() is exactly "memory" (as
// docs/c-api.md promises), while two instances are still separate stores for the
// process-local writer lock. And is_empty() on each backend kind.
#include <gtest/gtest.h>

#include <fstream>

#include "backend/backend_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;
using testing_backend::object_of;

TEST(MemoryBackend, DescribeIsExactlyMemory) {
  auto a = make_memory_backend();
  auto b = make_memory_backend();
  EXPECT_EQ(a->describe(), "memory");
  EXPECT_EQ(b->describe(), "memory");
  std::string msg = expect_error(Errc::object_missing, [&] { a->read_object(ObjectId::random()); });
  EXPECT_NE(msg.find("memory"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("memory#"), std::string::npos) << msg;
}

TEST(MemoryBackend, InstancesAreSeparateStoresForTheWriterLock) {
  auto a = make_memory_backend();
  auto b = make_memory_backend();
  auto root = ObjectId::random();
  auto lock_a = a->lock_writer(root);
  auto lock_b = b->lock_writer(root);  // another store: no conflict
  expect_error(Errc::locked, [&] { a->lock_writer(root); });
  lock_a.reset();
  EXPECT_NO_THROW(a->lock_writer(root));
}

TEST(Backends, IsEmptyCountsOnlyObjects) {
  infinitree::testing::ScratchDir dir, cache;
  auto mem = make_memory_backend();
  auto disk = make_directory_backend(dir.path());
  auto cached = make_cache_backend(make_directory_backend(dir.path()), cache.path(), 0);
  for (auto* b : {mem.get(), disk.get(), cached.get()}) EXPECT_TRUE(b->is_empty()) << b->describe();
  // Lock files and foreign files are not objects.
  auto lock = disk->lock_writer(ObjectId::random());
  std::filesystem::create_directories(dir.path() / "ab");
  { std::ofstream(dir.path() / "ab" / "notes.txt") << "x"; }
  EXPECT_TRUE(disk->is_empty());
  auto id = ObjectId::random();
  mem->write_object(id, object_of(1));
  disk->write_object(id, object_of(1));
  for (auto* b : {mem.get(), disk.get(), cached.get()}) EXPECT_FALSE(b->is_empty()) << b->describe();
  mem->delete_object(id);
  disk->delete_object(id);
  for (auto* b : {mem.get(), disk.get(), cached.get()}) EXPECT_TRUE(b->is_empty()) << b->describe();
}

}  // namespace
}  // namespace infinitree
