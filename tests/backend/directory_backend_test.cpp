// The directory backend's on-disk layout, its error codes and its cross-process lock.
#include <gtest/gtest.h>

#include <fstream>

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
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

// Runs `f` in a fork()ed child and returns its exit code (f returns the code).
int in_child(const std::function<int()>& f) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int rc = 99;
    try {
      rc = f();
    } catch (...) {
      rc = 98;
    }
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DirectoryBackend, LayoutIsOneExactFilePerObjectFannedOut) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  b->write_object(id, object_of(5));
  std::string hex = id.hex();
  fs::path file = dir.path() / hex.substr(0, 2) / hex;
  ASSERT_TRUE(fs::is_regular_file(file));
  EXPECT_EQ(fs::file_size(file), kObjectSize);
  EXPECT_EQ(file, directory_object_path(dir.path(), id));
  // Nothing else is left behind: no temp files.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(file.parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(DirectoryBackend, SecondHandleSeesObjects) {
  ScratchDir dir;
  auto id = ObjectId::random();
  make_directory_backend(dir.path())->write_object(id, object_of(8));
  auto other = make_directory_backend(dir.path());
  EXPECT_EQ(*other->read_object(id), object_of(8));
  EXPECT_EQ(other->list_objects(), std::vector<ObjectId>{id});
}

TEST(DirectoryBackend, TruncatedFileIsObjectTruncatedNamingThePath) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  fs::path file = directory_object_path(dir.path(), id);
  fs::resize_file(file, kObjectSize - 1);
  std::string msg = expect_error(Errc::object_truncated, [&] { b->read_object(id); });
  EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
  expect_error(Errc::object_truncated, [&] { b->read_range(id, 0, 10); });
  // Too long is as wrong as too short.
  fs::resize_file(file, kObjectSize + 1);
  expect_error(Errc::object_truncated, [&] { b->read_object(id); });
}

TEST(DirectoryBackend, MissingMessageNamesThePath) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  std::string msg = expect_error(Errc::object_missing, [&] { b->read_object(id); });
  EXPECT_NE(msg.find(id.hex()), std::string::npos) << msg;
}

// Root bypasses file permissions, so as root the check runs in a child that drops to the
// unprivileged user "nobody" (65534) first.
TEST(DirectoryBackend, PermissionDeniedAsUnprivilegedChild) {
  if (::geteuid() != 0) GTEST_SKIP() << "covered by PermissionDenied when not root";
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  fs::path file = directory_object_path(dir.path(), id);
  fs::permissions(file, fs::perms::owner_read);  // readable by root only
  int rc = in_child([&] {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) return 10;
    if (::access(file.c_str(), R_OK) == 0) return 11;  // permissions not enforced here
    try {
      b->read_object(id);
      return 1;
    } catch (const Error& e) {
      if (e.code() != Errc::permission_denied) return 2;
      return std::string(e.what()).find(file.string()) != std::string::npos ? 0 : 3;
    }
  });
  if (rc == 10 || rc == 11) GTEST_SKIP() << "cannot drop privileges here (rc " << rc << ")";
  EXPECT_EQ(rc, 0);
}

TEST(DirectoryBackend, PermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: root bypasses file permissions";
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  fs::path file = directory_object_path(dir.path(), id);
  fs::permissions(file, fs::perms::none);
  std::string msg = expect_error(Errc::permission_denied, [&] { b->read_object(id); });
  EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
  fs::permissions(file.parent_path(), fs::perms::owner_read | fs::perms::owner_exec);
  expect_error(Errc::permission_denied, [&] { b->write_object(ObjectId::from_hex(
                                                  id.hex().substr(0, 2) + std::string(62, '0')),
                                              object_of(2)); });
  fs::permissions(file.parent_path(), fs::perms::owner_all);
}

// A full device: in a child with its own mount namespace, a 6 MiB tmpfs holds one object;
// the second write fails with no_space, names the path and leaves no temp file behind.
TEST(DirectoryBackend, FullDeviceIsNoSpace) {
  ScratchDir dir;
  fs::path mnt = dir.path() / "small";
  fs::create_directories(mnt);
  int rc = in_child([&] {
    if (::unshare(CLONE_NEWNS) != 0) return 10;
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=6m") != 0) return 10;
    auto b = make_directory_backend(mnt);
    auto first = ObjectId::random(), second = ObjectId::random();
    b->write_object(first, object_of(1));
    try {
      b->write_object(second, object_of(2));
      return 1;
    } catch (const Error& e) {
      if (e.code() != Errc::no_space) return 2;
      if (std::string(e.what()).find(mnt.string()) == std::string::npos) return 3;
    }
    for (const auto& entry : fs::recursive_directory_iterator(mnt))
      if (entry.path().filename().string().rfind(".tmp-", 0) == 0) return 4;
    if (b->has_object(second)) return 5;
    return *b->read_object(first) == object_of(1) ? 0 : 6;
  });
  if (rc == 10) GTEST_SKIP() << "cannot mount a tmpfs in a private namespace here";
  EXPECT_EQ(rc, 0);
}

TEST(DirectoryBackend, ListIgnoresTempAndForeignFiles) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  std::string hex = id.hex();
  fs::path fan = dir.path() / hex.substr(0, 2);
  std::ofstream(fan / (".tmp-" + hex + "-0011223344556677")) << "partial";
  std::ofstream(fan / "README") << "foreign";
  std::ofstream(dir.path() / "notes.txt") << "foreign";
  fs::create_directories(dir.path() / "zz");
  std::ofstream(dir.path() / "zz" / hex) << "not a fan-out folder";
  // A valid name in the wrong fan-out folder is not an object of this store either.
  std::string other = hex;
  other[0] = hex[0] == 'a' ? 'b' : 'a';
  fs::create_directories(dir.path() / other.substr(0, 2));
  std::ofstream(dir.path() / other.substr(0, 2) / hex) << "misplaced";
  b->lock_writer(ObjectId::random());  // creates locks/ with a lock file
  EXPECT_EQ(b->list_objects(), std::vector<ObjectId>{id});
}

TEST(DirectoryBackend, CreatesMissingRootAndRejectsAFileAsRoot) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path() / "a" / "b");
  EXPECT_TRUE(fs::is_directory(dir.path() / "a" / "b"));
  std::ofstream(dir.path() / "file") << "x";
  expect_error(Errc::io, [&] { make_directory_backend(dir.path() / "file"); });
}

TEST(DirectoryBackend, LockFileLivesUnderLocks) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto root = ObjectId::random();
  auto lock = b->lock_writer(root);
  EXPECT_TRUE(fs::exists(dir.path() / "locks" / (root.hex() + ".lock")));
}

TEST(DirectoryBackend, TwoHandlesInOneProcessConflict) {
  ScratchDir dir;
  auto a = make_directory_backend(dir.path());
  auto b = make_directory_backend(dir.path() / "." );  // another spelling of the same folder
  auto root = ObjectId::random();
  auto lock = a->lock_writer(root);
  std::string msg = expect_error(Errc::locked, [&] { b->lock_writer(root); });
  EXPECT_NE(msg.find("held by another writer"), std::string::npos) << msg;
  // Readers never take the lock.
  auto id = ObjectId::random();
  a->write_object(id, object_of(3));
  EXPECT_EQ(*b->read_object(id), object_of(3));
  lock.reset();
  EXPECT_NE(b->lock_writer(root), nullptr);
}

TEST(DirectoryBackend, LockConflictsAcrossProcesses) {
  ScratchDir dir;
  auto root = ObjectId::random();
  auto b = make_directory_backend(dir.path());
  auto lock = b->lock_writer(root);
  // The child opens the store afresh, as another process would.
  int rc = in_child([&] {
    auto c = make_directory_backend(dir.path());
    try {
      c->lock_writer(root);
      return 1;
    } catch (const Error& e) {
      return e.code() == Errc::locked ? 0 : 2;
    }
  });
  EXPECT_EQ(rc, 0);
  lock.reset();
  rc = in_child([&] {
    auto c = make_directory_backend(dir.path());
    auto l = c->lock_writer(root);
    return l ? 0 : 1;
  });
  EXPECT_EQ(rc, 0);
}

TEST(DirectoryBackend, LockHeldByChildBlocksParentAndDiesWithIt) {
  ScratchDir dir;
  auto root = ObjectId::random();
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    auto c = make_directory_backend(dir.path());
    auto l = c->lock_writer(root);
    char x = 1;
    if (::write(ready[1], &x, 1) != 1) ::_exit(2);
    if (::read(done[0], &x, 1) != 1) ::_exit(3);
    ::_exit(0);  // the lock dies with the process, without any cleanup
  }
  char x;
  ASSERT_EQ(::read(ready[0], &x, 1), 1);
  auto b = make_directory_backend(dir.path());
  expect_error(Errc::locked, [&] { b->lock_writer(root); });
  ASSERT_EQ(::write(done[1], &x, 1), 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(b->lock_writer(root), nullptr);
  for (int fd : {ready[0], ready[1], done[0], done[1]}) ::close(fd);
}

TEST(DirectoryBackend, ConditionalWriteConflictsAcrossProcesses) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path());
  auto id = ObjectId::random();
  std::string v1 = b->write_object_if_version(id, object_of(1), "");
  // Another process commits first...
  int rc = in_child([&] {
    auto c = make_directory_backend(dir.path());
    c->write_object_if_version(id, object_of(2), v1);
    return 0;
  });
  ASSERT_EQ(rc, 0);
  // ...so this writer's stale version must not overwrite it.
  expect_error(Errc::conflict, [&] { b->write_object_if_version(id, object_of(3), v1); });
  EXPECT_EQ(*b->read_object(id), object_of(2));
}

TEST(DirectoryBackend, NonDurableModeStillAtomic) {
  ScratchDir dir;
  auto b = make_directory_backend(dir.path(), DirectoryOptions{.durable = false});
  auto id = ObjectId::random();
  b->write_object(id, object_of(4));
  EXPECT_EQ(*b->read_object(id), object_of(4));
}

}  // namespace
}  // namespace infinitree
