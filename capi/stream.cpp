// Streams: writers and readers of large byte strings, named by refs stored in maps. The C
// side of include/infinitree/stream.hpp (implemented in src/tree/stream.cpp).
#include "capi_internal.hpp"
#include "infinitree/stream.hpp"

using namespace capi;

// Both hold the tree state (and for a checkout the view) so the C++ objects they use stay
// alive, and answer IT_ECLOSED after the tree is closed.
struct it_stream_writer {
  std::shared_ptr<TreeState> state;
  std::unique_ptr<infinitree::StreamWriter> writer;
  bool finished = false;
};

struct it_stream_reader {
  std::shared_ptr<TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
  std::unique_ptr<infinitree::StreamReader> reader;
};

namespace {

it_stream_writer& writer_of(const it_stream_writer* w) {
  need(w, "writer");
  check_open(*w->state);
  if (w->finished) throw Error(Errc::closed, "the stream writer was finished");
  return const_cast<it_stream_writer&>(*w);
}

infinitree::StreamReader& reader_of(const it_stream_reader* r) {
  need(r, "reader");
  check_open(*r->state);
  return *r->reader;
}

}  // namespace

extern "C" {

int it_stream_writer_new(it_tree* tree, it_stream_writer** out) {
  return guard([&]() -> int {
    need(tree, "tree");
    check_open(*tree->state);
    need(out, "out");
    auto w = tree->state->tree->create_stream();
    *out = new it_stream_writer{tree->state, std::move(w)};
    return IT_OK;
  });
}

int it_stream_writer_new_from_session(it_write_session* session, it_stream_writer** out) {
  return guard([&]() -> int {
    need(session, "session");
    check_open(*session->state);
    need(out, "out");
    auto w = session->session->create_stream();
    *out = new it_stream_writer{session->state, std::move(w)};
    return IT_OK;
  });
}

int it_stream_write(it_stream_writer* writer, const void* data, size_t len) {
  return guard([&]() -> int {
    auto& w = writer_of(writer);
    w.writer->write(bytes(data, len, "data"));
    return IT_OK;
  });
}

int it_stream_writer_finish(it_stream_writer* writer, it_buf* out) {
  return guard([&]() -> int {
    auto& w = writer_of(writer);
    need(out, "out");
    std::string r = w.writer->finish();
    w.finished = true;
    to_buf(out, r);
    return IT_OK;
  });
}

int it_stream_writer_stats(const it_stream_writer* writer, it_stream_stats* out) {
  return guard([&]() -> int {
    need(writer, "writer");
    check_open(*writer->state);
    check_version(out, IT_STREAM_STATS_VERSION, "it_stream_stats");
    auto s = writer->writer->stats();
    out->bytes_in = s.bytes_in;
    out->bytes_new = s.bytes_new;
    out->bytes_stored = s.bytes_stored;
    out->chunks = s.chunks;
    out->chunks_new = s.chunks_new;
    return IT_OK;
  });
}

// ~StreamWriter waits for the chunks in flight and records nothing (noexcept).
void it_stream_writer_free(it_stream_writer* writer) { delete writer; }

int it_stream_reader_new(const it_tree* tree, const void* ref, size_t ref_len, it_stream_reader** out) {
  return guard([&]() -> int {
    need(tree, "tree");
    check_open(*tree->state);
    auto r = bytes(ref, ref_len, "ref");
    need(out, "out");
    auto reader = tree->state->tree->open_stream(r);
    *out = new it_stream_reader{tree->state, nullptr, std::move(reader)};
    return IT_OK;
  });
}

int it_stream_reader_new_from_view(const it_view* view, const void* ref, size_t ref_len,
                                   it_stream_reader** out) {
  return guard([&]() -> int {
    need(view, "view");
    check_open(*view->state);
    auto r = bytes(ref, ref_len, "ref");
    need(out, "out");
    auto reader = view->view->open_stream(r);
    *out = new it_stream_reader{view->state, view->view, std::move(reader)};
    return IT_OK;
  });
}

int it_stream_reader_size(const it_stream_reader* reader, uint64_t* out) {
  return guard([&]() -> int {
    auto& r = reader_of(reader);
    need(out, "out");
    *out = r.size();
    return IT_OK;
  });
}

int it_stream_read(it_stream_reader* reader, void* buf, size_t len, size_t* got) {
  return guard([&]() -> int {
    auto& r = reader_of(reader);
    if (!buf && len) throw Error(Errc::invalid_argument, "buf is NULL with a nonzero length");
    need(got, "got");
    *got = len ? r.read(buf, len) : 0;
    return IT_OK;
  });
}

int it_stream_reader_seek(it_stream_reader* reader, uint64_t pos) {
  return guard([&]() -> int {
    reader_of(reader).seek(pos);
    return IT_OK;
  });
}

int it_stream_reader_tell(const it_stream_reader* reader, uint64_t* out) {
  return guard([&]() -> int {
    auto& r = reader_of(reader);
    need(out, "out");
    *out = r.tell();
    return IT_OK;
  });
}

int it_stream_read_at(const it_stream_reader* reader, uint64_t pos, void* buf, size_t len,
                      size_t* got) {
  return guard([&]() -> int {
    auto& r = reader_of(reader);
    if (!buf && len) throw Error(Errc::invalid_argument, "buf is NULL with a nonzero length");
    need(got, "got");
    *got = len ? r.read_at(pos, buf, len) : 0;
    return IT_OK;
  });
}

void it_stream_reader_free(it_stream_reader* reader) { delete reader; }

int it_stream_is_ref(const void* value, size_t len, int* out) {
  return guard([&]() -> int { return answer(out, infinitree::is_stream_ref(bytes(value, len, "value"))); });
}

}  // extern "C"
