#include "object/chunk_store.hpp"

#include "crypto/hash.hpp"
#include "infinitree/error.hpp"
#include "object/compression.hpp"
#include "object/format.hpp"

namespace infinitree {

ChunkStore::ChunkStore(std::shared_ptr<Backend> backend, const crypto::KeyRing& keys,
                       ChunkStoreOptions options)
    : backend_(std::move(backend)), keys_(keys), options_(options), namer_(keys.hash_key) {
  if (!backend_) throw Error(Errc::invalid_argument, "chunk store needs a backend");
  if (!compression_available(options_.compression))
    throw Error(Errc::invalid_argument, "compression method not available in this build");
  index_writer_ = std::make_unique<ObjectWriter>(backend_, ChunkKind::index, keys_.index_key, namer_);
  storage_writer_ =
      std::make_unique<ObjectWriter>(backend_, ChunkKind::storage, keys_.storage_key, namer_);
  reader_ = std::make_unique<ObjectReader>(backend_, keys_, options_.object_cache_objects);
}

ChunkStore::~ChunkStore() = default;

size_t ChunkStore::max_chunk_size(ChunkKind kind) {
  return kObjectSize - object_data_start(kind);
}

ChunkPointer ChunkStore::write(ChunkKind kind, ByteView plaintext) {
  return write(kind, plaintext, content_hash(plaintext));
}

ChunkPointer ChunkStore::write(ChunkKind kind, ByteView plaintext, const crypto::Digest& hash) {
  if (plaintext.size() > max_chunk_size(kind))
    throw Error(Errc::too_large, "chunk of " + std::to_string(plaintext.size()) +
                                     " bytes is over the limit of " +
                                     std::to_string(max_chunk_size(kind)));
  ChunkPointer ptr;
  ptr.kind = kind;
  ptr.plain_size = static_cast<uint32_t>(plaintext.size());
  ptr.hash = hash;
  Bytes compressed;
  ByteView stored = plaintext;
  if (compress_chunk(options_.compression, plaintext, compressed)) {
    ptr.compression = options_.compression;
    stored = compressed;
  }
  ObjectWriter& writer = kind == ChunkKind::index ? *index_writer_ : *storage_writer_;
  ptr = writer.append(stored, ptr);
  chunks_written_.fetch_add(1, std::memory_order_relaxed);
  plain_bytes_written_.fetch_add(plaintext.size(), std::memory_order_relaxed);
  stored_bytes_written_.fetch_add(stored.size(), std::memory_order_relaxed);
  return ptr;
}

Bytes ChunkStore::read(const ChunkPointer& ptr) {
  chunks_read_.fetch_add(1, std::memory_order_relaxed);
  if (static_cast<uint64_t>(ptr.offset) + ptr.stored_size > kObjectSize)
    throw Error(Errc::corrupt, "chunk pointer runs past the end of object " + ptr.object.hex());
  ObjectWriter& writer = ptr.kind == ChunkKind::index ? *index_writer_ : *storage_writer_;
  Bytes stored(ptr.stored_size);
  if (writer.read_unflushed(ptr, stored.data())) return reader_->open(ptr, stored);
  stored = reader_->fetch(ptr);
  try {
    return reader_->open(ptr, stored);
  } catch (const Error& e) {
    if (e.code() != Errc::corrupt) throw;
    // A cached copy may be an older version of an object that grew since (see
    // ObjectWriter) or a damaged cache file: drop every cached copy and read it afresh
    // from the store. Only if that fails too is the chunk corrupt.
    reader_->forget(ptr.object);
    backend_->invalidate(ptr.object);
    stored = reader_->fetch(ptr);
    return reader_->open(ptr, stored);
  }
}

std::vector<ChunkStore::OpenObject> ChunkStore::open_objects() const {
  std::vector<OpenObject> out;
  for (ChunkKind kind : {ChunkKind::index, ChunkKind::storage}) {
    const ObjectWriter& w = kind == ChunkKind::index ? *index_writer_ : *storage_writer_;
    if (auto st = w.open_state()) out.push_back({kind, st->id, st->fill});
  }
  return out;
}

void ChunkStore::adopt(const OpenObject& obj) {
  (obj.kind == ChunkKind::index ? *index_writer_ : *storage_writer_).adopt(obj.id, obj.fill);
}

void ChunkStore::rotate_open_objects() {
  index_writer_->rotate();
  storage_writer_->rotate();
}

void ChunkStore::stop_writing() {
  index_writer_->stop();
  storage_writer_->stop();
}

void ChunkStore::flush() {
  storage_writer_->flush();
  index_writer_->flush();
}

crypto::Digest ChunkStore::content_hash(ByteView plaintext) const {
  return crypto::keyed_hash(keys_.hash_key, plaintext);
}

ChunkStoreStats ChunkStore::stats() const {
  ChunkStoreStats s;
  s.objects_written = index_writer_->objects_written() + storage_writer_->objects_written();
  s.chunks_read = chunks_read_.load(std::memory_order_relaxed);
  s.chunks_written = chunks_written_.load(std::memory_order_relaxed);
  s.plain_bytes_written = plain_bytes_written_.load(std::memory_order_relaxed);
  s.stored_bytes_written = stored_bytes_written_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace infinitree
