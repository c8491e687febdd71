// A local directory cache with a byte budget in front of a remote backend (the warm tier
// in front of S3). Layout of the cache folder is the directory backend's (<ab>/<hex>), so
// files are whole 4 MiB objects that any process can pick up.
//
// - Reads: a file in the cache of exactly kObjectSize bytes is served; anything else (a
//   wrong size, a file another process evicted) is dropped and fetched from the remote,
//   which then fills the cache. Concurrent misses of one object share one fetch.
// - One budget for the whole folder, shared by every process using it: recency lives in the
//   files' mtimes (set explicitly, nanoseconds, on each store and hit), and after each store
//   the process counts every object file in the folder (not only its own) and, when they are
//   over the budget, deletes the least recently used ones, under an flock on <folder>/.lock
//   so two processes do not evict at once. A reader whose file was just evicted by another
//   process either has it open already (unlinked data stays readable) or finds it gone and
//   fetches it again: eviction never fails a read.
// - Writes go to the remote and to the cache (write-through); they are durable when the
//   remote's sync() says so. Cache files are written without fsync: a torn one has the
//   wrong size and is dropped, and a damaged one that passes the size check fails its
//   chunk tag in the object layer, which calls invalidate() and reads again.
// - The root object (read_object_versioned / write_object_if_version) is never served
//   from the cache: it is the one object rewritten in place.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/conditional_read.hpp"
#include "backend/directory_backend.hpp"
#include "backend/file_io.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"

namespace infinitree {
namespace {

namespace fs = std::filesystem;

using ObjectPtr = std::shared_ptr<const std::vector<uint8_t>>;

// Temp files older than this are leftovers of a crashed process, not a write in progress.
constexpr auto kStaleTemp = std::chrono::minutes(10);
constexpr size_t kMaxPrefetchQueue = 64;

// An exclusive flock on a file for the lifetime of the object; without one (the folder is
// read-only, say) eviction goes on unlocked: at worst two processes evict a file too many.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

class CacheBackend final : public Backend, public ConditionalRead {
 public:
  CacheBackend(std::shared_ptr<Backend> remote, fs::path folder, uint64_t budget)
      : remote_(std::move(remote)), folder_(std::move(folder)), budget_(budget) {
    if (!remote_) throw Error(Errc::invalid_argument, "cache backend needs a remote backend");
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec || !fs::is_directory(folder_))
      throw Error(Errc::io, "cannot create cache folder " + folder_.string() + ": " + ec.message());
    scan();
    prefetcher_ = std::thread([this] { prefetch_loop(); });
  }

  ~CacheBackend() override {
    {
      std::lock_guard g(prefetch_mu_);
      stopping_ = true;
    }
    prefetch_cv_.notify_all();
    prefetcher_.join();
  }

  void write_object(const ObjectId& id, std::span<const uint8_t> data) override {
    remote_->write_object(id, data);  // validates the size, may queue
    store(id, data);
  }

  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    if (auto local = read_local(id)) return local;
    return fetch(id);
  }

  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t offset, uint64_t length) override {
    if (offset > kObjectSize || length > kObjectSize - offset)
      throw Error(Errc::object_truncated, "range " + std::to_string(offset) + "+" +
                                              std::to_string(length) + " runs past the end of " +
                                              id.hex() + " in " + describe());
    fs::path path = directory_object_path(folder_, id);
    try {
      auto out = fileio::read_range(path, kObjectSize, offset, length);
      touch(id, path);
      return out;
    } catch (const Error& e) {
      if (e.code() != Errc::object_missing && e.code() != Errc::object_truncated) throw;
      if (e.code() == Errc::object_truncated) drop(id);
      // object_missing: not cached, or evicted by another process since: fetch it again.
    }
    // A miss fetches the whole object: neighbouring chunks are likely next.
    auto whole = fetch(id);
    return std::vector<uint8_t>(whole->begin() + static_cast<ptrdiff_t>(offset),
                                whole->begin() + static_cast<ptrdiff_t>(offset + length));
  }

  void delete_object(const ObjectId& id) override {
    drop(id);
    remote_->delete_object(id);
  }

  bool has_object(const ObjectId& id) override {
    struct stat st {};
    fs::path path = directory_object_path(folder_, id);
    if (::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) == kObjectSize)
      return true;
    return remote_->has_object(id);
  }

  std::vector<ObjectId> list_objects() override { return remote_->list_objects(); }
  bool is_empty() override { return remote_->is_empty(); }
  uint64_t remove_stale_temporaries(int64_t older_than_ms) override {
    return remote_->remove_stale_temporaries(older_than_ms);
  }
  void sync() override { remote_->sync(); }

  void prefetch(const ObjectId& id) override {
    if (budget_ < kObjectSize) return;
    if (cached(id)) return;
    std::lock_guard g(prefetch_mu_);
    if (prefetch_queue_.size() >= kMaxPrefetchQueue || !prefetch_set_.insert(id).second) return;
    prefetch_queue_.push_back(id);
    prefetch_cv_.notify_one();
  }

  std::unique_ptr<WriterLock> lock_writer(const ObjectId& root) override {
    return remote_->lock_writer(root);
  }
  std::string object_version(const ObjectId& id) override { return remote_->object_version(id); }
  std::optional<Versioned> read_object_if_changed(const ObjectId& id,
                                                 const std::string& version) override {
    return infinitree::read_object_if_changed(*remote_, id, version);
  }
  Versioned read_object_versioned(const ObjectId& id) override {
    drop(id);  // never keep a copy of a mutable object
    return remote_->read_object_versioned(id);
  }
  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                      const std::string& expected) override {
    drop(id);
    return remote_->write_object_if_version(id, data, expected);
  }
  void invalidate(const ObjectId& id) override {
    drop(id);
    remote_->invalidate(id);
  }

  std::string describe() const override {
    return "cache:" + folder_.string() + " -> " + remote_->describe();
  }
  bool is_remote() const override { return remote_->is_remote(); }

 private:
  // At start: removes damaged files and stale temp files (from earlier runs or other
  // processes) and trims the folder to the budget.
  void scan() {
    std::error_code ec;
    for (const auto& dir : fs::directory_iterator(folder_, ec)) {
      std::string dname = dir.path().filename().string();
      if (!fileio::is_fanout_name(dname)) continue;
      std::error_code ec2;
      for (const auto& f : fs::directory_iterator(dir.path(), ec2)) {
        std::string name = f.path().filename().string();
        std::error_code ec3;
        if (name.rfind(fileio::kTempPrefix, 0) == 0) {
          auto mtime = fs::last_write_time(f.path(), ec3);
          if (!ec3 && fs::file_time_type::clock::now() - mtime > kStaleTemp) fs::remove(f.path(), ec3);
          continue;
        }
        if (!fileio::is_object_name(name) || name.compare(0, 2, dname) != 0) continue;
        auto size = f.file_size(ec3);
        if (!ec3 && size != kObjectSize) fs::remove(f.path(), ec3);  // torn or damaged
      }
    }
    enforce_budget();
  }

  // The object files in the folder now, whoever wrote them.
  struct CachedFile {
    struct timespec mtime;
    fs::path path;
  };
  std::vector<fs::path> object_files() const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& dir : fs::directory_iterator(folder_, ec)) {
      std::string dname = dir.path().filename().string();
      if (!fileio::is_fanout_name(dname)) continue;
      std::error_code ec2;
      for (const auto& f : fs::directory_iterator(dir.path(), ec2)) {
        std::string name = f.path().filename().string();
        if (fileio::is_object_name(name) && name.compare(0, 2, dname) == 0) out.push_back(f.path());
      }
    }
    return out;
  }

  // Deletes the least recently used files of the folder until every file in it fits the
  // budget. Counting names is cheap; mtimes are read only when over the budget.
  void enforce_budget() {
    if (object_files().size() * kObjectSize <= budget_) return;
    FolderLock lock(folder_ / ".lock");
    std::vector<CachedFile> files;
    for (auto& p : object_files()) {
      struct stat st {};
      if (::stat(p.c_str(), &st) != 0) continue;  // evicted meanwhile
      files.push_back({st.st_mtim, std::move(p)});
    }
    uint64_t bytes = files.size() * kObjectSize;
    if (bytes <= budget_) return;
    std::sort(files.begin(), files.end(), [](const CachedFile& a, const CachedFile& b) {
      return std::tie(a.mtime.tv_sec, a.mtime.tv_nsec) < std::tie(b.mtime.tv_sec, b.mtime.tv_nsec);
    });
    for (const auto& f : files) {
      if (bytes <= budget_) break;
      std::error_code ec;
      fs::remove(f.path, ec);
      bytes -= kObjectSize;
    }
  }

  bool cached(const ObjectId& id) const {
    struct stat st {};
    return ::stat(directory_object_path(folder_, id).c_str(), &st) == 0 &&
           static_cast<uint64_t>(st.st_size) == kObjectSize;
  }

  ObjectPtr read_local(const ObjectId& id) {
    fs::path path = directory_object_path(folder_, id);
    try {
      auto data = fileio::read_exact(path, kObjectSize);
      touch(id, path);
      return data;
    } catch (const Error& e) {
      if (e.code() == Errc::object_truncated) {
        drop(id);  // damaged: drop it and fetch again
        return nullptr;
      }
      if (e.code() == Errc::object_missing) return nullptr;  // evicted (maybe by another process)
      throw;
    }
  }

  // Fetches from the remote and fills the cache; concurrent callers for one id share it.
  ObjectPtr fetch(const ObjectId& id) {
    std::shared_future<ObjectPtr> pending;
    std::promise<ObjectPtr> promise;
    bool mine = false;
    {
      std::lock_guard g(mu_);
      auto it = inflight_.find(id);
      if (it != inflight_.end()) {
        pending = it->second;
      } else {
        pending = promise.get_future().share();
        inflight_.emplace(id, pending);
        mine = true;
      }
    }
    if (!mine) return pending.get();
    try {
      ObjectPtr data = remote_->read_object(id);
      store(id, *data);
      promise.set_value(data);
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
    {
      std::lock_guard g(mu_);
      inflight_.erase(id);
    }
    return pending.get();
  }

  // Puts a copy in the cache folder (if the budget allows one object at all).
  void store(const ObjectId& id, std::span<const uint8_t> data) {
    if (budget_ < kObjectSize || data.size() != kObjectSize) return;
    std::string hex = id.hex();
    fs::path dir = folder_ / hex.substr(0, 2);
    try {
      fileio::ensure_dir(dir, /*durable=*/false);
      fileio::write_file_atomic(dir, hex, data, /*durable=*/false);
    } catch (const Error&) {
      return;  // a cache that cannot store (disk full, ...) still serves from the remote
    }
    mark_used(dir / hex);
    enforce_budget();
  }

  void touch(const ObjectId& /*id*/, const fs::path& path) { mark_used(path); }

  // Sets the file's mtime to now, strictly after every mtime this process set before: the
  // kernel's own "now" is coarse (a few ms), which would tie recent uses. Failure is
  // harmless (the file may just have been evicted).
  void mark_used(const fs::path& path) {
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    {
      std::lock_guard g(mu_);
      if (std::tie(now.tv_sec, now.tv_nsec) <= std::tie(last_mark_.tv_sec, last_mark_.tv_nsec)) {
        now = last_mark_;
        if (++now.tv_nsec == 1'000'000'000) {
          now.tv_nsec = 0;
          ++now.tv_sec;
        }
      }
      last_mark_ = now;
    }
    struct timespec times[2] = {now, now};
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
  }

  void drop(const ObjectId& id) {
    std::error_code ec;
    fs::remove(directory_object_path(folder_, id), ec);
  }

  void prefetch_loop() {
    for (;;) {
      ObjectId id;
      {
        std::unique_lock g(prefetch_mu_);
        prefetch_cv_.wait(g, [&] { return stopping_ || !prefetch_queue_.empty(); });
        if (stopping_) return;
        id = prefetch_queue_.front();
        prefetch_queue_.pop_front();
        prefetch_set_.erase(id);
      }
      try {
        if (!read_local(id)) fetch(id);
      } catch (...) {
        // A hint only: the real read reports the error.
      }
    }
  }

  std::shared_ptr<Backend> remote_;
  const fs::path folder_;
  const uint64_t budget_;

  std::mutex mu_;  // guards last_mark_ and in-flight fetches
  struct timespec last_mark_ {};
  std::unordered_map<ObjectId, std::shared_future<ObjectPtr>, ObjectIdHash> inflight_;

  std::mutex prefetch_mu_;
  std::condition_variable prefetch_cv_;
  std::deque<ObjectId> prefetch_queue_;
  std::unordered_set<ObjectId, ObjectIdHash> prefetch_set_;
  bool stopping_ = false;
  std::thread prefetcher_;
};

}  // namespace

std::shared_ptr<Backend> make_cache_backend(std::shared_ptr<Backend> remote,
                                            const std::filesystem::path& folder,
                                            uint64_t byte_budget) {
  return std::make_shared<CacheBackend>(std::move(remote), folder, byte_budget);
}

}  // namespace infinitree
