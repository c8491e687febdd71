// A local directory cache with a byte budget in front of a remote backend (the warm tier
// in front of S3). Layout of the cache folder is the directory backend's (<ab>/<hex>), so
// files are whole 4 MiB objects that any process can pick up.
//
// - Reads: a file in the cache of exactly kObjectSize bytes is served; anything else (a
//   wrong size, a file another process evicted) is dropped and fetched from the remote,
//   which then fills the cache. Concurrent misses of one object share one fetch.
// - Eviction: least recently used first, by bytes, when over the budget. Recency is kept
//   in memory and mirrored in file mtimes, so a new process starts with the right order.
// - Writes go to the remote and to the cache (write-through); they are durable when the
//   remote's sync() returns. Cache files are written without fsync: a torn one has the
//   wrong size and is dropped, and a damaged one that passes the size check fails its
//   chunk tag in the object layer, which calls invalidate() and reads again.
// - The root object (read_object_versioned / write_object_if_version) is never served
//   from the cache: it is the one object rewritten in place.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fcntl.h>
#include <sys/stat.h>

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

class CacheBackend final : public Backend {
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
    {
      std::lock_guard g(mu_);
      if (index_.count(id)) return;
    }
    std::lock_guard g(prefetch_mu_);
    if (prefetch_queue_.size() >= kMaxPrefetchQueue || !prefetch_set_.insert(id).second) return;
    prefetch_queue_.push_back(id);
    prefetch_cv_.notify_one();
  }

  std::unique_ptr<WriterLock> lock_writer(const ObjectId& root) override {
    return remote_->lock_writer(root);
  }
  std::string object_version(const ObjectId& id) override { return remote_->object_version(id); }
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

 private:
  // Indexes the files already in the folder (from earlier runs or other processes) by
  // mtime, removes damaged ones and stale temp files, and trims to the budget.
  void scan() {
    std::vector<std::pair<fs::file_time_type, ObjectId>> found;
    std::error_code ec;
    for (const auto& dir : fs::directory_iterator(folder_, ec)) {
      std::string dname = dir.path().filename().string();
      if (!fileio::is_fanout_name(dname)) continue;
      std::error_code ec2;
      for (const auto& f : fs::directory_iterator(dir.path(), ec2)) {
        std::string name = f.path().filename().string();
        std::error_code ec3;
        auto mtime = fs::last_write_time(f.path(), ec3);
        if (ec3) continue;
        if (name.rfind(fileio::kTempPrefix, 0) == 0) {
          if (fs::file_time_type::clock::now() - mtime > kStaleTemp) fs::remove(f.path(), ec3);
          continue;
        }
        if (!fileio::is_object_name(name) || name.compare(0, 2, dname) != 0) continue;
        if (f.file_size(ec3) != kObjectSize) {
          fs::remove(f.path(), ec3);  // torn or damaged: never served
          continue;
        }
        found.emplace_back(mtime, ObjectId::from_hex(name));
      }
    }
    std::sort(found.begin(), found.end());
    std::lock_guard g(mu_);
    for (const auto& [mtime, id] : found) {
      lru_.push_front(id);
      index_[id] = lru_.begin();
      bytes_ += kObjectSize;
    }
    evict_locked();
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
      if (e.code() == Errc::object_missing) {
        forget(id);  // evicted by another process
        return nullptr;
      }
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
    std::lock_guard g(mu_);
    insert_locked(id);
    evict_locked();
  }

  void touch(const ObjectId& id, const fs::path& path) {
    {
      std::lock_guard g(mu_);
      insert_locked(id);
      evict_locked();
    }
    // Mirror recency in the mtime for the next process's scan; failure is harmless.
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  }

  void insert_locked(const ObjectId& id) {
    auto it = index_.find(id);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return;
    }
    lru_.push_front(id);
    index_[id] = lru_.begin();
    bytes_ += kObjectSize;
  }

  void evict_locked() {
    while (bytes_ > budget_ && !lru_.empty()) {
      ObjectId victim = lru_.back();
      lru_.pop_back();
      index_.erase(victim);
      bytes_ -= kObjectSize;
      std::error_code ec;
      fs::remove(directory_object_path(folder_, victim), ec);
    }
  }

  void forget(const ObjectId& id) {
    std::lock_guard g(mu_);
    auto it = index_.find(id);
    if (it == index_.end()) return;
    lru_.erase(it->second);
    index_.erase(it);
    bytes_ -= kObjectSize;
  }

  void drop(const ObjectId& id) {
    forget(id);
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

  std::mutex mu_;  // guards the LRU, its byte count and in-flight fetches
  std::list<ObjectId> lru_;  // most recent first
  std::unordered_map<ObjectId, std::list<ObjectId>::iterator, ObjectIdHash> index_;
  uint64_t bytes_ = 0;
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
