// The public streams of include/infinitree/stream.hpp (wrapped for C by capi/stream.cpp):
// StreamWriter/StreamReader over src/stream, with the tree's persistent dedup index.

#include "infinitree/stream.hpp"
#include "stream/stream_reader.hpp"
#include "stream/stream_writer.hpp"
#include "fields/stream_value.hpp"
#include "tree/tree_core.hpp"

namespace infinitree {

namespace {

// The dedup index is a system field of the tree: keyed content hash -> chunk pointer.
// It is versioned with the data, so a rollback forgets exactly the chunks it drops.
class MapDedupIndex final : public stream::DedupIndex {
 public:
  explicit MapDedupIndex(Map map) : map_(std::move(map)) {}
  std::optional<ChunkPointer> find(const crypto::Digest& digest) override {
    auto raw = map_.get(key(digest));
    if (!raw) return std::nullopt;
    return ChunkPointer::decode(as_bytes(*raw));
  }
  void insert(const crypto::Digest& digest, const ChunkPointer& ptr) override {
    Bytes enc = ptr.encode();
    map_.put_if_absent(key(digest), as_string_view(enc));
  }

 private:
  static std::string_view key(const crypto::Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
  }
  Map map_;
};

StreamStats to_public(const stream::StreamStats& s) {
  return {s.bytes_in, s.bytes_new, s.bytes_stored, s.chunks, s.chunks_new};
}

}  // namespace

namespace detail {
struct StreamWriterImpl {
  std::shared_ptr<SharedState> shared;
  stream::StreamWriter writer;
  bool finished = false;
  void check() const {
    if (shared->closed.load()) throw Error(Errc::closed, "the tree of this stream is closed");
    if (finished) throw Error(Errc::closed, "the stream was already finished");
  }
};
struct StreamReaderImpl {
  std::shared_ptr<SharedState> shared;
  stream::StreamReader reader;
  void check() const {
    if (shared->closed.load()) throw Error(Errc::closed, "the tree of this stream is closed");
  }
};
}  // namespace detail

StreamWriter::StreamWriter(std::unique_ptr<detail::StreamWriterImpl> impl) : impl_(std::move(impl)) {}
StreamWriter::~StreamWriter() = default;
void StreamWriter::write(std::string_view data) {
  impl_->check();
  impl_->writer.write(as_bytes(data));
}
std::string StreamWriter::finish() {
  impl_->check();
  Bytes ref = impl_->writer.finish().encode();
  impl_->finished = true;
  return to_string(ref);
}
StreamStats StreamWriter::stats() const { return to_public(impl_->writer.stats()); }

StreamReader::StreamReader(std::unique_ptr<detail::StreamReaderImpl> impl) : impl_(std::move(impl)) {}
StreamReader::~StreamReader() = default;
uint64_t StreamReader::size() const { return impl_->reader.size(); }
size_t StreamReader::read(void* buf, size_t n) {
  impl_->check();
  return impl_->reader.read(static_cast<uint8_t*>(buf), n);
}
void StreamReader::seek(uint64_t pos) {
  impl_->check();
  impl_->reader.seek(pos);
}
uint64_t StreamReader::tell() const { return impl_->reader.tell(); }
size_t StreamReader::read_at(uint64_t pos, void* buf, size_t n) const {
  impl_->check();
  return impl_->reader.read_at(pos, static_cast<uint8_t*>(buf), n);
}
std::string StreamReader::read_all() const {
  impl_->check();
  return to_string(impl_->reader.read_all());
}

bool is_stream_ref(std::string_view value) { return detail::is_stream_ref_value(value); }

std::unique_ptr<StreamWriter> Tree::create_stream() {
  core_->check_open();
  if (core_->read_only()) throw Error(Errc::read_only, "cannot write streams: the tree is read-only");
  auto index = std::make_shared<MapDedupIndex>(Map(fields_->get_system("dedup", FieldType::map)));
  auto impl = std::unique_ptr<detail::StreamWriterImpl>(new detail::StreamWriterImpl{
      fields_->shared(), stream::StreamWriter(core_->store(), index), false});
  return std::unique_ptr<StreamWriter>(new StreamWriter(std::move(impl)));
}

std::unique_ptr<StreamReader> TreeView::open_stream(std::string_view ref) const {
  if (fields_->shared()->closed.load()) throw Error(Errc::closed, "the tree is closed");
  stream::StreamRef decoded = stream::StreamRef::decode(as_bytes(ref));
  auto impl = std::unique_ptr<detail::StreamReaderImpl>(new detail::StreamReaderImpl{
      fields_->shared(), stream::StreamReader(fields_->store(), decoded)});
  return std::unique_ptr<StreamReader>(new StreamReader(std::move(impl)));
}

}  // namespace infinitree
