// The handover of open objects between writers (docs/security.md, "Handover"): short-lived
// writers keep appending to the objects the previous one left, and no (object, offset) is
// ever sealed twice, also when writers are killed at any point.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <random>
#include <sstream>
#include <thread>

#include "backend/directory_backend.hpp"
#include "crypto/hash.hpp"
#include "infinitree/tree.hpp"
#include "object/object_writer.hpp"
#include "child_process.hpp"
#include "test_util.hpp"
#include "util/bytes.hpp"

using namespace infinitree;

namespace {

OpenOptions fast(bool read_only = false) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.read_only = read_only;
  return o;
}

size_t object_count(const std::shared_ptr<Backend>& b) { return b->list_objects().size(); }

}  // namespace

TEST(Handover, HundredShortWritersShareTheirObjects) {
  infinitree::testing::ScratchDir dir;
  auto backend = make_directory_backend(dir.path());
  Tree::create(backend, "u", "p", fast())->close();
  for (int i = 0; i < 100; ++i) {
    auto t = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
    t->map("m").put("k" + std::to_string(i), "x");
    ASSERT_TRUE(t->commit("put " + std::to_string(i)));
    t->close();
  }
  // The root object plus the one index object every writer kept appending to (a second
  // one only if the first filled up).
  size_t objects = object_count(backend);
  RecordProperty("objects_after_100_writers", static_cast<int>(objects));
  std::printf("100 open/put/commit/close cycles: %zu objects (root included)\n", objects);
  EXPECT_LE(objects, 3u);
  auto t = Tree::open(backend, "u", "p", fast(true));
  EXPECT_EQ(t->log().size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(t->map("m").get("k" + std::to_string(i)), "x");
}

TEST(Handover, DestroyingTheTreeHandsOverToo) {
  infinitree::testing::ScratchDir dir;
  auto backend = make_directory_backend(dir.path());
  Tree::create(backend, "u", "p", fast());
  for (int i = 0; i < 20; ++i) {
    auto t = Tree::open(backend, "u", "p", fast());
    t->map("m").put("k" + std::to_string(i), std::string(3000, 'v'));  // spilled: storage chunks
    t->commit("c");
  }  // no close(): the destructor closes
  EXPECT_LE(object_count(backend), 4u);  // root, one index object, one storage object (+1 slack)
}

TEST(Handover, AWriterThatDiedIsNeverContinued) {
  infinitree::testing::ScratchDir dir;
  auto backend = make_directory_backend(dir.path());
  Tree::create(backend, "u", "p", fast())->close();
  infinitree::testing::ChildProcess child([&](int) {
    auto t = Tree::open(make_directory_backend(dir.path()), "u", "p", fast());
    t->map("m").put("a", "1");
    t->commit("from the child");
    _exit(0);  // no close, no destructor: the objects stay claimed
  });
  auto exit = child.wait();
  ASSERT_TRUE(!exit.killed && exit.code == 0);
  size_t before = object_count(backend);
  {
    auto t = Tree::open(backend, "u", "p", fast());
    EXPECT_EQ(t->map("m").get("a"), "1");
    t->map("m").put("b", "2");
    t->commit("after");
  }
  // The claimed object was not appended to: the second writer started its own.
  EXPECT_EQ(object_count(backend), before + 1);
  auto t = Tree::open(backend, "u", "p", fast(true));
  EXPECT_EQ(t->map("m").get("a"), "1");
  EXPECT_EQ(t->map("m").get("b"), "2");
}

TEST(Handover, ReadOnlyOpenersNeitherClaimNorWrite) {
  infinitree::testing::ScratchDir dir;
  auto backend = make_directory_backend(dir.path());
  {
    auto t = Tree::create(backend, "u", "p", fast());
    t->map("m").put("a", "1");
    t->commit("c");
  }
  auto before = backend->list_objects();
  {
    auto r = Tree::open(backend, "u", "p", fast(true));
    EXPECT_EQ(r->map("m").get("a"), "1");
  }
  auto after = backend->list_objects();
  EXPECT_EQ(before.size(), after.size());
  // A writer after the reader still continues the handed-over object.
  {
    auto t = Tree::open(backend, "u", "p", fast());
    t->map("m").put("b", "2");
    t->commit("c2");
  }
  EXPECT_EQ(backend->list_objects().size(), before.size());
}

// ---- the nonce rule across SIGKILLs

namespace {

int g_seal_log = -1;

void log_seal(const ObjectId& object, uint32_t offset, uint32_t size, const crypto::Tag& tag) {
  std::string line = std::to_string(::getpid()) + " " + object.hex() + " " + std::to_string(offset) + " " + std::to_string(size) + " " +
                     hex_encode(ByteView(tag.data(), tag.size())) + "\n";
  // One write(2) per line on an O_APPEND file: lines from killed processes never interleave.
  if (::write(g_seal_log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
}

[[noreturn]] void run_cycles(const std::filesystem::path& dir, const std::filesystem::path& seal_log,
                             int ack_fd, uint32_t seed) {
  g_seal_log = ::open(seal_log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  ObjectWriter::set_seal_observer(&log_seal);
  std::mt19937 rng(seed);
  try {
    for (uint64_t cycle = 0;; ++cycle) {
      auto t = Tree::open(make_directory_backend(dir, DirectoryOptions{.durable = false}), "u", "p", fast());
      int commits = 1 + static_cast<int>(rng() % 3);
      for (int c = 0; c < commits; ++c) {
        std::string key = std::to_string(seed) + "-" + std::to_string(cycle) + "-" + std::to_string(c);
        std::string value = std::string(1 + rng() % (rng() % 4 == 0 ? 6000 : 200), 'a' + rng() % 26);
        t->map("m").put(key, value);
        auto info = t->commit("c");
        std::string ack = info->id + " " + key + " " + std::to_string(value.size()) + " " + value[0] + "\n";
        if (::write(ack_fd, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size())) _exit(3);
      }
      if (rng() % 4 != 0) t->close();  // sometimes just drop it (the destructor closes)
    }
  } catch (const std::exception& e) {
    fprintf(stderr, "cycle writer failed: %s\n", e.what());
    _exit(2);
  }
}

}  // namespace

TEST(Handover, NoOffsetIsSealedTwiceAcrossKilledWriters) {
  infinitree::testing::ScratchDir dir;
  std::filesystem::path store = dir.path() / "store";
  std::filesystem::path seal_log = dir.path() / "seals.log";
  std::filesystem::path acks = dir.path() / "acks.log";
  Tree::create(make_directory_backend(store), "u", "p", fast())->close();
  int rounds = std::getenv("INFINITREE_SOAK") ? 400 : 100;
  std::mt19937 rng(777);
  // Calibrate the kill window to this build and machine (sanitizers are 5-20x slower): a
  // child should often live through several open/commit/close cycles, and often not.
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    auto t = Tree::open(make_directory_backend(store, DirectoryOptions{.durable = false}), "u", "p", fast());
    t->map("calibration").put("k", std::to_string(i));
    t->commit("calibration");
    t->close();
  }
  auto cycle = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0) / 3;
  const uint64_t window_us = std::max<uint64_t>(250000, 8 * static_cast<uint64_t>(cycle.count()));
  int ack_fd = ::open(acks.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  ASSERT_GE(ack_fd, 0);
  for (int round = 0; round < rounds; ++round) {
    infinitree::testing::ChildProcess child([&](int) { run_cycles(store, seal_log, ack_fd, static_cast<uint32_t>(round)); });
    child.kill_after(std::chrono::microseconds(2000 + rng() % window_us));
    auto exit = child.wait();
    ASSERT_TRUE(exit.killed) << "writer exited on its own with " << exit.code;
  }
  ::close(ack_fd);

  // Every (object, offset) was sealed at most once, or again with the same bytes.
  std::ifstream seals(seal_log);
  std::map<std::pair<std::string, uint32_t>, std::pair<uint32_t, std::string>> sealed;
  std::map<std::string, std::set<long>> writers_of;  // object -> processes that sealed in it
  std::string id, tag;
  uint32_t offset, size;
  long pid;
  size_t total = 0;
  while (seals >> pid >> id >> offset >> size >> tag) {
    ++total;
    writers_of[id].insert(pid);
    auto [it, fresh] = sealed.try_emplace({id, offset}, size, tag);
    if (!fresh) {
      ASSERT_EQ(it->second, std::make_pair(size, tag))
          << "object " << id << " offset " << offset << " was sealed twice with different bytes";
    }
  }
  ASSERT_GT(total, 100u) << "too few seals recorded to mean anything";

  // Every acknowledged commit reads back.
  auto t = Tree::open(make_directory_backend(store), "u", "p", fast(true));
  std::ifstream in(acks);
  std::string commit, key;
  size_t len;
  char first;
  size_t checked = 0;
  while (in >> commit >> key >> len >> first) {
    auto view = t->checkout(commit);
    auto v = view->map("m").get(key);
    ASSERT_TRUE(v.has_value()) << "acknowledged commit " << commit << " lost key " << key;
    ASSERT_EQ(v->size(), len);
    ASSERT_EQ((*v)[0], first);
    ++checked;
  }
  size_t continued = 0;
  for (const auto& [object, pids] : writers_of) continued += pids.size() > 1 ? 1 : 0;
  std::printf("%d killed writers, %zu seals recorded, %zu distinct, %zu objects continued by another "
              "process, %zu acknowledged commits read back\n",
              rounds, total, sealed.size(), continued, checked);
  EXPECT_GT(continued, 5u) << "the test never exercised a handover";
  EXPECT_GT(checked, 20u);
  Tree::VerifyReport report = t->verify([](const std::string& p) { ADD_FAILURE() << p; });
  EXPECT_EQ(report.problems, 0u);
}

// Four incompressible 1 MiB spill pieces fill a storage object to its last byte: such an
// object has nothing to hand over, and the root must still open (it once recorded a fill
// of 4 MiB, which the reader refused as corrupt).
TEST(Handover, AnObjectFilledToTheLastByteIsNotHandedOver) {
  auto backend = make_memory_backend();
  auto data = infinitree::testing::random_data(4u << 20);
  std::string value(data.begin(), data.end());
  {
    auto t = Tree::create(backend, "u", "p", fast());
    t->map("m").put("big", value);
    t->commit("exactly one full storage object");
  }
  {
    auto t = Tree::open(backend, "u", "p", fast());
    EXPECT_EQ(t->map("m").get("big"), value);
    t->map("m").put("more", std::string(3000, 'm'));
    t->commit("more");
  }
  auto t = Tree::open(backend, "u", "p", fast(true));
  EXPECT_EQ(t->map("m").get("big"), value);
  EXPECT_EQ(t->verify([](const std::string& p) { ADD_FAILURE() << p; }).problems, 0u);
}
