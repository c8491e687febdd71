// A progress line on stderr with rate and ETA, redrawn by a background thread a few
// times per second, only when stderr is a terminal (scripts and logs stay clean).
// With --json (store, restore) the same counters go to stderr as JSON lines instead, one
// event a second and a last one with "done": true, for programs (docs/cli.md, "JSON output").
// Workers report with add(): lock-free counters, so the hot path costs an atomic add.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace infinitree::cli {

class Progress {
 public:
  // `total_bytes`/`total_items` 0: unknown (a spinner with counts and rate, no ETA).
  // `enabled` false: draws nothing (still counts). `json`: JSON lines instead of a bar.
  Progress(std::string label, uint64_t total_bytes, uint64_t total_items, bool enabled, bool json = false);
  ~Progress();  // finish()
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(uint64_t bytes, uint64_t items = 0) {
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
    items_.fetch_add(items, std::memory_order_relaxed);
  }
  void set_note(std::string note);  // e.g. "3 problems"
  // Stops drawing and clears the line. Idempotent.
  void finish();

  uint64_t bytes() const { return bytes_.load(); }
  uint64_t items() const { return items_.load(); }
  double elapsed_seconds() const;

  // True if progress should be drawn: stderr is a terminal and not --quiet.
  static bool wanted(bool quiet);

 private:
  void run();
  void draw();
  void emit_json(bool done);

  std::string label_;
  uint64_t total_bytes_, total_items_;
  std::atomic<uint64_t> bytes_{0}, items_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string note_;
  bool stop_ = false;
  bool drawn_ = false;
  bool enabled_ = false;
  bool json_ = false;
  unsigned spin_ = 0;
  std::thread thread_;
};

}  // namespace infinitree::cli
