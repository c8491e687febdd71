// Large byte streams (files): content-defined, deduplicated chunks in storage objects,
// read back with seek. A finished stream is named by a small ref (under 1 KiB) that you
// store as the value of a map entry:
//
//   auto w = tree->create_stream();
//   w->write(bytes);                       // any amount, any number of times
//   tree->map("files").put("a.bin", w->finish());
//   tree->commit("add a.bin");
//   auto r = tree->open_stream(*tree->map("files").get("a.bin"));
//   r->seek(1 << 20); r->read(buf, sizeof buf);
//
// Chunks identical to any chunk stored through this tree before (in any stream, file or
// commit) are stored once: the dedup index is kept with the tree and versioned by commits.
#pragma once

#include "infinitree/export.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace infinitree {

namespace detail {
struct StreamWriterImpl;
struct StreamReaderImpl;
}  // namespace detail

struct StreamStats {
  uint64_t bytes_in = 0;      // stream bytes written
  uint64_t bytes_new = 0;     // bytes of chunks actually stored (the rest deduplicated)
  uint64_t bytes_stored = 0;  // after compression and sealing
  uint64_t chunks = 0;
  uint64_t chunks_new = 0;
  double dedup_ratio() const { return bytes_new ? double(bytes_in) / double(bytes_new) : 0.0; }
};

// Not thread-safe: one writer per thread (any number of writers may run at once).
class INFINITREE_EXPORT StreamWriter {
 public:
  ~StreamWriter();  // without finish(), the stream is abandoned
  void write(std::string_view data);
  void write(const void* data, size_t size) { write({static_cast<const char*>(data), size}); }
  // Stores what is left and returns the stream's ref. Durable with the next commit.
  std::string finish();
  StreamStats stats() const;

 private:
  friend class Tree;
  explicit StreamWriter(std::unique_ptr<detail::StreamWriterImpl> impl);
  std::unique_ptr<detail::StreamWriterImpl> impl_;
};

// read() and seek() move one position (one thread at a time); read_at() may be called
// from any number of threads at once.
class INFINITREE_EXPORT StreamReader {
 public:
  ~StreamReader();
  uint64_t size() const;
  size_t read(void* buf, size_t n);  // returns 0 at the end
  void seek(uint64_t pos);           // pos <= size(), else invalid_argument
  uint64_t tell() const;
  size_t read_at(uint64_t pos, void* buf, size_t n) const;
  std::string read_all() const;

 private:
  friend class TreeView;
  explicit StreamReader(std::unique_ptr<detail::StreamReaderImpl> impl);
  std::unique_ptr<detail::StreamReaderImpl> impl_;
};

// True if `value` is a stream ref (as returned by StreamWriter::finish).
INFINITREE_EXPORT bool is_stream_ref(std::string_view value);

}  // namespace infinitree
