/* The C side of the cross-language test (tests/cross/run.sh), compiled as C99 against
 * include/infinitree.h and libinfinitree.so.
 *
 *   writer write DIR   creates the base tree described in run.sh
 *   writer check DIR   checks the base tree plus Python's extension, printing PASS/FAIL lines
 *
 * The same data is written by tests/cross/go (write) and checked by it (check), so either
 * language can be the writer or the final checker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <infinitree.h>

#define USER "cross"
#define PASS "pw-\xc3\xbc"

static int failures = 0;

static void result(int ok, const char* what) {
  printf("%s c: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok) failures++;
}

/* In write mode every call must work: stop at the first failure. */
static void must(int rc, const char* what) {
  if (rc < 0) {
    fprintf(stderr, "c: %s failed: %d %s\n", what, rc, it_error_message());
    exit(2);
  }
}

/* Answers of predicates and counts, or -1 / UINT64_MAX when the call itself failed. They
 * take the out-parameter's address: it is read here, after the call (the order in which
 * arguments are evaluated is unspecified). */
static int answer(int rc, const int* yes) { return rc == IT_OK ? *yes : -1; }
static uint64_t number(int rc, const uint64_t* n) { return rc == IT_OK ? *n : UINT64_MAX; }

/* 1 if a commit's text field (message, custom, branch) equals `want`. */
static int commit_text_is(const it_commit* c, int (*get)(const it_commit*, it_buf*),
                          const char* want) {
  it_buf b = {NULL, 0};
  int ok = get(c, &b) == IT_OK && b.size == strlen(want) && memcmp(b.data, want, b.size) == 0;
  it_buf_free(&b);
  return ok;
}

static it_tree* open_tree(const char* dir, int create) {
  it_backend* b = NULL;
  it_options* o = NULL;
  it_tree* t = NULL;
  must(it_backend_new_directory(dir, &b), "backend");
  must(it_options_new(&o), "options");
  must(it_options_set_insecure_fast_kdf(o), "fast kdf");
  if (create)
    must(it_tree_create(b, USER, PASS, strlen(PASS), o, &t), "create");
  else
    must(it_tree_open(b, USER, PASS, strlen(PASS), o, &t), "open");
  it_options_free(o);
  it_backend_free(b);
  return t;
}

/* An encoded ("user", i) key. */
static it_buf user_key(long i) {
  it_key_builder* kb = NULL;
  it_buf out = {NULL, 0};
  must(it_key_builder_new(&kb), "key builder");
  must(it_key_builder_add_str(kb, "user", 4), "key str");
  must(it_key_builder_add_int(kb, i), "key int");
  must(it_key_builder_finish(kb, &out), "key finish");
  it_key_builder_free(kb);
  return out;
}

static it_buf int_key(int64_t v, int is_uint) {
  it_key_builder* kb = NULL;
  it_buf out = {NULL, 0};
  must(it_key_builder_new(&kb), "key builder");
  if (is_uint)
    must(it_key_builder_add_uint(kb, (uint64_t)v), "key uint");
  else
    must(it_key_builder_add_int(kb, v), "key int");
  must(it_key_builder_finish(kb, &out), "key finish");
  it_key_builder_free(kb);
  return out;
}

static void put(it_map* m, const void* k, size_t kn, const char* v) {
  must(it_map_put(m, k, kn, v, strlen(v)), "put");
}

/* The bytes of the streams: "blob" (written by C or Go) and "py-blob" (written by Python). */
#define BLOB_SIZE 300000
#define PY_BLOB_SIZE 200000
static unsigned char blob_byte(size_t i) { return (unsigned char)((i * 31) ^ (i >> 10)); }
static unsigned char py_blob_byte(size_t i) { return (unsigned char)(i * 17 + 5); }

static void write_blob(it_tree* t, it_map* files) {
  it_stream_writer* w = NULL;
  unsigned char piece[7000];
  it_buf ref = {NULL, 0};
  must(it_stream_writer_new(t, &w), "stream writer");
  for (size_t off = 0; off < BLOB_SIZE; off += sizeof piece) {
    size_t n = BLOB_SIZE - off < sizeof piece ? BLOB_SIZE - off : sizeof piece;
    for (size_t i = 0; i < n; i++) piece[i] = blob_byte(off + i);
    must(it_stream_write(w, piece, n), "stream write");
  }
  must(it_stream_writer_finish(w, &ref), "stream finish");
  must(it_map_put(files, "blob", 4, ref.data, ref.size), "put blob ref");
  it_buf_free(&ref);
  it_stream_writer_free(w);
}

/* 1 if the stream stored under `name` in `files` has `size` bytes made by `byte_at`. */
static int stream_is(it_tree* t, it_map* files, const char* name, size_t size,
                     unsigned char (*byte_at)(size_t)) {
  it_buf ref = {NULL, 0};
  it_stream_reader* r = NULL;
  uint64_t n = 0;
  int is_ref = 0;
  int ok = it_map_get(files, name, strlen(name), &ref) == 0 &&
           it_stream_is_ref(ref.data, ref.size, &is_ref) == 0 && is_ref == 1 &&
           it_stream_reader_new(t, ref.data, ref.size, &r) == 0 && it_stream_reader_size(r, &n) == 0 &&
           n == size;
  unsigned char buf[4096];
  size_t pos = 0, got = 0;
  while (ok && it_stream_read(r, buf, sizeof buf, &got) == 0 && got > 0) {
    for (size_t i = 0; ok && i < got; i++) ok = buf[i] == byte_at(pos + i);
    pos += got;
  }
  it_stream_reader_free(r);
  it_buf_free(&ref);
  return ok && pos == size;
}

static int do_write(const char* dir) {
  it_tree* t = open_tree(dir, 1);
  it_map *plain = NULL, *typed = NULL;
  it_set* tags = NULL;
  it_list* events = NULL;
  it_value* config = NULL;
  it_commit* c1 = NULL;
  must(it_tree_map(t, "plain", &plain), "map plain");
  must(it_tree_map(t, "typed", &typed), "map typed");
  must(it_tree_set(t, "tags", &tags), "set");
  must(it_tree_list(t, "events", &events), "list");
  must(it_tree_value(t, "config", &config), "value");

  char k[16], v[16];
  for (int i = 0; i < 100; i++) {
    snprintf(k, sizeof k, "k%03d", i);
    snprintf(v, sizeof v, "v%03d", i);
    put(plain, k, strlen(k), v);
  }
  unsigned char bin[256];
  for (int i = 0; i < 256; i++) bin[i] = (unsigned char)i;
  must(it_map_put(plain, "bin\0\xff", 5, bin, sizeof bin), "put bin");
  must(it_map_put(plain, "empty", 5, NULL, 0), "put empty");

  for (long i = 0; i < 10; i++) {
    it_buf key = user_key(i);
    snprintf(v, sizeof v, "name %ld", i);
    put(typed, key.data, key.size, v);
    it_buf_free(&key);
  }
  it_buf neg = int_key(-5, 0), umax = int_key((int64_t)UINT64_MAX, 1);
  put(typed, neg.data, neg.size, "neg");
  put(typed, umax.data, umax.size, "umax");
  it_buf_free(&neg);
  it_buf_free(&umax);

  must(it_set_insert(tags, "red", 3, NULL), "tag");
  must(it_set_insert(tags, "green", 5, NULL), "tag");
  must(it_set_insert(tags, "blue", 4, NULL), "tag");
  for (int i = 0; i < 3; i++) {
    snprintf(v, sizeof v, "e%d", i);
    must(it_list_push(events, v, strlen(v), NULL), "push");
  }
  must(it_value_set(config, "{\"v\":1}", 7), "value set");
  it_map* files = NULL;
  must(it_tree_map(t, "files", &files), "map files");
  write_blob(t, files);
  it_map_free(files);
  must(it_tree_commit(t, "base 1", "writer", 6, NULL, &c1), "commit 1");
  it_buf id1 = {NULL, 0};
  must(it_commit_id(c1, &id1), "commit id");
  must(it_tree_create_tag(t, "v1", (const char*)id1.data), "tag v1");
  it_buf_free(&id1);

  must(it_map_remove(plain, "k050", 4, NULL), "delete k050");
  put(plain, "k000", 4, "changed");
  must(it_tree_commit(t, "base 2", "writer", 6, NULL, NULL), "commit 2");
  must(it_tree_create_branch(t, "side", NULL), "branch side");

  it_commit_free(c1);
  it_map_free(plain);
  it_map_free(typed);
  it_set_free(tags);
  it_list_free(events);
  it_value_free(config);
  must(it_tree_close(t), "close");
  it_tree_free(t);
  printf("c: wrote the base tree\n");
  return 0;
}

/* --- check ------------------------------------------------------------------------------ */

static int get_is(it_map* m, const void* k, size_t kn, const void* want, size_t wn) {
  it_buf b = {NULL, 0};
  if (it_map_get(m, k, kn, &b) < 0) return 0;
  int ok = b.size == wn && (wn == 0 || memcmp(b.data, want, wn) == 0);
  it_buf_free(&b);
  return ok;
}

static int present(it_map* m, const void* k, size_t n) {
  int yes = -1;
  return answer(it_map_contains(m, k, n, &yes), &yes);
}

static int absent(it_map* m, const char* k) { return present(m, k, strlen(k)) == 0; }

static int in_set(it_set* s, const char* k) {
  int yes = -1;
  return answer(it_set_contains(s, k, strlen(k), &yes), &yes);
}

static uint64_t count_map(it_map* m) {
  uint64_t n = 0;
  return it_map_count(m, &n) < 0 ? (uint64_t)-1 : n;
}

static void check_typed(it_map* typed) {
  /* Order: ("user", 0..9, 100) (strings sort before ints), then -5, then UINT64_MAX. */
  it_cursor* c = NULL;
  int ok = it_map_cursor(typed, NULL, 0, NULL, 0, &c) == 0;
  int n = 0, rc;
  for (rc = ok ? it_cursor_first(c) : IT_EINVAL; ok && rc == IT_OK; rc = it_cursor_next(c)) {
    it_buf k = {NULL, 0};
    it_key_parts* p = NULL;
    ok = it_cursor_key(c, &k) == 0 && it_key_decode(k.data, k.size, &p) == 0;
    if (ok && n < 11) {
      int64_t i = -1;
      uint64_t parts = 0;
      it_key_type type = 0;
      it_buf s = {NULL, 0};
      long want = n < 10 ? n : 100;
      ok = it_key_parts_count(p, &parts) == 0 && parts == 2 &&
           it_key_parts_type(p, 0, &type) == 0 && type == IT_KEY_STR &&
           it_key_parts_bytes(p, 0, &s) == 0 && s.size == 4 && memcmp(s.data, "user", 4) == 0 &&
           it_key_parts_int(p, 1, &i) == 0 && i == want;
      it_buf_free(&s);
    } else if (ok && n == 11) {
      int64_t i = 0;
      it_key_type type = 0;
      ok = it_key_parts_type(p, 0, &type) == 0 && type == IT_KEY_INT &&
           it_key_parts_int(p, 0, &i) == 0 && i == -5;
    } else if (ok && n == 12) {
      uint64_t u = 0;
      it_key_type type = 0;
      ok = it_key_parts_type(p, 0, &type) == 0 && type == IT_KEY_UINT &&
           it_key_parts_uint(p, 0, &u) == 0 && u == UINT64_MAX;
    }
    it_key_parts_free(p);
    it_buf_free(&k);
    n++;
  }
  it_cursor_free(c);
  result(ok && rc == IT_DONE && n == 13, "typed map: 13 order-preserving keys in order, decoded");
  it_buf key = user_key(100);
  result(get_is(typed, key.data, key.size, "from python", 11), "typed map: Python's (\"user\", 100)");
  it_buf_free(&key);
}

static int do_check(const char* dir) {
  it_tree* t = open_tree(dir, 0);
  it_map *plain = NULL, *typed = NULL;
  it_set* tags = NULL;
  it_list* events = NULL;
  it_value* config = NULL;
  result(it_tree_map(t, "plain", &plain) == 0 && it_tree_map(t, "typed", &typed) == 0 &&
             it_tree_set(t, "tags", &tags) == 0 && it_tree_list(t, "events", &events) == 0 &&
             it_tree_value(t, "config", &config) == 0,
         "open every field");

  /* History: extend <- base 2 <- base 1. */
  it_log* log = NULL;
  uint64_t commits = 0;
  int ok = it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log) == 0 &&
           number(it_log_count(log, &commits), &commits) == 3;
  const char* want_msg[3] = {"extend", "base 2", "base 1"};
  const char* want_custom[3] = {"python", "writer", "writer"};
  char ids[3][40] = {{0}};
  for (size_t i = 0; ok && i < 3; i++) {
    it_commit* c = NULL;
    uint64_t seq = 0, parents = 0;
    it_buf id = {NULL, 0};
    ok = it_log_get(log, i, &c) == 0;
    if (!ok) break;
    ok = commit_text_is(c, it_commit_message, want_msg[i]) &&
         commit_text_is(c, it_commit_custom, want_custom[i]) &&
         commit_text_is(c, it_commit_branch, "main") &&
         number(it_commit_sequence(c, &seq), &seq) == 3 - i && it_commit_id(c, &id) == 0;
    if (ok) snprintf(ids[i], sizeof ids[i], "%s", (const char*)id.data);
    it_buf_free(&id);
    if (ok && i < 2) ok = number(it_commit_parent_count(c, &parents), &parents) == 1;
    if (ok && i > 0) ok = strcmp(ids[i], "") != 0;
    it_commit_free(c);
  }
  it_log_free(log);
  result(ok, "log: three commits with messages, custom bytes, sequence, branch");

  /* Head contents. */
  result(count_map(plain) == 101, "plain: 101 keys");
  result(get_is(plain, "k000", 4, "changed", 7) && absent(plain, "k050") && absent(plain, "k001") &&
             get_is(plain, "k099", 4, "v099", 4),
         "plain: base 2 changes and Python's delete");
  unsigned char bin[256];
  for (int i = 0; i < 256; i++) bin[i] = (unsigned char)i;
  result(get_is(plain, "bin\0\xff", 5, bin, sizeof bin), "plain: binary key and value");
  result(get_is(plain, "empty", 5, "", 0) && present(plain, "empty", 5) == 1,
         "plain: empty value is present");
  result(get_is(plain, "py", 2, "python", 6), "plain: Python's key");
  check_typed(typed);

  uint64_t n = 0;
  result(it_set_count(tags, &n) == 0 && n == 4 && in_set(tags, "py") == 1 &&
             in_set(tags, "red") == 1,
         "set: four tags including Python's");
  it_buf b = {NULL, 0};
  result(it_list_count(events, &n) == 0 && n == 4 && it_list_get(events, 3, &b) == 0 &&
             b.size == 2 && memcmp(b.data, "e3", 2) == 0,
         "list: e0..e3");
  it_buf_free(&b);
  result(it_value_get(config, &b) == 0 && b.size == 7 && memcmp(b.data, "{\"v\":2}", 7) == 0,
         "value: Python's config");
  it_buf_free(&b);

  /* A checkout of tag v1 shows base 1. */
  it_map* files = NULL;
  result(it_tree_map(t, "files", &files) == 0 &&
             stream_is(t, files, "blob", BLOB_SIZE, blob_byte) &&
             stream_is(t, files, "py-blob", PY_BLOB_SIZE, py_blob_byte),
         "streams: the writer's blob and Python's py-blob");
  it_map_free(files);

  it_view* v = NULL;
  it_map* old = NULL;
  it_value* oldcfg = NULL;
  ok = it_tree_checkout(t, "v1", &v) == 0 && it_view_map(v, "plain", &old) == 0 &&
       it_view_value(v, "config", &oldcfg) == 0;
  result(ok && get_is(old, "k000", 4, "v000", 4) && get_is(old, "k050", 4, "v050", 4) &&
             absent(old, "py") && it_map_put(old, "x", 1, "y", 1) == IT_EREADONLY &&
             it_value_get(oldcfg, &b) == 0 && b.size == 7 && memcmp(b.data, "{\"v\":1}", 7) == 0,
         "checkout v1: base 1 content, read-only");
  it_buf_free(&b);
  it_value_free(oldcfg);
  it_map_free(old);
  it_view_free(v);

  /* Diff of plain from v1 to the head: k000 changed, k001 and k050 removed, py added. */
  it_diff* d = NULL;
  uint64_t changes = 0;
  ok = it_tree_diff(t, "plain", "v1", "main", &d) == 0 &&
       number(it_diff_count(d, &changes), &changes) == 4;
  const char* want_keys[4] = {"k000", "k001", "k050", "py"};
  for (size_t i = 0; ok && i < 4; i++) {
    it_buf k = {NULL, 0}, ov = {NULL, 0}, nv = {NULL, 0};
    int has_old = -1, has_new = -1;
    ok = it_diff_get(d, i, &k, &has_old, &ov, &has_new, &nv) == 0 &&
         k.size == strlen(want_keys[i]) && memcmp(k.data, want_keys[i], k.size) == 0;
    if (ok && i == 3) ok = has_old == 0 && has_new == 1;
    if (ok && (i == 1 || i == 2)) ok = has_new == 0 && has_old == 1;
    it_buf_free(&k);
    it_buf_free(&ov);
    it_buf_free(&nv);
  }
  it_diff_free(d);
  result(ok, "diff v1..main of plain");

  /* Refs. */
  it_names* names = NULL;
  uint64_t tag_count = 0;
  ok = it_tree_tags(t, &names) == 0 && number(it_names_count(names, &tag_count), &tag_count) == 2;
  it_names_free(names);
  it_buf side = {NULL, 0};
  ok = ok && it_tree_resolve(t, "side", &side) == 0 && strcmp((char*)side.data, ids[1]) == 0;
  it_buf_free(&side);
  it_buf py = {NULL, 0};
  ok = ok && it_tree_resolve(t, "py", &py) == 0 && strcmp((char*)py.data, ids[0]) == 0;
  it_buf_free(&py);
  result(ok, "tags v1 and py, branch side at base 2");

  it_map_free(plain);
  it_map_free(typed);
  it_set_free(tags);
  it_list_free(events);
  it_value_free(config);
  it_tree_free(t);
  return failures ? 1 : 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "write") == 0) return do_write(argv[2]);
  if (argc == 3 && strcmp(argv[1], "check") == 0) return do_check(argv[2]);
  fprintf(stderr, "usage: %s write|check DIR\n", argv[0]);
  return 2;
}
