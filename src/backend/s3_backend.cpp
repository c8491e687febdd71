// The S3 backend: objects are keys "<prefix><64 hex digits>" in one bucket. Writes are
// queued (the data copied) and uploaded by a bounded pool of workers, so a commit of many
// objects is not serialized; reads of a queued object are served from the queue; sync()
// waits for every upload and throws the first failure. A failed upload keeps its data and
// is retried by the next sync(), so a commit retried after a failure never writes a root
// that points at a missing object. The root object is written with
// write_object_if_version, which first waits for every queued upload and then uses
// If-Match / If-None-Match (plus a HEAD comparison for servers that ignore them).
// Before the tree is opened for writing (lock_writer), the server is probed once per store for
// conditional writes (s3_write_probe.hpp): one that ignores them is refused for writing.
// A reader following the writer re-reads the root with a conditional GET (If-None-Match with
// the ETag it has), so an unchanged root costs one small 304.
// A HEAD that finds nothing is followed, once, by a bucket-level request: a 404 to HEAD has
// no body, so only that tells a missing bucket from a missing object.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "backend/conditional_read.hpp"
#include "backend/file_io.hpp"
#include "backend/s3_client.hpp"
#include "backend/s3_options.hpp"
#include "backend/s3_write_probe.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"

namespace infinitree {
namespace {

class S3Backend final : public Backend, public ConditionalRead {
 public:
  explicit S3Backend(S3Options options)
      : options_(normalized(std::move(options))), client_(options_), prefix_(options_.prefix) {
    int workers = std::max(1, options_.parallel_uploads);
    max_pending_ = static_cast<size_t>(2 * workers);
    for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
  }

  ~S3Backend() override {
    {
      std::lock_guard g(mu_);
      stopping_ = true;  // workers finish the queue first
    }
    work_cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  void write_object(const ObjectId& id, std::span<const uint8_t> data) override {
    check_size(id, data);
    auto copy = std::make_shared<const std::vector<uint8_t>>(data.begin(), data.end());
    std::unique_lock g(mu_);
    // Back-pressure keeps memory bounded: at most max_pending_ objects wait or fly.
    done_cv_.wait(g, [&] { return active_ < max_pending_ || pending_.count(id); });
    auto it = pending_.find(id);
    if (it == pending_.end()) {
      pending_.emplace(id, Pending{copy});
      enqueue_locked(id);
    } else if (it->second.failed) {
      it->second.data = copy;  // a new write replaces the failed one and goes out now
      it->second.failed = false;
      enqueue_locked(id);
    } else {
      // Already queued: the newest data wins. In flight: upload again once it lands, so
      // the last write is the one that stays.
      it->second.data = copy;
      if (it->second.in_flight) it->second.requeue = true;
    }
  }

  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    if (auto queued = pending_data(id)) return queued;
    auto r = client_.get(key(id));
    check_whole(id, *r.data);
    return r.data;
  }

  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t offset, uint64_t length) override {
    if (offset > kObjectSize || length > kObjectSize - offset)
      throw Error(Errc::object_truncated, "range " + std::to_string(offset) + "+" +
                                              std::to_string(length) + " runs past the end of " +
                                              key(id) + " in " + describe());
    if (auto queued = pending_data(id))
      return std::vector<uint8_t>(queued->begin() + static_cast<ptrdiff_t>(offset),
                                  queued->begin() + static_cast<ptrdiff_t>(offset + length));
    if (length == 0) {
      if (!head(id))
        throw Error(Errc::object_missing, "object s3://" + options_.bucket + "/" + key(id) +
                                              " does not exist");
      return {};
    }
    return std::move(*client_.get(key(id), offset, length).data);
  }

  void delete_object(const ObjectId& id) override {
    {
      // A queued upload must not resurrect it afterwards; a failed one is abandoned.
      std::unique_lock g(mu_);
      done_cv_.wait(g, [&] { return !is_active_locked(id); });
      pending_.erase(id);
    }
    client_.remove(key(id));
  }

  bool has_object(const ObjectId& id) override {
    if (pending_data(id)) return true;
    return head(id).has_value();
  }

  std::vector<ObjectId> list_objects() override {
    std::set<ObjectId> ids;
    client_.list(prefix_, 0, [&](const std::string& k) {
      if (auto id = object_id_of(k)) ids.insert(*id);
      return true;
    });
    {
      std::lock_guard g(mu_);
      for (const auto& [id, p] : pending_) ids.insert(id);
    }
    return {ids.begin(), ids.end()};
  }

  bool is_empty() override {
    {
      std::lock_guard g(mu_);
      if (!pending_.empty()) return false;
    }
    bool found = false;
    client_.list(prefix_, 0, [&](const std::string& k) {
      found = object_id_of(k).has_value();
      return !found;  // the first object is enough
    });
    return !found;
  }

  void sync() override {
    std::unique_lock g(mu_);
    // Uploads that failed before get another full round of attempts.
    for (auto& [id, p] : pending_)
      if (p.failed) {
        p.failed = false;
        enqueue_locked(id);
      }
    done_cv_.wait(g, [&] { return active_ == 0; });
    // Whatever still failed after its retries makes this sync fail (for every caller).
    for (const auto& [id, p] : pending_)
      if (p.failed) throw Error(p.error_code, p.error_message);
  }

  std::string object_version(const ObjectId& id) override {
    wait_not_pending(id);
    return head(id).value_or("");
  }

  Versioned read_object_versioned(const ObjectId& id) override {
    wait_not_pending(id);
    auto r = client_.get(key(id));  // data and ETag from one response
    check_whole(id, *r.data);
    return {std::move(r.data), std::move(r.etag)};
  }

  std::optional<Versioned> read_object_if_changed(const ObjectId& id,
                                                 const std::string& version) override {
    wait_not_pending(id);
    auto r = client_.get_if_changed(key(id), version);
    if (!r) return std::nullopt;
    check_whole(id, *r->data);
    return Versioned{std::move(r->data), std::move(r->etag)};
  }

  std::unique_ptr<WriterLock> lock_writer(const ObjectId& root) override {
    auto lock = Backend::lock_writer(root);
    s3::require_conditional_writes(client_, prefix_);
    return lock;
  }

  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                      const std::string& expected) override {
    check_size(id, data);
    sync();  // every object the new root points to is stored first
    // HEAD first catches a second writer even on servers that ignore conditional headers;
    // the conditional PUT closes the window between the HEAD and the PUT where supported.
    std::string current = head(id).value_or("");
    if (current != expected)
      throw Error(Errc::conflict, "object " + key(id) + " in " + describe() +
                                      " changed since it was read: another writer committed"
                                      " (version now '" + current + "', expected '" +
                                      expected + "')");
    s3::PutCondition cond;
    if (expected.empty())
      cond.if_none_match = true;
    else
      cond.if_match = expected;
    return client_.put(key(id), data, cond);
  }

  std::string describe() const override { return client_.describe(); }
  bool is_remote() const override { return true; }

 private:
  struct Pending {
    std::shared_ptr<const std::vector<uint8_t>> data;
    bool in_flight = false;
    bool requeue = false;  // written again while in flight: upload once more
    bool failed = false;   // attempts ran out; kept (and readable) until sync() retries
    Errc error_code = Errc::internal;  // of the last failed attempt
    std::string error_message;
  };

  static S3Options normalized(S3Options o) {
    o.prefix = s3::normalize_prefix(std::move(o.prefix));
    return o;
  }

  std::string key(const ObjectId& id) const { return prefix_ + id.hex(); }

  // The object a listed key names, if it is one of ours: directly under the prefix and
  // named by 64 hex digits (deeper keys and foreign names are ignored).
  std::optional<ObjectId> object_id_of(std::string_view k) const {
    if (k.substr(0, prefix_.size()) != prefix_) return std::nullopt;  // a server's mistake
    k.remove_prefix(prefix_.size());
    if (!fileio::is_object_name(k)) return std::nullopt;
    return ObjectId::from_hex(k);
  }

  // HEAD of an object; when there is none, makes sure (once per backend) that the bucket
  // itself exists, so a missing bucket is reported as such (Error(not_found)) instead of
  // looking like an absent object, which callers read as "no tree" or "wrong password".
  std::optional<std::string> head(const ObjectId& id) {
    auto etag = client_.head(key(id));
    if (etag) {
      bucket_confirmed_ = true;
    } else if (!bucket_confirmed_) {
      bucket_confirmed_ = client_.check_bucket();
    }
    return etag;
  }

  void check_size(const ObjectId& id, std::span<const uint8_t> data) const {
    if (data.size() != kObjectSize)
      throw Error(Errc::invalid_argument, "object " + id.hex() + " has " +
                                              std::to_string(data.size()) + " bytes, not " +
                                              std::to_string(kObjectSize));
  }

  void check_whole(const ObjectId& id, const std::vector<uint8_t>& data) const {
    if (data.size() != kObjectSize)
      throw Error(Errc::object_truncated, "object s3://" + options_.bucket + "/" + key(id) +
                                              " has " + std::to_string(data.size()) +
                                              " bytes, expected " + std::to_string(kObjectSize));
  }

  std::shared_ptr<const std::vector<uint8_t>> pending_data(const ObjectId& id) {
    std::lock_guard g(mu_);
    auto it = pending_.find(id);
    return it == pending_.end() ? nullptr : it->second.data;
  }

  // Waits until no upload of `id` is queued or in flight.
  void wait_not_pending(const ObjectId& id) {
    std::unique_lock g(mu_);
    done_cv_.wait(g, [&] { return !is_active_locked(id); });
  }

  bool is_active_locked(const ObjectId& id) const {
    auto it = pending_.find(id);
    return it != pending_.end() && !it->second.failed;
  }

  void enqueue_locked(const ObjectId& id) {
    ++active_;
    queue_.push_back(id);
    work_cv_.notify_one();
  }

  void work() {
    for (;;) {
      ObjectId id;
      std::shared_ptr<const std::vector<uint8_t>> data;
      {
        std::unique_lock g(mu_);
        work_cv_.wait(g, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;  // stopping and drained
        id = queue_.front();
        queue_.pop_front();
        auto& p = pending_.at(id);
        p.in_flight = true;
        data = p.data;
      }
      // The failure is kept as a code and a message (not an exception_ptr shared between
      // threads): sync() throws a fresh Error from them.
      bool failed = false;
      Errc code = Errc::internal;
      std::string message;
      try {
        client_.put(key(id), *data);
      } catch (const Error& e) {
        failed = true;
        code = e.code();
        message = e.what();
      } catch (const std::exception& e) {
        failed = true;
        message = std::string("uploading ") + key(id) + ": " + e.what();
      }
      {
        std::lock_guard g(mu_);
        auto it = pending_.find(id);
        it->second.in_flight = false;
        it->second.error_code = code;
        it->second.error_message = std::move(message);
        if (it->second.requeue) {
          // Newer data arrived meanwhile: upload it (this also retries a failure).
          it->second.requeue = false;
          queue_.push_back(id);
          work_cv_.notify_one();
        } else {
          --active_;
          if (failed)
            it->second.failed = true;
          else
            pending_.erase(it);
        }
      }
      done_cv_.notify_all();
    }
  }

  const S3Options options_;
  s3::Client client_;
  const std::string prefix_;
  std::atomic<bool> bucket_confirmed_{false};

  std::mutex mu_;
  std::condition_variable work_cv_;  // work queued or stopping
  std::condition_variable done_cv_;  // an upload finished
  std::map<ObjectId, Pending> pending_;
  std::deque<ObjectId> queue_;
  size_t max_pending_ = 16;
  size_t active_ = 0;  // objects queued or in flight (not counting failed ones)
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

std::shared_ptr<Backend> make_s3_backend(const S3Options& options) {
  return std::make_shared<S3Backend>(options);
}

S3Options s3_options_from_url(const std::string& url, S3Options base) {
  const std::string scheme = "s3://";
  if (url.rfind(scheme, 0) != 0 || url.size() == scheme.size())
    throw Error(Errc::invalid_argument, "not an S3 URL (want s3://bucket/prefix): " + url);
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  base.bucket = rest.substr(0, slash);
  base.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (base.bucket.empty())
    throw Error(Errc::invalid_argument, "S3 URL without a bucket: " + url);
  return base;
}

}  // namespace infinitree
