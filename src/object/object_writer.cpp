#include "object/object_writer.hpp"

#include <atomic>
#include <cstring>

#include "crypto/random.hpp"
#include "infinitree/error.hpp"
#include "object/format.hpp"

namespace infinitree {

namespace {
std::atomic<ObjectWriter::SealObserver> g_seal_observer{nullptr};
}

void ObjectWriter::set_seal_observer(SealObserver observer) { g_seal_observer.store(observer); }

struct ObjectWriter::OpenObject {
  ObjectId id;
  std::vector<uint8_t> buffer;  // kObjectSize bytes
  uint32_t used = 0;            // next free offset
  int seals_in_progress = 0;
  bool full = false;            // no more reservations
  bool retired = false;         // the final, padded version was handed to the backend
  bool uploading = false;
  bool failed = false;
  bool adopted_unloaded = false; // adopted: bytes below `used` still only in the backend
  uint32_t uploaded_used = 0;   // `used` covered by the last successful upload (0: none)
  Errc error_code = Errc::ok;   // why the last upload failed
  std::string error_message;
};

ObjectWriter::ObjectWriter(std::shared_ptr<Backend> backend, ChunkKind kind,
                           const crypto::SecretKey& key, ObjectNamer namer)
    : backend_(std::move(backend)),
      kind_(kind),
      key_(key),
      data_start_(object_data_start(kind)),
      namer_(std::move(namer)) {}

ObjectWriter::~ObjectWriter() = default;

std::shared_ptr<ObjectWriter::OpenObject> ObjectWriter::start_object_locked() {
  auto obj = std::make_shared<OpenObject>();
  obj->id = namer_.mint();
  obj->buffer.resize(kObjectSize);
  // The header region of an index object is random: only the root object's holds data.
  if (data_start_) crypto::random_fill(obj->buffer.data(), data_start_);
  obj->used = data_start_;
  held_[obj->id] = obj;
  return obj;
}

ChunkPointer ObjectWriter::append(ByteView stored, ChunkPointer ptr) {
  if (stored.size() > capacity())
    throw Error(Errc::too_large, "chunk of " + std::to_string(stored.size()) +
                                     " bytes does not fit in one object");
  std::shared_ptr<OpenObject> obj;
  {
    std::unique_lock lock(mu_);
    if (stopped_) throw Error(Errc::closed, "the tree was closed: no more chunks can be written");
    if (current_ && current_->adopted_unloaded &&
        (current_->used + stored.size() > kObjectSize || !load_adopted_locked(*current_)))
      current_.reset();  // no room (or unreadable): the next writer's fresh object instead
    while (!current_ || current_->used + stored.size() > kObjectSize) {
      if (current_) {
        auto full = std::move(current_);
        full->full = true;
        // Retiring unlocks while it uploads: another thread may open the next object
        // meanwhile, so look again instead of replacing it (an orphaned open object would
        // stay in memory until flush; found by the stream RSS check).
        maybe_retire_locked(full, lock);
        continue;
      }
      current_ = start_object_locked();
    }
    obj = current_;
    ptr.object = obj->id;
    ptr.offset = obj->used;
    ptr.stored_size = static_cast<uint32_t>(stored.size());
    ptr.kind = kind_;
    obj->used += static_cast<uint32_t>(stored.size());
    ++obj->seals_in_progress;
  }

  // The reserved region belongs to this thread alone: seal outside the lock.
  uint8_t aad[kChunkAadSize];
  chunk_aad(ptr, aad);
  try {
    ptr.tag = crypto::aead_seal(key_, chunk_nonce(ptr.object, ptr.offset), {aad, sizeof aad},
                                stored.data(), stored.size(), obj->buffer.data() + ptr.offset);
  } catch (...) {
    std::unique_lock lock(mu_);
    --obj->seals_in_progress;
    changed_.notify_all();
    maybe_retire_locked(obj, lock);
    throw;
  }

  if (SealObserver observe = g_seal_observer.load()) observe(ptr.object, ptr.offset, ptr.stored_size, ptr.tag);
  std::unique_lock lock(mu_);
  if (--obj->seals_in_progress == 0) {
    changed_.notify_all();
    maybe_retire_locked(obj, lock);
  }
  return ptr;
}

void ObjectWriter::maybe_retire_locked(const std::shared_ptr<OpenObject>& obj,
                                       std::unique_lock<std::mutex>& lock) {
  if (!obj->full || obj->retired || obj->uploading || obj->seals_in_progress > 0) return;
  obj->retired = true;
  obj->uploading = true;
  lock.unlock();
  // Pad the tail with random bytes: every object is exactly 4 MiB of random-looking data.
  // No reservation can touch the buffer any more, so it is uploaded as it is.
  crypto::random_fill(obj->buffer.data() + obj->used, kObjectSize - obj->used);
  upload(obj, nullptr, obj->used);
  lock.lock();
}

void ObjectWriter::upload(const std::shared_ptr<OpenObject>& obj,
                          const std::shared_ptr<std::vector<uint8_t>>& snapshot, uint32_t used) {
  Errc code = Errc::ok;
  std::string message;
  try {
    backend_->write_object(obj->id, snapshot ? *snapshot : obj->buffer);
  } catch (const Error& e) {
    // Kept in held_ and retried by flush(), which reports the error.
    code = e.code();
    message = e.what();
  }
  std::unique_lock lock(mu_);
  obj->uploading = false;
  if (code == Errc::ok) {
    if (obj->uploaded_used == 0) ++objects_written_;
    obj->uploaded_used = used;
    obj->failed = false;
    if (obj->retired) held_.erase(obj->id);
  } else {
    obj->failed = true;
    obj->error_code = code;
    obj->error_message = std::move(message);
  }
  changed_.notify_all();
  // It may have filled up while this snapshot was uploading.
  if (code == Errc::ok) maybe_retire_locked(obj, lock);
}

void ObjectWriter::flush() {
  struct Job {
    std::shared_ptr<OpenObject> obj;
    std::shared_ptr<std::vector<uint8_t>> snapshot;  // null: upload the buffer itself
    uint32_t used;
  };
  std::vector<Job> jobs;
  {
    std::unique_lock lock(mu_);
    // Wait for seals in progress, so every chunk handed out so far is in what we upload.
    changed_.wait(lock, [&] {
      for (auto& [id, obj] : held_)
        if (obj->seals_in_progress > 0) return false;
      return true;
    });
    for (auto& [id, obj] : held_) {
      if (obj->uploading) continue;  // another thread is uploading it right now
      if (obj->retired) {
        // A full object whose final upload failed: try it again as it is.
        obj->uploading = true;
        jobs.push_back({obj, nullptr, obj->used});
      } else if (obj->used > obj->uploaded_used && obj->used > data_start_) {
        // The open object: upload a padded copy of it as it is now, and keep filling it.
        // A later flush uploads it again, grown, under the same id: the chunks already
        // there keep their bytes and offsets, so every earlier pointer stays valid and no
        // (object, offset) is ever sealed twice.
        auto snapshot = std::make_shared<std::vector<uint8_t>>(kObjectSize);
        std::memcpy(snapshot->data(), obj->buffer.data(), obj->used);
        obj->uploading = true;
        jobs.push_back({obj, std::move(snapshot), obj->used});
      }
    }
  }
  for (auto& job : jobs) {
    if (job.snapshot)
      crypto::random_fill(job.snapshot->data() + job.used, kObjectSize - job.used);
    upload(job.obj, job.snapshot, job.used);
  }
  {
    // Uploads started by append() on other threads must finish too.
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] {
      for (auto& [id, obj] : held_)
        if (obj->uploading) return false;
      return true;
    });
  }
  backend_->sync();
  std::lock_guard lock(mu_);
  for (auto& [id, obj] : held_)
    if (obj->failed)
      throw Error(obj->error_code, "object " + id.hex() + " could not be written (" +
                                       obj->error_message +
                                       "); it is kept in memory and retried at the next flush");
}

void ObjectWriter::adopt(const ObjectId& id, uint32_t fill) {
  std::lock_guard lock(mu_);
  if (current_ || stopped_) throw Error(Errc::internal, "adopt() after the first append");
  if (fill < data_start_ || fill >= kObjectSize) return;  // nothing sensible to continue
  auto obj = std::make_shared<OpenObject>();
  obj->id = id;
  obj->used = fill;
  obj->uploaded_used = fill;
  obj->adopted_unloaded = true;
  current_ = std::move(obj);
}

bool ObjectWriter::load_adopted_locked(OpenObject& obj) {
  // Under the lock: other appenders wait for this one read (once per writer session).
  std::shared_ptr<const std::vector<uint8_t>> data;
  try {
    data = backend_->read_object(obj.id);
  } catch (const Error&) {
    return false;  // missing or unreadable: start a fresh object, lose nothing
  }
  if (!data || data->size() != kObjectSize) return false;
  obj.buffer.assign(data->begin(), data->end());
  obj.adopted_unloaded = false;
  held_[obj.id] = current_;
  return true;
}

std::optional<ObjectWriter::OpenState> ObjectWriter::open_state() const {
  std::lock_guard lock(mu_);
  // An object filled to the last byte has nothing to hand over (and `fill` must stay below
  // kObjectSize in the root record).
  if (!current_ || current_->full || current_->used <= data_start_ || current_->used >= kObjectSize)
    return std::nullopt;
  // Only what the backend holds can be handed over (flush() before asking).
  if (current_->uploaded_used != current_->used) return std::nullopt;
  return OpenState{current_->id, current_->used};
}

void ObjectWriter::rotate() {
  std::unique_lock lock(mu_);
  if (!current_) return;
  std::shared_ptr<OpenObject> obj = std::move(current_);
  if (obj->adopted_unloaded) return;  // never loaded: nothing of it is held here
  obj->full = true;
  maybe_retire_locked(obj, lock);
}

void ObjectWriter::stop() {
  std::unique_lock lock(mu_);
  stopped_ = true;
  // Seals already reserved finish; nothing new is reserved from now on.
  changed_.wait(lock, [&] {
    for (auto& [id, obj] : held_)
      if (obj->seals_in_progress > 0) return false;
    return true;
  });
}

bool ObjectWriter::read_unflushed(const ChunkPointer& ptr, uint8_t* out) const {
  std::shared_ptr<OpenObject> obj;
  {
    std::lock_guard lock(mu_);
    auto it = held_.find(ptr.object);
    if (it == held_.end()) return false;
    obj = it->second;
  }
  // The chunk was sealed before its pointer was handed out; its bytes no longer change.
  // (An empty chunk's buffer may be null, and memcpy from or to null is undefined even for
  // 0 bytes: found by the chunk_store_read fuzz harness.)
  if (ptr.stored_size) std::memcpy(out, obj->buffer.data() + ptr.offset, ptr.stored_size);
  return true;
}

uint64_t ObjectWriter::objects_written() const {
  std::lock_guard lock(mu_);
  return objects_written_;
}

}  // namespace infinitree
