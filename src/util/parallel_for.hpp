// One parallel loop for the whole code base: run fn(i) for every i in [0, count) on up to
// `threads` threads (the calling thread is one of them), then rethrow the first exception.
//
// It uses its own short-lived std::threads rather than stream::ThreadPool on purpose: the
// loop bodies (flushing B-tree subtrees, storing or restoring whole files) themselves queue
// work on the shared pool and wait for it, and a pool task that waits for queued tasks of the
// same pool can deadlock it. The loops it serves are coarse (one file, one subtree), so a
// thread start per worker is noise.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace infinitree::util {

// What `threads == 0` means: every hardware thread, at least `min_threads`.
inline unsigned default_threads(unsigned min_threads = 1) {
  return std::max(min_threads, std::thread::hardware_concurrency());
}

// Runs fn for every index once, in no particular order, on min(threads, count) threads
// (threads == 0: default_threads()). fn is called as fn(index), or as fn(index, worker) when
// it takes two arguments; worker is in [0, number of threads) and lets a body keep
// per-thread scratch state without locks.
//
// If a call throws, indexes not yet started are skipped, every running call finishes, and the
// first exception is rethrown to the caller. If the system refuses to start a thread, the loop
// runs on those it has (at least the caller's).
template <typename Fn>
void parallel_for(size_t count, unsigned threads, Fn&& fn) {
  if (count == 0) return;
  if (threads == 0) threads = default_threads();
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));

  std::atomic<size_t> next{0};
  std::mutex error_mu;
  std::exception_ptr error;
  auto work = [&](unsigned worker) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) {
      try {
        if constexpr (std::is_invocable_v<Fn&, size_t, unsigned>)
          fn(i, worker);
        else
          fn(i);
      } catch (...) {
        std::lock_guard lock(error_mu);
        if (!error) error = std::current_exception();
        next.store(count, std::memory_order_relaxed);  // start nothing new
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(work, t);
    } catch (const std::system_error&) {
      break;  // out of threads: the ones started (and this one) share the rest
    }
  }
  work(0);
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace infinitree::util
