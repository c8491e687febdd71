// util::parallel_for: every index runs exactly once, the first exception reaches the caller
// after every worker has stopped, and the edge cases (no items, one item, more threads than
// items) behave.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/parallel_for.hpp"

using infinitree::util::parallel_for;

TEST(ParallelFor, RunsEveryIndexExactlyOnce) {
  constexpr size_t kCount = 10000;
  std::vector<std::atomic<int>> runs(kCount);
  parallel_for(kCount, 4, [&](size_t i) { runs[i].fetch_add(1); });
  for (size_t i = 0; i < kCount; ++i) ASSERT_EQ(runs[i].load(), 1) << "index " << i;
}

TEST(ParallelFor, ZeroItemsCallsNothing) {
  bool called = false;
  parallel_for(0, 4, [&](size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelFor, OneItemRunsOnTheCallingThread) {
  // One item needs one thread, and the caller is always one of the workers.
  std::thread::id ran_on;
  int calls = 0;
  parallel_for(1, 8, [&](size_t i) {
    EXPECT_EQ(i, 0u);
    ran_on = std::this_thread::get_id();
    ++calls;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(ParallelFor, UsesNoMoreThreadsThanItemsAndWorkerIdsAreInRange) {
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::set<unsigned> workers;
  parallel_for(3, 16, [&](size_t, unsigned worker) {
    std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
    workers.insert(worker);
  });
  EXPECT_LE(threads.size(), 3u);
  for (unsigned w : workers) EXPECT_LT(w, 3u);
}

TEST(ParallelFor, ActuallyRunsInParallel) {
  // Two items that each wait for the other to start can only finish on two threads.
  std::atomic<int> started{0};
  parallel_for(2, 2, [&](size_t) {
    started.fetch_add(1);
    while (started.load() < 2) std::this_thread::yield();
  });
  EXPECT_EQ(started.load(), 2);
}

TEST(ParallelFor, ZeroThreadsMeansTheDefaultAndStillRunsEverything) {
  std::atomic<size_t> sum{0};
  parallel_for(100, 0, [&](size_t i) { sum.fetch_add(i); });
  EXPECT_EQ(sum.load(), 99u * 100u / 2u);
}

TEST(ParallelFor, FirstExceptionPropagatesAndStopsNewWork) {
  // Items take 200 us each, so running all of them takes 100 ms on 4 threads; a throw at
  // item 10 must stop the loop long before that.
  constexpr size_t kCount = 2000;
  std::atomic<size_t> ran{0};
  try {
    parallel_for(kCount, 4, [&](size_t i) {
      ran.fetch_add(1);
      if (i == 10) throw std::runtime_error("item 10 failed");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    });
    FAIL() << "the exception was swallowed";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "item 10 failed");
  }
  EXPECT_LT(ran.load(), kCount / 2);
}

TEST(ParallelFor, OnOneThreadNothingAfterTheFailingItemRuns) {
  std::vector<size_t> ran;
  EXPECT_THROW(parallel_for(100, 1, [&](size_t i) {
                 ran.push_back(i);
                 if (i == 10) throw std::logic_error("stop");
               }),
               std::logic_error);
  ASSERT_EQ(ran.size(), 11u);
  for (size_t i = 0; i < ran.size(); ++i) EXPECT_EQ(ran[i], i);
}

TEST(ParallelFor, ExceptionOnOneThreadLoopStillPropagates) {
  EXPECT_THROW(parallel_for(5, 1, [](size_t i) {
                 if (i == 4) throw std::logic_error("last");
               }),
               std::logic_error);
}

TEST(ParallelFor, OnlyOneOfManyExceptionsIsRethrownAndAllWorkersAreJoined) {
  // Every item throws; the call must return (not terminate on a second exception, not leave
  // a thread running) with one of them.
  std::atomic<int> running{0};
  EXPECT_THROW(parallel_for(64, 8, [&](size_t) {
                 running.fetch_add(1);
                 std::this_thread::yield();
                 running.fetch_sub(1);
                 throw std::runtime_error("each fails");
               }),
               std::runtime_error);
  EXPECT_EQ(running.load(), 0);
}
