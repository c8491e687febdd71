// Kill a committing writer with SIGKILL at random moments, hundreds of times: the tree
// must always open and show exactly the last commit that returned, or the one in flight
// if the kill came after its root was replaced. Never anything else.
//
// Kill times are chosen relative to the writer's own pace, not the wall clock: the parent
// waits until the child reports its first acknowledged commit (and how long that commit
// took), then kills within about two commit durations. So every round kills a writer that
// is committing, also under ASan/TSan where a commit is ten times slower.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "infinitree/tree.hpp"
#include "child_process.hpp"
#include "test_util.hpp"

using namespace infinitree;

namespace {

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

// Sanitizer builds run every commit about ten times slower: waits scale up and the rounds
// go down, so the test stays within ctest's timeout on a busy two-core machine (ASan, 150
// rounds: ~260 s there).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kSlowdown = 10;
constexpr int kRounds = 60;
#else
constexpr int kSlowdown = 1;
constexpr int kRounds = 150;
#endif

// What the writer reports after each commit returns.
struct Report {
  uint64_t commit;       // the counter value that commit holds
  uint64_t duration_us;  // how long commit() took
};

// The state after commit n: keys k0..kn, each value derived from its index, and a
// counter holding n. A torn commit would break one of these.
std::string value_for(uint64_t i) { return "value-" + std::to_string(i * 7919) + std::string(i % 300, 'x'); }

[[noreturn]] void run_writer(const std::filesystem::path& dir, int report_fd) {
  try {
    auto t = Tree::open(make_directory_backend(dir), "crash", "test", fast());
    auto m = t->map("m");
    auto counter = t->value("counter");
    uint64_t n = std::stoull(*counter.get());
    for (;;) {
      ++n;
      m.put("k" + std::to_string(n), value_for(n));
      if (n % 5 == 0) m.put("big" + std::to_string(n), std::string(5000 + n % 3000, 'b'));
      counter.set(std::to_string(n));
      auto start = std::chrono::steady_clock::now();
      t->commit("commit " + std::to_string(n));
      auto took = std::chrono::steady_clock::now() - start;
      Report r{n, static_cast<uint64_t>(
                      std::chrono::duration_cast<std::chrono::microseconds>(took).count())};
      if (write(report_fd, &r, sizeof r) != sizeof r) _exit(3);
    }
  } catch (const std::exception& e) {
    fprintf(stderr, "writer failed: %s\n", e.what());
    _exit(2);
  }
}

void check_state(const std::filesystem::path& dir, uint64_t last_reported, uint64_t& observed) {
  auto t = Tree::open(make_directory_backend(dir), "crash", "test", [] {
    auto o = fast();
    o.read_only = true;
    return o;
  }());
  uint64_t n = std::stoull(*t->value("counter").get());
  ASSERT_TRUE(n == last_reported || n == last_reported + 1)
      << "tree shows commit " << n << " but the last returned commit was " << last_reported;
  auto m = t->map("m");
  uint64_t small = m.count_range("k", "l");
  ASSERT_EQ(small, n + 1) << "keys of a partial commit are visible";
  for (uint64_t i : {uint64_t{0}, n / 2, n}) ASSERT_EQ(m.get("k" + std::to_string(i)), value_for(i));
  ASSERT_EQ(t->log().size(), n + 1);
  ASSERT_EQ(t->head()->message, n == 0 ? "start" : "commit " + std::to_string(n));
  observed = n;
}

// Waits up to `timeout_ms` for one report; false on timeout or if the writer closed the pipe.
bool read_report(int fd, int timeout_ms, Report& r) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) != 1) return false;
  return read(fd, &r, sizeof r) == sizeof r;
}

}  // namespace

TEST(Crash, KilledWriterLeavesTheLastCommit) {
  infinitree::testing::ScratchDir dir;
  {
    auto t = Tree::create(make_directory_backend(dir.path()), "crash", "test", fast());
    t->map("m").put("k0", value_for(0));
    t->value("counter").set("0");
    t->commit("start");
  }
  int rounds = std::getenv("INFINITREE_SOAK") ? 1000 : kRounds;
  const int first_commit_timeout_ms = 30000 * kSlowdown;
  std::mt19937 rng(12345);
  uint64_t last_reported = 0, observed = 0;
  int kills_mid_commit = 0;
  for (int round = 0; round < rounds; ++round) {
    infinitree::testing::ChildProcess child([&](int report_fd) { run_writer(dir.path(), report_fd); });
    // Only a writer that has acknowledged a commit is killed: it is then in its next commit
    // (or between two), and the first report says how long one takes on this machine.
    Report first{};
    bool reported = read_report(child.report_fd(), first_commit_timeout_ms, first);
    if (reported) {
      last_reported = first.commit;
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % (2 * first.duration_us + 1)));
    }
    child.kill_after(std::chrono::microseconds(0));
    auto exit = child.wait();
    ASSERT_TRUE(reported) << "round " << round << ": the writer acknowledged no commit within "
                          << first_commit_timeout_ms / 1000 << " s";
    ASSERT_TRUE(exit.killed) << "writer exited on its own with " << exit.code;
    Report r;
    while (read(child.report_fd(), &r, sizeof r) == sizeof r) last_reported = r.commit;
    check_state(dir.path(), last_reported, observed);
    if (HasFatalFailure()) return;
    if (observed == last_reported + 1) ++kills_mid_commit;
    last_reported = observed;
  }
  RecordProperty("kills_after_root_replaced", kills_mid_commit);
  std::printf("%d kill rounds, %llu commits survived, %d kills landed after the root was replaced\n", rounds,
              static_cast<unsigned long long>(last_reported), kills_mid_commit);
  // Every round acknowledged at least one commit before its kill.
  EXPECT_GE(last_reported, static_cast<uint64_t>(rounds));
}
