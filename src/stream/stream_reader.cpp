#include "stream/stream_reader.hpp"

#include <algorithm>
#include <future>
#include <list>
#include <mutex>
#include <unordered_map>

#include "infinitree/error.hpp"

namespace infinitree::stream {

namespace {

// Index of the entry covering pos: the last one whose offset is <= pos.
size_t find_entry(const std::vector<ListEntry>& entries, uint64_t pos) {
  auto it = std::upper_bound(entries.begin(), entries.end(), pos,
                             [](uint64_t p, const ListEntry& e) { return p < e.offset; });
  if (it == entries.begin()) throw Error(Errc::corrupt, "stream list does not cover offset 0");
  return static_cast<size_t>(it - entries.begin()) - 1;
}

// A small LRU keyed by chunk pointer; values are shared so evicting never invalidates a
// reader still using one. Not thread-safe by itself: Core guards it.
template <typename V>
class Lru {
 public:
  explicit Lru(size_t capacity) : capacity_(capacity) {}
  const V* find(const ChunkPointer& key) {
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  void put(const ChunkPointer& key, V value) {
    auto it = map_.find(key);
    if (it != map_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
    } else {
      order_.emplace_front(key, std::move(value));
      map_.emplace(key, order_.begin());
    }
    while (map_.size() > capacity_) {
      map_.erase(order_.back().first);
      order_.pop_back();
    }
  }
  void erase(const ChunkPointer& key) {
    auto it = map_.find(key);
    if (it == map_.end()) return;
    order_.erase(it->second);
    map_.erase(it);
  }

 private:
  size_t capacity_;
  std::list<std::pair<ChunkPointer, V>> order_;
  std::unordered_map<ChunkPointer, typename std::list<std::pair<ChunkPointer, V>>::iterator,
                     ChunkPointerHash>
      map_;
};

using ChunkData = std::shared_ptr<const Bytes>;

struct Page {
  uint64_t begin = 0;
  std::vector<ListEntry> entries;
};

}  // namespace

struct StreamReader::Core {
  std::shared_ptr<ChunkStore> store;
  StreamRef ref;
  ReaderOptions options;
  std::shared_ptr<ThreadPool> pool;

  std::mutex mu;
  Lru<std::shared_future<ChunkData>> chunks;
  Lru<std::shared_ptr<const Page>> pages;

  Core(std::shared_ptr<ChunkStore> s, StreamRef r, ReaderOptions o)
      : store(std::move(s)),
        ref(std::move(r)),
        options(std::move(o)),
        chunks(options.cache_chunks),
        pages(options.cache_pages) {
    pool = options.pool ? options.pool : ThreadPool::shared();
  }

  std::shared_ptr<const Page> get_page(const ChunkPointer& ptr, uint8_t level, uint64_t begin,
                                       uint64_t end) {
    {
      std::lock_guard lock(mu);
      if (auto* hit = pages.find(ptr); hit && (*hit)->begin == begin) return *hit;
    }
    // Loaded outside the lock; two threads may load the same page, which is harmless.
    Bytes bytes = store->read(ptr);
    auto page = std::make_shared<Page>();
    page->begin = begin;
    page->entries = decode_list_page(bytes, level, begin, end);
    std::lock_guard lock(mu);
    pages.put(ptr, page);
    return page;
  }

  // The data chunk entry covering pos (< ref.size).
  ListEntry locate(uint64_t pos) {
    uint8_t level = ref.level;
    uint64_t end = ref.size;
    std::shared_ptr<const Page> page;  // keeps `entries` alive while descending
    const std::vector<ListEntry>* entries = &ref.entries;
    while (level > 0) {
      const size_t i = find_entry(*entries, pos);
      const uint64_t child_end = entry_end(*entries, i, level, end);
      page = get_page((*entries)[i].ptr, static_cast<uint8_t>(level - 1), (*entries)[i].offset,
                      child_end);
      entries = &page->entries;
      end = child_end;
      --level;
    }
    return (*entries)[find_entry(*entries, pos)];
  }

  ChunkData get_chunk(const ChunkPointer& ptr) {
    std::promise<ChunkData> mine;
    std::shared_future<ChunkData> fut;
    bool owner = false;
    {
      std::lock_guard lock(mu);
      if (auto* hit = chunks.find(ptr)) {
        fut = *hit;
      } else {
        fut = mine.get_future().share();
        chunks.put(ptr, fut);
        owner = true;
      }
    }
    if (owner) {
      try {
        Bytes data = store->read(ptr);
        if (data.size() != ptr.plain_size)
          throw Error(Errc::corrupt, "stream chunk has " + std::to_string(data.size()) +
                                         " bytes, its pointer says " +
                                         std::to_string(ptr.plain_size));
        mine.set_value(std::make_shared<const Bytes>(std::move(data)));
      } catch (...) {
        mine.set_exception(std::current_exception());
        std::lock_guard lock(mu);
        chunks.erase(ptr);  // a later read retries (the error may have been transient)
      }
    }
    return fut.get();
  }

  size_t read_at(uint64_t pos, uint8_t* buf, size_t n) {
    if (pos > ref.size)
      throw Error(Errc::invalid_argument, "read at " + std::to_string(pos) +
                                              " past the end of a stream of " +
                                              std::to_string(ref.size) + " bytes");
    n = static_cast<size_t>(std::min<uint64_t>(n, ref.size - pos));
    size_t done = 0;
    while (done < n) {
      const ListEntry e = locate(pos + done);
      ChunkData data = get_chunk(e.ptr);
      const size_t off = static_cast<size_t>(pos + done - e.offset);
      const size_t take = std::min(n - done, data->size() - off);
      std::memcpy(buf + done, data->data() + off, take);
      done += take;
    }
    return done;
  }
};

StreamReader::StreamReader(std::shared_ptr<ChunkStore> store, StreamRef ref,
                           ReaderOptions options) {
  if (!store) throw Error(Errc::invalid_argument, "stream reader needs a chunk store");
  validate_entries(ref.entries, ref.level, 0, ref.size);
  core_ = std::make_shared<Core>(std::move(store), std::move(ref), std::move(options));
}

StreamReader::~StreamReader() = default;

uint64_t StreamReader::size() const { return core_->ref.size; }
const StreamRef& StreamReader::ref() const { return core_->ref; }

size_t StreamReader::read_at(uint64_t pos, uint8_t* buf, size_t n) const {
  return core_->read_at(pos, buf, n);
}

void StreamReader::seek(uint64_t pos) {
  if (pos > core_->ref.size)
    throw Error(Errc::invalid_argument, "seek to " + std::to_string(pos) +
                                            " past the end of a stream of " +
                                            std::to_string(core_->ref.size) + " bytes");
  pos_ = pos;
}

size_t StreamReader::read(uint8_t* buf, size_t n) {
  const size_t got = core_->read_at(pos_, buf, n);
  pos_ += got;
  // Read-ahead is best effort: a failure here (say, a damaged list page) must not turn a
  // successful read into an error; the read that needs the bytes reports it.
  try {
    start_read_ahead();
  } catch (const Error&) {
  }
  return got;
}

void StreamReader::start_read_ahead() {
  if (core_->options.read_ahead && pos_ < core_->ref.size) {
    // Once per chunk: fetch the one after the chunk the cursor is now in.
    const ListEntry cur = core_->locate(pos_);
    const uint64_t next = cur.offset + cur.ptr.plain_size;
    if (cur.offset != prefetched_ && next < core_->ref.size) {
      prefetched_ = cur.offset;
      const ChunkPointer ptr = core_->locate(next).ptr;
      std::weak_ptr<Core> weak = core_;
      core_->pool->submit([weak, ptr] {
        if (auto core = weak.lock()) {
          try {
            core->get_chunk(ptr);
          } catch (...) {
            // The foreground read that needs this chunk will fetch it and report.
          }
        }
      });
    }
  }
}

Bytes StreamReader::read_all() const {
  Bytes out(static_cast<size_t>(core_->ref.size));
  size_t got = core_->read_at(0, out.data(), out.size());
  out.resize(got);
  return out;
}

namespace {

void walk(ChunkStore& store, const std::vector<ListEntry>& entries, uint8_t level, uint64_t end,
          const std::function<void(const ChunkPointer&)>& fn, uint64_t& data_chunks) {
  for (size_t i = 0; i < entries.size(); ++i) {
    fn(entries[i].ptr);
    if (level == 0) {
      ++data_chunks;
      continue;
    }
    const uint64_t child_end = entry_end(entries, i, level, end);
    Bytes bytes = store.read(entries[i].ptr);
    std::vector<ListEntry> child = decode_list_page(bytes, static_cast<uint8_t>(level - 1),
                                                    entries[i].offset, child_end);
    walk(store, child, static_cast<uint8_t>(level - 1), child_end, fn, data_chunks);
  }
}

}  // namespace

void reachable(ChunkStore& store, const StreamRef& ref,
               const std::function<void(const ChunkPointer&)>& fn) {
  validate_entries(ref.entries, ref.level, 0, ref.size);
  uint64_t data_chunks = 0;
  walk(store, ref.entries, ref.level, ref.size, fn, data_chunks);
  if (data_chunks != ref.chunk_count)
    throw Error(Errc::corrupt, "stream lists " + std::to_string(data_chunks) +
                                   " chunks, its ref says " + std::to_string(ref.chunk_count));
}

namespace {

void verify_walk(ChunkStore& store, const std::vector<ListEntry>& entries, uint8_t level,
                 uint64_t end, const std::function<void(const ChunkPointer&, const Error&)>& on_problem,
                 VerifyResult& result) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const ChunkPointer& ptr = entries[i].ptr;
    try {
      Bytes bytes = store.read(ptr);
      if (level == 0) {
        if (bytes.size() != ptr.plain_size)
          throw Error(Errc::corrupt, "stream chunk has the wrong size");
        ++result.chunks_ok;
        result.bytes_ok += bytes.size();
        continue;
      }
      const uint64_t child_end = entry_end(entries, i, level, end);
      std::vector<ListEntry> child = decode_list_page(bytes, static_cast<uint8_t>(level - 1),
                                                      entries[i].offset, child_end);
      ++result.chunks_ok;
      verify_walk(store, child, static_cast<uint8_t>(level - 1), child_end, on_problem, result);
    } catch (const Error& e) {
      ++result.problems;
      on_problem(ptr, e);
    }
  }
}

}  // namespace

VerifyResult verify(ChunkStore& store, const StreamRef& ref,
                    const std::function<void(const ChunkPointer&, const Error&)>& on_problem) {
  validate_entries(ref.entries, ref.level, 0, ref.size);
  VerifyResult result;
  verify_walk(store, ref.entries, ref.level, ref.size, on_problem, result);
  return result;
}

Bytes read_stream(std::shared_ptr<ChunkStore> store, const StreamRef& ref) {
  StreamReader reader(std::move(store), ref, ReaderOptions{.read_ahead = false});
  return reader.read_all();
}

}  // namespace infinitree::stream
