#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

#include <chrono>
#include <cstdio>

#include "format.hpp"
#include "json_out.hpp"

namespace infinitree::cli {

Progress::Progress(std::string label, uint64_t total_bytes, uint64_t total_items, bool enabled, bool json)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      total_items_(total_items),
      start_(std::chrono::steady_clock::now()),
      enabled_(enabled),
      json_(json) {
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
  if (enabled_ && json_) emit_json(true);  // always a last event, however short the run
  else if (drawn_) std::fputs("\r\033[K", stderr);  // clear the line for the summary
  std::fflush(stderr);
}

void Progress::run() {
  std::unique_lock lock(mu_);
  // The first draw waits a little, so instant commands never flash a bar.
  if (cv_.wait_for(lock, std::chrono::milliseconds(300), [&] { return stop_; })) return;
  // A bar is redrawn 5 times a second; JSON events, read by programs and kept in logs,
  // come once a second.
  const auto interval = std::chrono::milliseconds(json_ ? 1000 : 200);
  while (!stop_) {
    lock.unlock();
    if (json_) emit_json(false);
    else draw();
    lock.lock();
    cv_.wait_for(lock, interval, [&] { return stop_; });
  }
}

void Progress::emit_json(bool done) {
  const double secs = elapsed_seconds();
  const uint64_t bytes = bytes_.load(), items = items_.load();
  const double rate = secs > 0 ? static_cast<double>(bytes) / secs : 0;
  Json e{{"type", "progress"}, {"command", label_}, {"done", done}, {"seconds", secs},
         {"bytes_done", bytes}, {"bytes_total", nullptr}, {"items_done", items}, {"items_total", nullptr},
         {"percent", nullptr}, {"bytes_per_second", rate}, {"eta_seconds", nullptr}};
  if (total_bytes_ > 0) {
    e["bytes_total"] = total_bytes_;
    e["percent"] = std::min(100.0, 100.0 * static_cast<double>(bytes) / static_cast<double>(total_bytes_));
    if (rate > 0 && !done)
      e["eta_seconds"] = std::max(0.0, (static_cast<double>(total_bytes_) - static_cast<double>(bytes)) / rate);
  }
  if (total_items_ > 0) e["items_total"] = total_items_;
  {
    std::lock_guard lock(mu_);
    if (!note_.empty()) e["note"] = note_;
  }
  const std::string line = e.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
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
