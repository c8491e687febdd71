#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

#include <chrono>
#include <cstdio>

#include "format.hpp"

namespace infinitree::cli {

Progress::Progress(std::string label, uint64_t total_bytes, uint64_t total_items, bool enabled)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      total_items_(total_items),
      start_(std::chrono::steady_clock::now()) {
  if (enabled) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() { finish(); }

bool Progress::wanted(bool quiet) { return !quiet && ::isatty(STDERR_FILENO) == 1; }

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::set_note(std::string note) {
  std::lock_guard lock(mu_);
  note_ = std::move(note);
}

void Progress::finish() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (drawn_) std::fputs("\r\033[K", stderr);  // clear the line for the summary
  std::fflush(stderr);
}

void Progress::run() {
  std::unique_lock lock(mu_);
  // The first draw waits a little, so instant commands never flash a bar.
  if (cv_.wait_for(lock, std::chrono::milliseconds(300), [&] { return stop_; })) return;
  while (!stop_) {
    lock.unlock();
    draw();
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_; });
  }
}

void Progress::draw() {
  const double secs = elapsed_seconds();
  const double done = static_cast<double>(bytes_.load());
  const double rate = secs > 0 ? done / secs : 0;
  std::string note;
  {
    std::lock_guard lock(mu_);
    note = note_;
  }
  std::string line = label_ + " ";
  if (total_bytes_ > 0) {
    const double frac = std::min(1.0, done / static_cast<double>(total_bytes_));
    const int width = 24, fill = static_cast<int>(frac * width);
    line += fixed(frac * 100, 0) + "% [" + std::string(fill, '#') + std::string(width - fill, ' ') +
            "] " + human_bytes(done) + " / " + human_bytes(static_cast<double>(total_bytes_));
  } else {
    static const char spinner[] = "|/-\\";
    line += std::string(1, spinner[spin_++ % 4]);
    if (done > 0) line += " " + human_bytes(done);
  }
  if (total_items_ > 0)
    line += "  " + std::to_string(items_.load()) + "/" + std::to_string(total_items_) + " items";
  else if (items_.load() > 0)
    line += "  " + std::to_string(items_.load()) + " items";
  if (done > 0) line += "  " + human_bytes(rate) + "/s";
  if (total_bytes_ > 0 && rate > 0)
    line += "  ETA " + human_duration((static_cast<double>(total_bytes_) - done) / rate);
  else
    line += "  " + human_duration(secs);
  if (!note.empty()) line += "  " + note;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace infinitree::cli
