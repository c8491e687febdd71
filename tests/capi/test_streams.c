/* Streams: write, finish, store the ref in a map, read back (sequential, seek, read_at),
 * through checkouts and after reopening; dedup; error paths. */
#include "harness.h"

#include <stdlib.h>

/* Deterministic pseudo-random bytes (xorshift), so content-defined chunks differ. */
static void fill(uint8_t* p, size_t n, uint64_t seed) {
  size_t i;
  uint64_t s = seed * 2654435761u + 1;
  for (i = 0; i < n; ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    p[i] = (uint8_t)s;
  }
}

/* Writes `data` in uneven pieces; returns the ref (caller frees). */
static it_buf write_stream(it_tree* t, const uint8_t* data, size_t n, it_stream_stats* st) {
  it_stream_writer* w = NULL;
  it_buf ref = {NULL, 0};
  size_t off = 0, piece = 1;
  CHECK_OK(it_stream_writer_new(t, &w));
  while (off < n) {
    size_t len = piece < n - off ? piece : n - off;
    CHECK_OK(it_stream_write(w, data + off, len));
    off += len;
    piece = piece * 3 + 7;
  }
  CHECK_OK(it_stream_write(w, NULL, 0));
  CHECK_OK(it_stream_writer_finish(w, &ref));
  if (st) CHECK_OK(it_stream_writer_stats(w, st));
  /* Finished: no more writing. */
  CHECK_RC(it_stream_write(w, "x", 1), IT_ECLOSED);
  CHECK_RC(it_stream_writer_finish(w, &ref), IT_ECLOSED);
  it_stream_writer_free(w);
  return ref;
}

/* Reads the whole stream sequentially and compares it with `data`. */
static int read_back(it_stream_reader* r, const uint8_t* data, size_t n) {
  static uint8_t buf[100000];
  size_t off = 0, got = 0;
  uint64_t size = 0;
  if (it_stream_reader_size(r, &size) != IT_OK || size != n) return 0;
  for (;;) {
    if (it_stream_read(r, buf, sizeof buf, &got) != IT_OK) return 0;
    if (got == 0) break;
    if (off + got > n || memcmp(buf, data + off, got) != 0) return 0;
    off += got;
  }
  return off == n;
}

static void test_stream_roundtrip(void) {
  const size_t n = 9 * 1024 * 1024 + 12345;
  uint8_t* data = malloc(n);
  const char* dir = h_scratch();
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_map* files = NULL;
  it_stream_reader* r = NULL;
  it_options* o = h_fast_options();
  it_stream_stats st = IT_STREAM_STATS_INIT;
  it_buf ref, stored = {NULL, 0};
  uint8_t piece[1000];
  uint64_t pos = 0;
  size_t got = 0;
  fill(data, n, 1);

  CHECK_OK(it_backend_new_directory(dir, &b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  ref = write_stream(t, data, n, &st);
  CHECK(ref.size > 0 && ref.size < 1024);
  CHECK(st.bytes_in == n);
  CHECK(st.chunks >= 2);
  CHECK(st.bytes_new == n);
  CHECK(st.version == IT_STREAM_STATS_VERSION);
  CHECK_RC(H_YES(it_stream_is_ref(ref.data, ref.size, &h_flag)), 1);
  CHECK_RC(H_YES(it_stream_is_ref("hello", 5, &h_flag)), 0);
  CHECK_OK(it_tree_map(t, "files", &files));
  CHECK_OK(it_map_put(files, "a.bin", 5, ref.data, ref.size));
  CHECK_OK(it_tree_commit(t, "add a.bin", NULL, 0, NULL, NULL));

  /* Read back through the open tree: sequentially, then seek and read_at. */
  CHECK_OK(it_stream_reader_new(t, ref.data, ref.size, &r));
  CHECK(read_back(r, data, n));
  CHECK_OK(it_stream_reader_tell(r, &pos));
  CHECK(pos == n);
  CHECK_OK(it_stream_reader_seek(r, 5000000));
  CHECK_OK(it_stream_read(r, piece, sizeof piece, &got));
  CHECK(got == sizeof piece && memcmp(piece, data + 5000000, got) == 0);
  CHECK_OK(it_stream_reader_tell(r, &pos));
  CHECK(pos == 5000000 + sizeof piece);
  CHECK_OK(it_stream_read_at(r, 123, piece, sizeof piece, &got));
  CHECK(got == sizeof piece && memcmp(piece, data + 123, got) == 0);
  CHECK_OK(it_stream_reader_tell(r, &pos));
  CHECK(pos == 5000000 + sizeof piece); /* read_at does not move */
  CHECK_OK(it_stream_read_at(r, n - 10, piece, sizeof piece, &got));
  CHECK(got == 10);
  CHECK_OK(it_stream_reader_seek(r, n)); /* the end is a valid position */
  CHECK_OK(it_stream_read(r, piece, sizeof piece, &got));
  CHECK(got == 0);
  CHECK_RC(it_stream_reader_seek(r, (uint64_t)n + 1), IT_EINVAL);
  CHECK_OK(it_stream_read(r, NULL, 0, &got));
  CHECK_RC(it_stream_read(r, NULL, 5, &got), IT_EINVAL);
  CHECK_RC(it_stream_read(r, piece, 5, NULL), IT_EINVAL);
  CHECK_RC(it_stream_read_at(r, 0, NULL, 5, &got), IT_EINVAL);
  CHECK_RC(it_stream_read_at(r, 0, piece, 5, NULL), IT_EINVAL);
  CHECK_RC(it_stream_reader_size(r, NULL), IT_EINVAL);
  CHECK_RC(it_stream_reader_tell(r, NULL), IT_EINVAL);
  it_stream_reader_free(r);
  r = NULL;
  it_map_free(files);
  files = NULL;
  it_tree_free(t);
  t = NULL;

  /* Reopen, find the ref in the map, read through a checkout. */
  CHECK_OK(it_tree_open(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "files", &files));
  CHECK_OK(it_map_get(files, "a.bin", 5, &stored));
  CHECK(stored.size == ref.size && memcmp(stored.data, ref.data, ref.size) == 0);
  {
    it_view* view = NULL;
    CHECK_OK(it_tree_checkout(t, "main", &view));
    CHECK_OK(it_stream_reader_new_from_view(view, stored.data, stored.size, &r));
    it_view_free(view); /* the reader keeps what it needs */
    CHECK(read_back(r, data, n));
    it_stream_reader_free(r);
    r = NULL;
  }
  /* Writing the same bytes again stores nothing new. */
  {
    it_buf again = write_stream(t, data, n, &st);
    CHECK(st.bytes_in == n);
    CHECK(st.bytes_new == 0);
    CHECK(st.chunks_new == 0);
    it_buf_free(&again);
  }
  it_buf_free(&stored);
  it_buf_free(&ref);
  it_map_free(files);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
  free(data);
}

static void test_stream_errors(void) {
  it_tree* t = h_memory_tree();
  it_stream_writer* w = NULL;
  it_stream_reader* r = NULL;
  it_stream_stats st = IT_STREAM_STATS_INIT;
  it_buf ref = {NULL, 0};
  uint8_t buf[16];
  size_t got;
  uint64_t v;

  /* Not a ref. */
  CHECK_RC(it_stream_reader_new(t, "not a ref", 9, &r), IT_ECORRUPT);
  CHECK(r == NULL);
  CHECK_RC(H_YES(it_stream_is_ref(NULL, 3, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_stream_is_ref(NULL, 0, &h_flag)), 0);

  /* NULL handles and pointers. */
  CHECK_RC(it_stream_writer_new(NULL, &w), IT_EINVAL);
  CHECK_RC(it_stream_writer_new(t, NULL), IT_EINVAL);
  CHECK_RC(it_stream_write(NULL, "x", 1), IT_EINVAL);
  CHECK_RC(it_stream_writer_finish(NULL, &ref), IT_EINVAL);
  CHECK_RC(it_stream_writer_stats(NULL, &st), IT_EINVAL);
  CHECK_RC(it_stream_reader_new(NULL, "x", 1, &r), IT_EINVAL);
  CHECK_RC(it_stream_reader_new(t, NULL, 1, &r), IT_EINVAL);
  CHECK_RC(it_stream_reader_new(t, "x", 1, NULL), IT_EINVAL);
  CHECK_RC(it_stream_reader_new_from_view(NULL, "x", 1, &r), IT_EINVAL);
  CHECK_RC(it_stream_reader_size(NULL, &v), IT_EINVAL);
  CHECK_RC(it_stream_read(NULL, buf, 1, &got), IT_EINVAL);
  CHECK_RC(it_stream_reader_seek(NULL, 0), IT_EINVAL);
  CHECK_RC(it_stream_reader_tell(NULL, &v), IT_EINVAL);
  CHECK_RC(it_stream_read_at(NULL, 0, buf, 1, &got), IT_EINVAL);
  it_stream_writer_free(NULL);
  it_stream_reader_free(NULL);

  /* A small stream; then the tree closes under a writer and a reader. */
  CHECK_OK(it_stream_writer_new(t, &w));
  CHECK_OK(it_stream_write(w, "small", 5));
  CHECK_RC(it_stream_write(w, NULL, 5), IT_EINVAL);
  CHECK_RC(it_stream_writer_finish(w, NULL), IT_EINVAL);
  CHECK_RC(it_stream_writer_stats(w, NULL), IT_EINVAL);
  st.version = IT_STREAM_STATS_VERSION + 1; /* from a newer header */
  CHECK_RC(it_stream_writer_stats(w, &st), IT_EVERSION);
  st.version = IT_STREAM_STATS_VERSION;
  CHECK_OK(it_stream_writer_finish(w, &ref));
  it_stream_writer_free(w);
  w = NULL;
  CHECK_OK(it_stream_reader_new(t, ref.data, ref.size, &r));
  CHECK_OK(it_stream_read(r, buf, sizeof buf, &got));
  CHECK(got == 5 && memcmp(buf, "small", 5) == 0);
  CHECK_OK(it_stream_writer_new(t, &w));
  CHECK_OK(it_stream_write(w, "abandoned", 9));
  CHECK_OK(it_tree_close(t));
  CHECK_RC(it_stream_write(w, "x", 1), IT_ECLOSED);
  CHECK_RC(it_stream_writer_stats(w, &st), IT_ECLOSED);
  CHECK_RC(it_stream_read(r, buf, sizeof buf, &got), IT_ECLOSED);
  CHECK_RC(it_stream_read_at(r, 0, buf, sizeof buf, &got), IT_ECLOSED);
  CHECK_RC(it_stream_reader_size(r, &v), IT_ECLOSED);
  CHECK_RC(it_stream_writer_new(t, &w), IT_ECLOSED);
  CHECK_RC(it_stream_reader_new(t, ref.data, ref.size, &r), IT_ECLOSED);
  it_stream_writer_free(w); /* unfinished: abandoned */
  it_stream_reader_free(r);
  it_buf_free(&ref);
  it_tree_free(t);
}

static void test_stream_read_only(void) {
  it_backend* b = NULL;
  it_tree* w = NULL;
  it_tree* ro = NULL;
  it_stream_writer* sw = NULL;
  it_options* o = h_fast_options();
  it_options* roo = h_fast_options();
  CHECK_OK(it_options_set_read_only(roo, 1));
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &w));
  CHECK_OK(it_tree_commit(w, "c", NULL, 0, NULL, NULL));
  CHECK_OK(it_tree_open(b, "u", "p", 1, roo, &ro));
  CHECK_RC(it_stream_writer_new(ro, &sw), IT_EREADONLY);
  CHECK(sw == NULL);
  it_tree_free(ro);
  it_tree_free(w);
  it_backend_free(b);
  it_options_free(o);
  it_options_free(roo);
}

int main(void) {
  static const h_test tests[] = {
      {"stream_roundtrip", test_stream_roundtrip},
      {"stream_errors", test_stream_errors},
      {"stream_read_only", test_stream_read_only},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
