/* Write-only trees: a writer with only the write key stores a map entry, a value and a stream
 * and commits; the reader lists the inbox, opens the session read-only, reads everything back
 * byte for byte, copies it into a tree of its own and reads it there. The writer cannot read
 * (IT_EPERM), malformed keys are IT_EINVAL, absent entries IT_ENOTFOUND, closed sessions and
 * their stream writers IT_ECLOSED. */
#include <stdlib.h>

#include "harness.h"

#define STREAM_SIZE ((size_t)300 * 1000)

/* Deterministic, poorly compressible stream content. */
static unsigned char* stream_bytes(void) {
  unsigned char* p = malloc(STREAM_SIZE);
  uint32_t x = 12345;
  size_t i;
  if (!p) return NULL;
  for (i = 0; i < STREAM_SIZE; ++i) {
    x = x * 1103515245u + 12345u;
    p[i] = (unsigned char)(x >> 16);
  }
  return p;
}

/* The whole stream `ref` names, read through `view`; CHECKs it equals `want`. */
static void check_stream(const it_view* view, const it_buf* ref, const unsigned char* want) {
  it_stream_reader* r = NULL;
  unsigned char* got = malloc(STREAM_SIZE + 1);
  size_t total = 0, n = 0;
  uint64_t size = 0;
  CHECK(got != NULL);
  if (!got) return;
  CHECK_OK(it_stream_reader_new_from_view(view, ref->data, ref->size, &r));
  CHECK_OK(it_stream_reader_size(r, &size));
  CHECK(size == STREAM_SIZE);
  do {
    CHECK_OK(it_stream_read(r, got + total, STREAM_SIZE + 1 - total, &n));
    total += n;
  } while (n > 0 && total <= STREAM_SIZE);
  CHECK(total == STREAM_SIZE && memcmp(got, want, STREAM_SIZE) == 0);
  it_stream_reader_free(r);
  free(got);
}

/* Writes one session through `write_key`: map "files" {"a.txt": "hello", "big.bin": <stream
 * ref>}, value "note" = "from the agent". Returns its inbox index. */
static uint64_t write_session(it_backend* b, const char* write_key, const unsigned char* data) {
  it_write_session* s = NULL;
  it_stream_writer* w = NULL;
  it_buf ref = {NULL, 0};
  it_commit* c = NULL;
  uint64_t index = UINT64_MAX;
  CHECK_OK(it_write_session_open(b, write_key, NULL, &s));
  CHECK_OK(it_write_session_get_index(s, &index));
  CHECK_OK(it_write_session_put(s, "files", "a.txt", 5, "hello", 5));
  CHECK_OK(it_write_session_set(s, "note", "from the agent", 14));
  CHECK_OK(it_stream_writer_new_from_session(s, &w));
  CHECK_OK(it_stream_write(w, data, STREAM_SIZE / 2));
  CHECK_OK(it_stream_write(w, data + STREAM_SIZE / 2, STREAM_SIZE - STREAM_SIZE / 2));
  CHECK_OK(it_stream_writer_finish(w, &ref));
  it_stream_writer_free(w);
  CHECK_OK(it_write_session_put(s, "files", "big.bin", 7, ref.data, ref.size));
  it_buf_free(&ref);
  CHECK_OK(it_write_session_commit(s, "agent upload", &c));
  CHECK(c != NULL);
  CHECK(H_STR(it_commit_message(c, &h_buf)) && strcmp(H_STR(it_commit_message(c, &h_buf)), "agent upload") == 0);
  it_commit_free(c);
  c = (it_commit*)1;
  /* Nothing changed since: no commit, *out set to NULL; the out-parameter is optional. */
  CHECK_OK(it_write_session_commit(s, "again", &c));
  CHECK(c == NULL);
  CHECK_OK(it_write_session_commit(s, "again", NULL));
  CHECK_OK(it_write_session_close(s));
  it_write_session_free(s);
  return index;
}

/* The reader's checks of the map "files" and value "note" of `view`. */
static void check_contents(const it_view* view, const unsigned char* data) {
  it_map* files = NULL;
  it_value* note = NULL;
  it_buf ref = {NULL, 0};
  CHECK_OK(it_view_map(view, "files", &files));
  CHECK(H_U64(it_map_count(files, &h_u64)) == 2);
  CHECK(H_STR(it_map_get(files, "a.txt", 5, &h_buf)) && strcmp(H_STR(it_map_get(files, "a.txt", 5, &h_buf)), "hello") == 0);
  CHECK_OK(it_map_get(files, "big.bin", 7, &ref));
  CHECK(H_YES(it_stream_is_ref(ref.data, ref.size, &h_flag)) == 1);
  check_stream(view, &ref, data);
  it_buf_free(&ref);
  CHECK_OK(it_view_value(view, "note", &note));
  CHECK(H_STR(it_value_get(note, &h_buf)) && strcmp(H_STR(it_value_get(note, &h_buf)), "from the agent") == 0);
  it_value_free(note);
  it_map_free(files);
}

static void test_round_trip(void) {
  it_backend* b = NULL;
  it_buf read_key = {NULL, 0}, write_key = {NULL, 0}, derived = {NULL, 0};
  it_write_sessions* list = NULL;
  it_tree* session = NULL;
  it_tree* own = NULL;
  it_view* head = NULL;
  it_view* own_head = NULL;
  it_options* fast = h_fast_options();
  unsigned char* data = stream_bytes();
  uint64_t first, second, index = 0;
  it_status status = IT_DONE;
  CHECK(data != NULL);
  if (!data) return;
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_write_only_keys_new(&read_key, &write_key));
  CHECK(strncmp((const char*)read_key.data, "infinitree-read-key-1:", 22) == 0 && read_key.size == 22 + 128);
  CHECK(strncmp((const char*)write_key.data, "infinitree-write-key-1:", 23) == 0 && write_key.size == 23 + 128);
  CHECK_OK(it_write_only_keys_get_write_key((const char*)read_key.data, &derived));
  CHECK(derived.size == write_key.size && memcmp(derived.data, write_key.data, derived.size) == 0);
  it_buf_free(&derived);

  /* Before any writer: an empty inbox. */
  CHECK_OK(it_write_sessions_new(b, (const char*)read_key.data, &list));
  CHECK(H_U64(it_write_sessions_count(list, &h_u64)) == 0);
  it_write_sessions_free(list);
  list = NULL;

  first = write_session(b, (const char*)write_key.data, data);
  second = write_session(b, (const char*)write_key.data, data);
  CHECK(first == 0 && second == 1);

  CHECK_OK(it_write_sessions_new(b, (const char*)read_key.data, &list));
  CHECK(H_U64(it_write_sessions_count(list, &h_u64)) == 2);
  CHECK_OK(it_write_sessions_get(list, 1, &index, &status));
  CHECK(index == 1 && status == IT_OK);
  CHECK_RC(it_write_sessions_get(list, 2, &index, &status), IT_ENOTFOUND);
  CHECK_RC(it_write_sessions_get(list, 0, NULL, &status), IT_EINVAL);
  CHECK_RC(it_write_sessions_get(list, 0, &index, NULL), IT_EINVAL);
  it_write_sessions_free(list);

  /* The reader opens session 0 read-only and reads it back byte for byte. */
  CHECK_OK(it_tree_open_write_session(b, (const char*)read_key.data, first, NULL, &session));
  CHECK(H_YES(it_tree_is_read_only(session, &h_flag)) == 1);
  CHECK_OK(it_tree_checkout(session, NULL, &head));
  check_contents(head, data);

  /* ... copies it into a tree of its own (streams re-sealed under that tree's keys). */
  CHECK_OK(it_tree_create(b, "reader", "pw", 2, fast, &own));
  CHECK_OK(it_tree_copy_fields(own, head));
  CHECK(H_YES(it_tree_is_modified(own, &h_flag)) == 1);
  CHECK_OK(it_tree_commit(own, "import session 0", NULL, 0, NULL, NULL));
  /* Copying into a read-only tree is refused. */
  CHECK_RC(it_tree_copy_fields(session, head), IT_EREADONLY);
  it_view_free(head);
  it_tree_free(session);

  /* The copy stands on its own: read it with the session closed, after reopening. */
  it_tree_free(own);
  own = NULL;
  CHECK_OK(it_tree_open(b, "reader", "pw", 2, fast, &own));
  CHECK_OK(it_tree_checkout(own, NULL, &own_head));
  check_contents(own_head, data);
  it_view_free(own_head);
  it_tree_free(own);

  it_buf_free(&read_key);
  it_buf_free(&write_key);
  it_options_free(fast);
  it_backend_free(b);
  free(data);
}

/* A writer cannot read what was written, its own session included. */
static void test_writer_cannot_read(void) {
  it_backend* b = NULL;
  it_buf read_key = {NULL, 0}, write_key = {NULL, 0}, out = {NULL, 0};
  it_write_sessions* list = NULL;
  it_tree* t = NULL;
  it_write_session* s = NULL;
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_write_only_keys_new(&read_key, &write_key));
  CHECK_OK(it_write_session_open(b, (const char*)write_key.data, NULL, &s));
  CHECK_OK(it_write_session_put(s, "m", "k", 1, "v", 1));
  CHECK_OK(it_write_session_commit(s, "c", NULL));
  it_write_session_free(s);

  CHECK_RC(it_write_sessions_new(b, (const char*)write_key.data, &list), IT_EPERM);
  CHECK(strstr(it_error_message(), "write key") != NULL);
  CHECK(list == NULL);
  CHECK_RC(it_tree_open_write_session(b, (const char*)write_key.data, 0, NULL, &t), IT_EPERM);
  CHECK(t == NULL);
  /* Deriving a write key needs the read key. */
  CHECK_RC(it_write_only_keys_get_write_key((const char*)write_key.data, &out), IT_EINVAL);
  CHECK(out.data == NULL);
  /* A read key works for writing too. */
  CHECK_OK(it_write_session_open(b, (const char*)read_key.data, NULL, &s));
  CHECK(H_U64(it_write_session_get_index(s, &h_u64)) == 1);
  it_write_session_free(s);

  it_buf_free(&read_key);
  it_buf_free(&write_key);
  it_backend_free(b);
}

/* Malformed and wrong keys, absent entries, NULL arguments. */
static void test_bad_input(void) {
  it_backend* b = NULL;
  it_buf read_key = {NULL, 0}, write_key = {NULL, 0}, other_read = {NULL, 0}, other_write = {NULL, 0};
  it_buf out = {NULL, 0};
  it_write_sessions* list = NULL;
  it_write_session* s = NULL;
  it_tree* t = NULL;
  it_view* v = NULL;
  it_options* ro = NULL;
  char bad[200];
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_write_only_keys_new(&read_key, &write_key));
  CHECK_OK(it_write_only_keys_new(&other_read, &other_write));

  /* Malformed: no prefix, too short, not hex. */
  CHECK_RC(it_write_session_open(b, "hello", NULL, &s), IT_EINVAL);
  CHECK(s == NULL);
  CHECK_RC(it_write_session_open(b, "infinitree-write-key-1:abcd", NULL, &s), IT_EINVAL);
  strcpy(bad, (const char*)write_key.data);
  bad[30] = 'z';
  CHECK_RC(it_write_session_open(b, bad, NULL, &s), IT_EINVAL);
  CHECK_RC(it_write_sessions_new(b, "nonsense", &list), IT_EINVAL);
  CHECK_RC(it_tree_open_write_session(b, "nonsense", 0, NULL, &t), IT_EINVAL);
  CHECK_RC(it_write_only_keys_get_write_key("nonsense", &out), IT_EINVAL);
  /* A key read from a file keeps its newline: still the same key. */
  strcpy(bad, (const char*)read_key.data);
  strcat(bad, "\n");
  CHECK_OK(it_write_only_keys_get_write_key(bad, &out));
  CHECK(out.size == write_key.size && memcmp(out.data, write_key.data, out.size) == 0);
  it_buf_free(&out);

  /* Read-only options make no sense for a writer. */
  CHECK_OK(it_options_new(&ro));
  CHECK_OK(it_options_set_read_only(ro, 1));
  CHECK_RC(it_write_session_open(b, (const char*)write_key.data, ro, &s), IT_EINVAL);
  it_options_free(ro);

  /* Absent entries: none written yet, then past the last. */
  CHECK_RC(it_tree_open_write_session(b, (const char*)read_key.data, 0, NULL, &t), IT_ENOTFOUND);
  CHECK_OK(it_write_session_open(b, (const char*)write_key.data, NULL, &s));
  CHECK_OK(it_write_session_commit(s, "empty", NULL));
  it_write_session_free(s);
  s = NULL;
  CHECK_RC(it_tree_open_write_session(b, (const char*)read_key.data, 1, NULL, &t), IT_ENOTFOUND);
  /* That session committed nothing: it opens, but has no head to check out or copy. */
  CHECK_OK(it_tree_open_write_session(b, (const char*)read_key.data, 0, NULL, &t));
  CHECK_RC(it_tree_checkout(t, NULL, &v), IT_ENOTFOUND);
  CHECK(v == NULL);
  it_tree_free(t);
  t = NULL;
  /* Another pair's read key sees another inbox: nothing here. */
  CHECK_OK(it_write_sessions_new(b, (const char*)other_read.data, &list));
  CHECK(H_U64(it_write_sessions_count(list, &h_u64)) == 0);
  it_write_sessions_free(list);
  list = NULL;
  CHECK_RC(it_tree_open_write_session(b, (const char*)other_read.data, 0, NULL, &t), IT_ENOTFOUND);
  CHECK(t == NULL);

  /* NULL arguments. */
  CHECK_RC(it_write_only_keys_new(NULL, &out), IT_EINVAL);
  CHECK_RC(it_write_only_keys_new(&out, NULL), IT_EINVAL);
  CHECK(out.data == NULL);
  CHECK_RC(it_write_only_keys_get_write_key(NULL, &out), IT_EINVAL);
  CHECK_RC(it_write_only_keys_get_write_key((const char*)read_key.data, NULL), IT_EINVAL);
  CHECK_RC(it_write_session_open(NULL, (const char*)write_key.data, NULL, &s), IT_EINVAL);
  CHECK_RC(it_write_session_open(b, NULL, NULL, &s), IT_EINVAL);
  CHECK_RC(it_write_session_open(b, (const char*)write_key.data, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_write_sessions_new(NULL, (const char*)read_key.data, &list), IT_EINVAL);
  CHECK_RC(it_write_sessions_new(b, (const char*)read_key.data, NULL), IT_EINVAL);
  CHECK_RC(it_write_sessions_count(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_tree_open_write_session(b, NULL, 0, NULL, &t), IT_EINVAL);
  CHECK_RC(it_tree_open_write_session(b, (const char*)read_key.data, 0, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_write_session_get_index(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_write_session_put(NULL, "m", "k", 1, "v", 1), IT_EINVAL);
  CHECK_RC(it_write_session_close(NULL), IT_EINVAL);
  CHECK_RC(it_stream_writer_new_from_session(NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_copy_fields(NULL, NULL), IT_EINVAL);
  it_write_session_free(NULL);
  it_write_sessions_free(NULL);

  it_buf_free(&read_key);
  it_buf_free(&write_key);
  it_buf_free(&other_read);
  it_buf_free(&other_write);
  it_backend_free(b);
}

/* After close: every call on the session and its stream writers is IT_ECLOSED; what was not
 * committed is gone, what was committed stays readable by the reader. */
static void test_closed(void) {
  it_backend* b = NULL;
  it_buf read_key = {NULL, 0}, write_key = {NULL, 0}, ref = {NULL, 0};
  it_write_session* s = NULL;
  it_stream_writer* w = NULL;
  it_stream_writer* w2 = NULL;
  it_commit* c = NULL;
  it_tree* t = NULL;
  it_tree* own = NULL;
  it_view* v = NULL;
  it_map* m = NULL;
  uint64_t index = 7;
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_write_only_keys_new(&read_key, &write_key));
  CHECK_OK(it_write_session_open(b, (const char*)write_key.data, NULL, &s));
  CHECK_OK(it_write_session_put(s, "m", "kept", 4, "1", 1));
  CHECK_OK(it_write_session_commit(s, "c", NULL));
  CHECK_OK(it_write_session_put(s, "m", "lost", 4, "2", 1));
  CHECK_OK(it_stream_writer_new_from_session(s, &w));
  CHECK_OK(it_stream_write(w, "abc", 3));
  CHECK_OK(it_write_session_close(s));
  CHECK_OK(it_write_session_close(s)); /* twice is fine */

  CHECK_RC(it_stream_write(w, "def", 3), IT_ECLOSED);
  CHECK_RC(it_stream_writer_finish(w, &ref), IT_ECLOSED);
  CHECK(ref.data == NULL);
  it_stream_writer_free(w);
  CHECK_RC(it_write_session_get_index(s, &index), IT_ECLOSED);
  CHECK(index == 7);
  CHECK_RC(it_write_session_put(s, "m", "k", 1, "v", 1), IT_ECLOSED);
  CHECK_RC(it_write_session_set(s, "v", "x", 1), IT_ECLOSED);
  CHECK_RC(it_write_session_commit(s, "c", &c), IT_ECLOSED);
  CHECK(c == NULL);
  CHECK_RC(it_stream_writer_new_from_session(s, &w2), IT_ECLOSED);
  CHECK(w2 == NULL);
  it_write_session_free(s);

  CHECK_OK(it_tree_open_write_session(b, (const char*)read_key.data, 0, NULL, &t));
  CHECK_OK(it_tree_checkout(t, NULL, &v));
  CHECK_OK(it_view_map(v, "m", &m));
  CHECK(H_YES(it_map_contains(m, "kept", 4, &h_flag)) == 1);
  CHECK(H_YES(it_map_contains(m, "lost", 4, &h_flag)) == 0);
  it_map_free(m);

  /* copy_fields with a closed tree on either side. */
  own = h_memory_tree();
  CHECK_OK(it_tree_close(own));
  CHECK_RC(it_tree_copy_fields(own, v), IT_ECLOSED);
  it_tree_free(own);
  own = h_memory_tree();
  CHECK_OK(it_tree_close(t));
  CHECK_RC(it_tree_copy_fields(own, v), IT_ECLOSED);
  it_tree_free(own);
  it_view_free(v);
  it_tree_free(t);

  it_buf_free(&read_key);
  it_buf_free(&write_key);
  it_backend_free(b);
}

/* A field of another type blocks a write to the session and a copy into a tree. (Gaps and
 * damaged inbox entries are covered by tests/tree/write_only_test.cpp.) */
static void test_copy_type_clash(void) {
  it_backend* b = NULL;
  it_buf read_key = {NULL, 0}, write_key = {NULL, 0};
  it_write_session* s = NULL;
  it_tree* t = NULL;
  it_tree* own = h_memory_tree();
  it_view* v = NULL;
  it_value* val = NULL;
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_write_only_keys_new(&read_key, &write_key));
  CHECK_OK(it_write_session_open(b, (const char*)write_key.data, NULL, &s));
  CHECK_OK(it_write_session_put(s, "files", "k", 1, "v", 1));
  CHECK_RC(it_write_session_set(s, "files", "x", 1), IT_EINVAL); /* a map, not a value */
  CHECK_OK(it_write_session_commit(s, "c", NULL));
  it_write_session_free(s);

  CHECK_OK(it_tree_value(own, "files", &val));
  CHECK_OK(it_value_set(val, "x", 1));
  it_value_free(val);
  CHECK_OK(it_tree_open_write_session(b, (const char*)read_key.data, 0, NULL, &t));
  CHECK_OK(it_tree_checkout(t, NULL, &v));
  CHECK_RC(it_tree_copy_fields(own, v), IT_EINVAL);
  it_view_free(v);
  it_tree_free(t);
  it_tree_free(own);
  it_buf_free(&read_key);
  it_buf_free(&write_key);
  it_backend_free(b);
}

int main(void) {
  static const h_test tests[] = {
      {"round_trip", test_round_trip},
      {"writer_cannot_read", test_writer_cannot_read},
      {"bad_input", test_bad_input},
      {"closed", test_closed},
      {"copy_type_clash", test_copy_type_clash},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
