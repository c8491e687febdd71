#include "stream/stream_writer.hpp"

#include <algorithm>
#include <limits>

#include "infinitree/error.hpp"

namespace infinitree::stream {

double StreamStats::dedup_ratio() const {
  if (bytes_new == 0)
    return bytes_in == 0 ? 1.0 : std::numeric_limits<double>::infinity();
  return static_cast<double>(bytes_in) / static_cast<double>(bytes_new);
}

// State the workers share with the writer. Tasks hold it by shared_ptr, so a task never
// outlives what it touches even if the writer is destroyed while it runs.
struct StreamWriter::Shared {
  std::shared_ptr<ChunkStore> store;
  std::shared_ptr<DedupIndex> index;
  size_t max_in_flight = 0;

  std::mutex mu;
  std::condition_variable cv;
  size_t in_flight_bytes = 0;
  size_t in_flight_tasks = 0;
  // One slot per chunk submitted and not yet drained, in stream order.
  struct Slot {
    bool done = false;
    ChunkPointer ptr;
  };
  std::deque<Slot> slots;
  uint64_t first_seq = 0;  // sequence number of slots.front()
  uint64_t next_seq = 0;
  std::exception_ptr error;
  // Stream-local dedup: digest -> the pointer of the first copy of a chunk in this stream,
  // as a future so a duplicate arriving while the first copy is being sealed waits for it
  // instead of storing it twice (zero-filled files hit this constantly). Only a running
  // task ever registers a promise, so waiting cannot deadlock the pool.
  std::unordered_map<crypto::Digest, std::shared_future<ChunkPointer>, DigestHash> local;

  uint64_t bytes_new = 0, bytes_stored = 0, chunks_new = 0;

  // Runs on a worker.
  void process(uint64_t seq, Bytes data) noexcept;
  ChunkPointer store_chunk(const Bytes& data, bool& is_new);
};

ChunkPointer StreamWriter::Shared::store_chunk(const Bytes& data, bool& is_new) {
  is_new = false;
  const crypto::Digest digest = store->content_hash(data);
  if (index) {
    std::optional<ChunkPointer> found = index->find(digest);
    // A pointer naming other bytes would be an index bug; never trust it silently.
    if (found && found->kind == ChunkKind::storage && found->plain_size == data.size() &&
        found->hash == digest)
      return *found;
  }
  std::promise<ChunkPointer> mine;
  std::shared_future<ChunkPointer> theirs;
  {
    std::lock_guard lock(mu);
    auto [it, inserted] = local.try_emplace(digest);
    if (inserted)
      it->second = mine.get_future().share();
    else
      theirs = it->second;
  }
  if (theirs.valid()) return theirs.get();  // rethrows if the first copy failed
  ChunkPointer ptr;
  try {
    ptr = store->write(ChunkKind::storage, data, digest);  // hashed once
  } catch (...) {
    mine.set_exception(std::current_exception());
    throw;
  }
  mine.set_value(ptr);
  if (index) index->insert(digest, ptr);
  is_new = true;
  return ptr;
}

void StreamWriter::Shared::process(uint64_t seq, Bytes data) noexcept {
  const size_t size = data.size();
  ChunkPointer ptr;
  bool is_new = false;
  std::exception_ptr failure;
  try {
    ptr = store_chunk(data, is_new);
  } catch (...) {
    failure = std::current_exception();
  }
  Bytes().swap(data);  // release the chunk before it stops counting as in flight
  std::lock_guard lock(mu);
  Slot& slot = slots[seq - first_seq];
  slot.done = true;
  slot.ptr = ptr;
  if (failure && !error) error = failure;
  if (is_new) {
    bytes_new += size;
    bytes_stored += ptr.stored_size;
    ++chunks_new;
  }
  in_flight_bytes -= size;
  --in_flight_tasks;
  cv.notify_all();
}

namespace {
// Checked before any member uses the store (the list builder binds a reference to it).
std::shared_ptr<ChunkStore> require_store(std::shared_ptr<ChunkStore> store) {
  if (!store) throw Error(Errc::invalid_argument, "stream writer needs a chunk store");
  return store;
}
}  // namespace

StreamWriter::StreamWriter(std::shared_ptr<ChunkStore> store, std::shared_ptr<DedupIndex> index,
                           StreamOptions options)
    : store_(require_store(std::move(store))),
      options_(std::move(options)),
      // Boundaries from the tree's own secret gear table: see stream/chunker.hpp.
      chunker_(options_.chunker, store_->keys().chunker_key),
      list_(*store_, options_.entries_per_page) {
  if (options_.chunker.max_size > ChunkStore::max_chunk_size(ChunkKind::storage))
    throw Error(Errc::invalid_argument,
                "chunker max size " + std::to_string(options_.chunker.max_size) +
                    " exceeds the storage chunk limit " +
                    std::to_string(ChunkStore::max_chunk_size(ChunkKind::storage)));
  const size_t page_limit =
      (ChunkStore::max_chunk_size(ChunkKind::index) - 12) / ListEntry::kEncodedSize;
  if (options_.entries_per_page < 8 || options_.entries_per_page > page_limit)
    throw Error(Errc::invalid_argument, "entries_per_page must be 8.." +
                                            std::to_string(page_limit));
  if (options_.pool)
    pool_ = options_.pool;
  else if (options_.threads > 0)
    pool_ = std::make_shared<ThreadPool>(options_.threads);
  else
    pool_ = ThreadPool::shared();
  shared_ = std::make_shared<Shared>();
  shared_->store = store_;
  shared_->index = std::move(index);
  shared_->max_in_flight = options_.max_in_flight_bytes;
}

StreamWriter::~StreamWriter() { wait_idle(); }

void StreamWriter::wait_idle() {
  std::unique_lock lock(shared_->mu);
  shared_->cv.wait(lock, [&] { return shared_->in_flight_tasks == 0; });
}

void StreamWriter::rethrow_if_failed() {
  std::lock_guard lock(shared_->mu);
  if (shared_->error) std::rethrow_exception(shared_->error);
}

void StreamWriter::write(ByteView data) {
  if (finished_) throw Error(Errc::closed, "stream writer already finished");
  rethrow_if_failed();
  bytes_in_ += data.size();
  const size_t max = options_.chunker.max_size;
  while (!data.empty()) {
    // Fast path: nothing carried over and a full window in the caller's buffer: cut there
    // and copy each chunk once.
    if (buf_begin_ == buf_.size() && data.size() >= max) {
      const size_t n = chunker_.cut(data);
      emit(data.first(n));
      data = data.subspan(n);
      continue;
    }
    // Carry at most what completes one max-size window, so the buffer stays under
    // 2 x max and grows only as far as the stream needs (a small file costs its size).
    const size_t take = std::min(data.size(), max - (buf_.size() - buf_begin_));
    if (buf_begin_ > 0 && buf_.size() + take > buf_.capacity()) {
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(buf_begin_));
      buf_begin_ = 0;
    }
    buf_.insert(buf_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
    while (buf_.size() - buf_begin_ >= max) {
      const size_t n = chunker_.cut(ByteView(buf_).subspan(buf_begin_));
      emit(ByteView(buf_).subspan(buf_begin_, n));
      buf_begin_ += n;
    }
    if (buf_begin_ == buf_.size()) {
      buf_.clear();
      buf_begin_ = 0;
    }
  }
}

void StreamWriter::emit(ByteView chunk) {
  Shared& s = *shared_;
  uint64_t seq;
  {
    std::unique_lock lock(s.mu);
    s.cv.wait(lock, [&] {
      return s.error || s.in_flight_bytes == 0 ||
             s.in_flight_bytes + chunk.size() <= s.max_in_flight;
    });
    if (s.error) std::rethrow_exception(s.error);
    s.in_flight_bytes += chunk.size();
    ++s.in_flight_tasks;
    seq = s.next_seq++;
    s.slots.emplace_back();
  }
  // The copy is made after admission, so memory never exceeds the bound.
  Bytes copy(chunk.begin(), chunk.end());
  try {
    pool_->submit([shared = shared_, seq, data = std::move(copy)]() mutable {
      shared->process(seq, std::move(data));
    });
  } catch (...) {
    std::lock_guard lock(s.mu);
    s.slots[seq - s.first_seq].done = true;
    if (!s.error) s.error = std::current_exception();
    s.in_flight_bytes -= chunk.size();
    --s.in_flight_tasks;
    throw;
  }
  drain_completed();
}

void StreamWriter::drain_completed() {
  std::vector<ChunkPointer> ready;
  {
    std::lock_guard lock(shared_->mu);
    if (shared_->error) std::rethrow_exception(shared_->error);
    while (!shared_->slots.empty() && shared_->slots.front().done) {
      ready.push_back(shared_->slots.front().ptr);
      shared_->slots.pop_front();
      ++shared_->first_seq;
    }
  }
  // List pages are written here, on the caller's thread, in stream order.
  for (const auto& ptr : ready) list_.add_chunk(ptr);
}

StreamRef StreamWriter::finish() {
  if (finished_) throw Error(Errc::closed, "stream writer already finished");
  while (buf_.size() > buf_begin_) {
    const size_t n = chunker_.cut(ByteView(buf_).subspan(buf_begin_));
    emit(ByteView(buf_).subspan(buf_begin_, n));
    buf_begin_ += n;
  }
  buf_begin_ = 0;
  wait_idle();
  drain_completed();
  if (list_.size() != bytes_in_)
    throw Error(Errc::internal, "stream writer lost bytes: wrote " + std::to_string(bytes_in_) +
                                    ", listed " + std::to_string(list_.size()));
  StreamRef ref = list_.finish();
  finished_ = true;
  Bytes().swap(buf_);
  return ref;
}

StreamStats StreamWriter::stats() const {
  StreamStats st;
  st.bytes_in = bytes_in_;
  st.chunks = list_.chunk_count();
  st.list_pages = list_.pages_written();
  std::lock_guard lock(shared_->mu);
  st.bytes_new = shared_->bytes_new;
  st.bytes_stored = shared_->bytes_stored;
  st.chunks_new = shared_->chunks_new;
  return st;
}

StreamRef write_stream(std::shared_ptr<ChunkStore> store, std::shared_ptr<DedupIndex> index,
                       ByteView data, StreamOptions options) {
  StreamWriter writer(std::move(store), std::move(index), std::move(options));
  writer.write(data);
  return writer.finish();
}

}  // namespace infinitree::stream
