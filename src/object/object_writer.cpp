#include "object/object_writer.hpp"

#include <cstring>
#include <thread>

#include "crypto/random.hpp"
#include "infinitree/error.hpp"
#include "object/format.hpp"

namespace infinitree {

struct ObjectWriter::OpenObject {
  ObjectId id;
  std::vector<uint8_t> buffer;  // kObjectSize bytes
  uint32_t used = 0;            // next free offset
  int seals_in_progress = 0;
  bool full = false;            // no more reservations
  bool uploading = false;
  bool failed = false;
  Errc error_code = Errc::ok;   // why the last upload failed
  std::string error_message;
};

ObjectWriter::ObjectWriter(std::shared_ptr<Backend> backend, ChunkKind kind,
                           const crypto::SecretKey& key)
    : backend_(std::move(backend)), kind_(kind), key_(key), data_start_(object_data_start(kind)) {}

ObjectWriter::~ObjectWriter() = default;

std::shared_ptr<ObjectWriter::OpenObject> ObjectWriter::start_object_locked() {
  auto obj = std::make_shared<OpenObject>();
  obj->id = ObjectId::random();
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
    if (!current_ || current_->used + stored.size() > kObjectSize) {
      if (current_) {
        auto full = std::move(current_);
        full->full = true;
        if (full->seals_in_progress == 0) retire_locked(full, lock);
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
    seals_done_.notify_all();
    throw;
  }

  std::unique_lock lock(mu_);
  if (--obj->seals_in_progress == 0) {
    seals_done_.notify_all();
    if (obj->full && !obj->uploading) retire_locked(obj, lock);
  }
  return ptr;
}

void ObjectWriter::retire_locked(std::shared_ptr<OpenObject> obj,
                                 std::unique_lock<std::mutex>& lock) {
  obj->uploading = true;
  lock.unlock();
  // Pad the tail with random bytes: every object is exactly 4 MiB of random-looking data.
  crypto::random_fill(obj->buffer.data() + obj->used, kObjectSize - obj->used);
  upload(obj);
  lock.lock();
}

void ObjectWriter::upload(const std::shared_ptr<OpenObject>& obj) {
  Errc code = Errc::ok;
  std::string message;
  try {
    backend_->write_object(obj->id, obj->buffer);
  } catch (const Error& e) {
    // Kept in held_ and retried by flush(), which reports the error.
    code = e.code();
    message = e.what();
  }
  std::lock_guard lock(mu_);
  obj->uploading = false;
  if (code == Errc::ok) {
    held_.erase(obj->id);
    ++objects_written_;
  } else {
    obj->failed = true;
    obj->error_code = code;
    obj->error_message = std::move(message);
  }
}

void ObjectWriter::flush() {
  std::vector<std::shared_ptr<OpenObject>> to_upload;
  {
    std::unique_lock lock(mu_);
    if (current_) {
      current_->full = true;
      current_.reset();
    }
    // Wait for seals in progress, so every object we upload is complete.
    seals_done_.wait(lock, [&] {
      for (auto& [id, obj] : held_)
        if (obj->seals_in_progress > 0) return false;
      return true;
    });
    for (auto& [id, obj] : held_) {
      if (obj->uploading) continue;  // another thread is uploading it right now
      obj->uploading = true;
      to_upload.push_back(obj);
    }
  }
  for (auto& obj : to_upload) {
    if (!obj->failed)
      crypto::random_fill(obj->buffer.data() + obj->used, kObjectSize - obj->used);
    obj->failed = false;
    upload(obj);
  }
  // Uploads started by append() on other threads must finish too.
  for (;;) {
    {
      std::lock_guard lock(mu_);
      bool busy = false;
      for (auto& [id, obj] : held_) busy |= obj->uploading;
      if (!busy) break;
    }
    std::this_thread::yield();
  }
  backend_->sync();
  std::lock_guard lock(mu_);
  for (auto& [id, obj] : held_)
    if (obj->failed)
      throw Error(obj->error_code, "object " + id.hex() + " could not be written (" +
                                       obj->error_message +
                                       "); it is kept in memory and retried at the next flush");
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
  std::memcpy(out, obj->buffer.data() + ptr.offset, ptr.stored_size);
  return true;
}

uint64_t ObjectWriter::objects_written() const {
  std::lock_guard lock(mu_);
  return objects_written_;
}

}  // namespace infinitree
