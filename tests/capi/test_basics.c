/* Version, status codes, last error, buffers, options, backends and the key codec. */
#include "harness.h"

#include <stdlib.h>

static void test_version(void) {
  char expect[32];
  snprintf(expect, sizeof expect, "%d.%d.%d", IT_VERSION_MAJOR, IT_VERSION_MINOR,
           IT_VERSION_PATCH);
  CHECK(strcmp(it_version(), expect) == 0);
  CHECK(strcmp(it_version(), IT_VERSION_STRING) == 0);
  CHECK(IT_VERSION_NUMBER == IT_VERSION_MAJOR * 10000 + IT_VERSION_MINOR * 100 + IT_VERSION_PATCH);
}

static void test_strerror(void) {
  int code;
  CHECK(strcmp(it_error_string(IT_OK), "ok") == 0);
  CHECK(strcmp(it_error_string(IT_ECORRUPT), "corrupt") == 0);
  CHECK(strcmp(it_error_string(IT_ELOCKED), "locked") == 0);
  for (code = IT_ENOSPC; code <= IT_OK; ++code) {
    const char* s = it_error_string(code);
    CHECK(s != NULL && *s != '\0' && strcmp(s, "unknown") != 0);
  }
  CHECK(strcmp(it_error_string(IT_DONE), "done") == 0); /* not a failure, but a status */
  CHECK(strcmp(it_error_string(IT_DONE + 1), "unknown") == 0);
  CHECK(strcmp(it_error_string(IT_ENOSPC - 1), "unknown") == 0);
  CHECK(strcmp(it_error_string(-1000), "unknown") == 0);
  /* The codes are the C++ Errc values negated: spot-check the stable numbering. */
  CHECK(IT_EINVAL == -1 && IT_ENOTFOUND == -2 && IT_ECORRUPT == -5 && IT_ECREDENTIALS == -8);
  CHECK(IT_ELOCKED == -10 && IT_ETOOLARGE == -11 && IT_ECLOSED == -12 && IT_ENOSPC == -21);
}

static void test_last_error(void) {
  it_backend* b = NULL;
  it_error_clear();
  CHECK(strcmp(it_error_message(), "") == 0);
  CHECK(it_error_code() == 0);
  CHECK_RC(it_backend_new_memory(NULL), IT_EINVAL);
  CHECK(it_error_code() == IT_EINVAL);
  CHECK(strstr(it_error_message(), "out") != NULL);
  /* Success does not clear it. */
  CHECK_OK(it_backend_new_memory(&b));
  CHECK(it_error_code() == IT_EINVAL);
  it_error_clear();
  CHECK(it_error_code() == 0);
  CHECK(strcmp(it_error_message(), "") == 0);
  it_backend_free(b);
}

static void test_buffers(void) {
  it_buf empty = {NULL, 0};
  it_buf b = {NULL, 0};
  it_tree* t = h_memory_tree();
  it_buf_free(NULL);
  it_buf_free(&empty);
  CHECK_OK(it_tree_current_branch(t, &b));
  CHECK(b.data != NULL);
  CHECK(b.data[b.size] == 0); /* NUL-terminated */
  CHECK(strcmp((const char*)b.data, "main") == 0);
  it_buf_free(&b);
  CHECK(b.data == NULL && b.size == 0);
  it_tree_free(t);
}

/* Every *_free accepts NULL. */
static void test_free_null(void) {
  it_backend_free(NULL);
  it_s3_options_free(NULL);
  it_options_free(NULL);
  it_tree_free(NULL);
  it_view_free(NULL);
  it_map_free(NULL);
  it_set_free(NULL);
  it_list_free(NULL);
  it_value_free(NULL);
  it_cursor_free(NULL);
  it_commit_free(NULL);
  it_commit_options_free(NULL);
  it_log_free(NULL);
  it_names_free(NULL);
  it_diff_free(NULL);
  it_key_builder_free(NULL);
  it_key_parts_free(NULL);
  CHECK(1);
}

static void test_options(void) {
  it_options* o = NULL;
  it_commit_options* c = NULL;
  CHECK_RC(it_options_new(NULL), IT_EINVAL);
  CHECK_OK(it_options_new(&o));
  CHECK_OK(it_options_set_kdf(o, 1024, 1, 2));
  CHECK_RC(it_options_set_kdf(o, 1024, 0, 1), IT_EINVAL);
  CHECK_RC(it_options_set_kdf(o, 1024, 1, 0), IT_EINVAL);
  CHECK_RC(it_options_set_kdf(o, 8, 1, 4), IT_EINVAL);
  CHECK_OK(it_options_set_insecure_fast_kdf(o));
  CHECK_OK(it_options_set_read_only(o, 1));
  CHECK_OK(it_options_set_read_only(o, 0));
  CHECK_OK(it_options_set_compression(o, IT_COMPRESSION_NONE));
  CHECK_OK(it_options_set_compression(o, IT_COMPRESSION_ZSTD));
  CHECK_OK(it_options_set_compression(o, IT_COMPRESSION_LZ4));
  CHECK_RC(it_options_set_compression(o, 42), IT_EINVAL);
  CHECK_OK(it_options_set_node_cache_bytes(o, 1u << 20));
  CHECK_OK(it_options_set_node_bytes(o, 0));
  CHECK_RC(it_options_set_kdf(NULL, 1024, 1, 1), IT_EINVAL);
  CHECK_RC(it_options_set_insecure_fast_kdf(NULL), IT_EINVAL);
  CHECK_RC(it_options_set_read_only(NULL, 1), IT_EINVAL);
  CHECK_RC(it_options_set_compression(NULL, 0), IT_EINVAL);
  CHECK_RC(it_options_set_node_cache_bytes(NULL, 1), IT_EINVAL);
  CHECK_RC(it_options_set_node_bytes(NULL, 1), IT_EINVAL);
  CHECK_OK(it_options_set_warm_start_nodes(o, 0));
  CHECK_RC(it_options_set_warm_start_nodes(NULL, 1), IT_EINVAL);
  it_options_free(o);

  CHECK_RC(it_commit_options_new(NULL), IT_EINVAL);
  CHECK_OK(it_commit_options_new(&c));
  CHECK_OK(it_commit_options_set_force(c, 1));
  CHECK_OK(it_commit_options_set_orphan(c, 0));
  CHECK_OK(it_commit_options_add_parent(c, NULL)); /* the head, resolved at commit time */
  CHECK_RC(it_commit_options_set_force(NULL, 1), IT_EINVAL);
  CHECK_RC(it_commit_options_set_orphan(NULL, 1), IT_EINVAL);
  CHECK_RC(it_commit_options_add_parent(NULL, "abcd"), IT_EINVAL);
  it_commit_options_free(c);
}

/* Options change how the tree is stored, not what it holds. */
static void test_options_roundtrip(void) {
  int method;
  for (method = IT_COMPRESSION_NONE; method <= IT_COMPRESSION_ZSTD; ++method) {
    it_backend* b = NULL;
    it_tree* t = NULL;
    it_map* m = NULL;
    it_buf v = {NULL, 0};
    it_options* o = h_fast_options();
    CHECK_OK(it_options_set_compression(o, method));
    CHECK_OK(it_options_set_node_cache_bytes(o, 1u << 16));
    CHECK_OK(it_options_set_node_bytes(o, 4096));
    /* A warm start forced on (a memory store is local: off by default) reads ahead in the
     * background of the reopen below and changes no answer. */
    CHECK_OK(it_options_set_warm_start_nodes(o, 64));
    CHECK_OK(it_backend_new_memory(&b));
    CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
    CHECK_OK(it_tree_map(t, "m", &m));
    CHECK_OK(it_map_put(m, "k", 1, "value", 5));
    CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
    it_map_free(m);
    it_tree_free(t);
    t = NULL;
    m = NULL;
    CHECK_OK(it_tree_open(b, "u", "p", 1, o, &t));
    CHECK_OK(it_tree_map(t, "m", &m));
    CHECK_OK(it_map_get(m, "k", 1, &v));
    CHECK_BUF(v, "value");
    it_buf_free(&v);
    it_map_free(m);
    it_tree_free(t);
    it_backend_free(b);
    it_options_free(o);
  }
}

static void test_kdf_costs_must_match(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_options* o = NULL;
  CHECK_OK(it_options_new(&o));
  CHECK_OK(it_options_set_kdf(o, 256, 1, 1));
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "pw", 2, o, &t));
  it_tree_free(t);
  t = NULL;
  CHECK_OK(it_options_set_kdf(o, 512, 1, 1));
  CHECK_RC(it_tree_open(b, "u", "pw", 2, o, &t), IT_ECREDENTIALS);
  CHECK(t == NULL);
  CHECK_OK(it_options_set_kdf(o, 256, 1, 1));
  CHECK_OK(it_tree_open(b, "u", "pw", 2, o, &t));
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
}

static void test_backends(void) {
  it_backend* b = NULL;
  it_backend* c = NULL;
  it_s3_options* s3 = NULL;
  it_buf d = {NULL, 0};
  const char* dir = h_scratch();
  char path[4200];

  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_backend_describe(b, &d));
  CHECK(d.size > 0);
  it_buf_free(&d);
  CHECK_RC(it_backend_describe(b, NULL), IT_EINVAL);
  CHECK_RC(it_backend_describe(NULL, &d), IT_EINVAL);
  it_backend_free(b);
  b = NULL;

  snprintf(path, sizeof path, "%s/store", dir);
  CHECK_OK(it_backend_new_directory(path, &b));
  CHECK_OK(it_backend_describe(b, &d));
  CHECK(strstr((const char*)d.data, "store") != NULL);
  it_buf_free(&d);
  CHECK_RC(it_backend_new_directory(NULL, &c), IT_EINVAL);
  CHECK_RC(it_backend_new_directory("", &c), IT_EINVAL);
  CHECK_RC(it_backend_new_directory(path, NULL), IT_EINVAL);

  CHECK_RC(it_backend_new_cache(NULL, path, 1, &c), IT_EINVAL);
  CHECK_RC(it_backend_new_cache(b, NULL, 1, &c), IT_EINVAL);
  CHECK_RC(it_backend_new_cache(b, "", 1, &c), IT_EINVAL);
  CHECK_RC(it_backend_new_cache(b, path, 1, NULL), IT_EINVAL);
  it_backend_free(b);
  b = NULL;

  /* S3 settings: constructing the backend makes no request. */
  CHECK_RC(it_s3_options_new(NULL), IT_EINVAL);
  CHECK_OK(it_s3_options_new(&s3));
  CHECK_OK(it_s3_options_set_url(s3, "s3://bucket-a/trees/one"));
  CHECK_OK(it_s3_options_set_endpoint(s3, "http://127.0.0.1:1"));
  CHECK_OK(it_s3_options_set_region(s3, "eu-west-1"));
  CHECK_OK(it_s3_options_set_addressing(s3, IT_S3_ADDRESSING_PATH));
  CHECK_OK(it_s3_options_set_addressing(s3, IT_S3_ADDRESSING_VIRTUAL));
  CHECK_OK(it_s3_options_set_addressing(s3, IT_S3_ADDRESSING_AUTO));
  CHECK_RC(it_s3_options_set_addressing(s3, (it_s3_addressing)0), IT_EINVAL);
  CHECK_RC(it_s3_options_set_addressing(s3, (it_s3_addressing)4), IT_EINVAL);
  CHECK_OK(it_s3_options_set_access_key_id(s3, "AKID"));
  CHECK_OK(it_s3_options_set_secret_access_key(s3, "secret"));
  CHECK_OK(it_s3_options_set_session_token(s3, "token"));
  CHECK_OK(it_s3_options_set_ca_file(s3, ""));
  CHECK_OK(it_s3_options_set_parallel_uploads(s3, 2));
  CHECK_OK(it_s3_options_set_max_attempts(s3, 1));
  CHECK_OK(it_s3_options_set_retry_base_ms(s3, 0)); /* retry at once: allowed */
  CHECK_OK(it_s3_options_set_max_retry_seconds(s3, 1));
  CHECK_OK(it_s3_options_set_connect_timeout_ms(s3, 100));
  CHECK_OK(it_s3_options_set_stall_timeout_seconds(s3, 1));
  /* Counts and timeouts of 0 would fail every request; beyond INT32_MAX the core cannot
   * hold them. */
  CHECK_RC(it_s3_options_set_max_attempts(s3, 0), IT_EINVAL);
  CHECK_RC(it_s3_options_set_parallel_uploads(s3, 0), IT_EINVAL);
  CHECK_RC(it_s3_options_set_connect_timeout_ms(s3, 0), IT_EINVAL);
  CHECK_RC(it_s3_options_set_stall_timeout_seconds(s3, 0), IT_EINVAL);
  CHECK_RC(it_s3_options_set_max_retry_seconds(s3, 0x80000000u), IT_EINVAL);
  CHECK_RC(it_s3_options_set_url(s3, "http://not-s3"), IT_EINVAL);
  CHECK_RC(it_s3_options_set_region(s3, NULL), IT_EINVAL);
  CHECK_RC(it_s3_options_set_region(NULL, "x"), IT_EINVAL);
  CHECK_RC(it_s3_options_set_retry_base_ms(NULL, 1), IT_EINVAL);
  CHECK_RC(it_s3_options_set_addressing(NULL, IT_S3_ADDRESSING_AUTO), IT_EINVAL);
  CHECK_OK(it_s3_options_set_prefix(s3, "trees/two"));
  CHECK_OK(it_s3_options_set_bucket(s3, "bucket-b"));
  CHECK_OK(it_s3_options_set_parallel_uploads(s3, 1025));
  CHECK_RC(it_backend_new_s3(s3, &b), IT_EINVAL); /* over the core's 1024 threads */
  CHECK(b == NULL);
  CHECK_OK(it_s3_options_set_parallel_uploads(s3, 1024));
  CHECK_OK(it_backend_new_s3(s3, &b));
  CHECK_OK(it_backend_describe(b, &d));
  CHECK(strstr((const char*)d.data, "bucket-b") != NULL);
  it_buf_free(&d);
  it_backend_free(b);
  CHECK_RC(it_backend_new_s3(NULL, &b), IT_EINVAL);
  CHECK_RC(it_backend_new_s3(s3, NULL), IT_EINVAL);
  it_s3_options_free(s3);
}

/* A tree written through a cache in front of a directory, read back through a fresh cache
 * and straight from the directory. */
static void test_cache_backend(void) {
  const char* remote_dir = h_scratch();
  const char* cache_dir = h_scratch();
  const char* cache_dir2 = h_scratch();
  it_backend* remote = NULL;
  it_backend* cache = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  it_buf v = {NULL, 0};
  it_options* o = h_fast_options();
  int pass;
  CHECK_OK(it_backend_new_directory(remote_dir, &remote));
  CHECK_OK(it_backend_new_cache(remote, cache_dir, 64u << 20, &cache));
  CHECK_OK(it_tree_create(cache, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_map_put(m, "k", 1, "cached", 6));
  CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(cache);
  for (pass = 0; pass < 2; ++pass) {
    it_backend* via = remote;
    m = NULL;
    t = NULL;
    cache = NULL;
    if (pass == 0) {
      CHECK_OK(it_backend_new_cache(remote, cache_dir2, 64u << 20, &cache));
      via = cache;
    }
    CHECK_OK(it_tree_open(via, "u", "p", 1, o, &t));
    CHECK_OK(it_tree_map(t, "m", &m));
    CHECK_OK(it_map_get(m, "k", 1, &v));
    CHECK_BUF(v, "cached");
    it_buf_free(&v);
    it_map_free(m);
    it_tree_free(t);
    it_backend_free(cache);
  }
  it_backend_free(remote);
  it_options_free(o);
}

/* Encodes one key with a builder; the caller frees it. */
static it_buf key_int(it_key_builder* kb, int64_t v) {
  it_buf out = {NULL, 0};
  CHECK_OK(it_key_builder_add_int(kb, v));
  CHECK_OK(it_key_builder_finish(kb, &out));
  return out;
}

static int buf_cmp(it_buf a, it_buf b) {
  size_t n = a.size < b.size ? a.size : b.size;
  int c = memcmp(a.data, b.data, n);
  if (c) return c;
  return a.size < b.size ? -1 : a.size > b.size ? 1 : 0;
}

static void test_key_order(void) {
  it_key_builder* kb = NULL;
  int64_t ints[] = {INT64_MIN, -1000000, -1, 0, 1, 255, 256, 1000000, INT64_MAX};
  size_t i;
  it_buf prev, cur, a, b;
  CHECK_RC(it_key_builder_new(NULL), IT_EINVAL);
  CHECK_OK(it_key_builder_new(&kb));
  prev = key_int(kb, ints[0]);
  for (i = 1; i < sizeof ints / sizeof ints[0]; ++i) {
    cur = key_int(kb, ints[i]);
    CHECK(buf_cmp(prev, cur) < 0);
    it_buf_free(&prev);
    prev = cur;
  }
  /* A uint above INT64_MAX sorts after every int. */
  CHECK_OK(it_key_builder_add_uint(kb, UINT64_MAX));
  CHECK_OK(it_key_builder_finish(kb, &cur));
  CHECK(buf_cmp(prev, cur) < 0);
  it_buf_free(&prev);
  it_buf_free(&cur);
  /* Non-negative int and uint encode alike. */
  a = key_int(kb, 42);
  CHECK_OK(it_key_builder_add_uint(kb, 42));
  CHECK_OK(it_key_builder_finish(kb, &b));
  CHECK(buf_cmp(a, b) == 0);
  it_buf_free(&a);
  it_buf_free(&b);

  /* Strings: a prefix sorts first, embedded NULs survive, tuples compare per component. */
  CHECK_OK(it_key_builder_add_str(kb, "ab", 2));
  CHECK_OK(it_key_builder_add_int(kb, 9));
  CHECK_OK(it_key_builder_finish(kb, &a));
  CHECK_OK(it_key_builder_add_str(kb, "abc", 3));
  CHECK_OK(it_key_builder_add_int(kb, 1));
  CHECK_OK(it_key_builder_finish(kb, &b));
  CHECK(buf_cmp(a, b) < 0);
  it_buf_free(&a);
  it_buf_free(&b);
  CHECK_OK(it_key_builder_add_str(kb, "a\0b", 3));
  CHECK_OK(it_key_builder_finish(kb, &a));
  CHECK_OK(it_key_builder_add_str(kb, "a", 1));
  CHECK_OK(it_key_builder_finish(kb, &b));
  CHECK(buf_cmp(b, a) < 0);
  it_buf_free(&a);
  it_buf_free(&b);
  /* Doubles. */
  CHECK_OK(it_key_builder_add_double(kb, -2.5));
  CHECK_OK(it_key_builder_finish(kb, &a));
  CHECK_OK(it_key_builder_add_double(kb, 0.25));
  CHECK_OK(it_key_builder_finish(kb, &b));
  CHECK(buf_cmp(a, b) < 0);
  it_buf_free(&a);
  it_buf_free(&b);
  /* Reset drops what was added. */
  CHECK_OK(it_key_builder_add_int(kb, 5));
  CHECK_OK(it_key_builder_clear(kb));
  CHECK_OK(it_key_builder_finish(kb, &a));
  CHECK(a.size == 0 && a.data != NULL);
  it_buf_free(&a);
  it_key_builder_free(kb);
}

static void test_key_encoding_bytes(void) {
  /* The documented encoding (docs/format.md): spot-check exact bytes. */
  it_key_builder* kb = NULL;
  it_buf out;
  static const uint8_t one[] = {0x14, 0, 0, 0, 0, 0, 0, 0, 1};
  static const uint8_t str[] = {0x02, 'h', 'i', 0x00};
  static const uint8_t bytes_nul[] = {0x01, 'a', 0x00, 0xff, 0x00};
  static const uint8_t misc[] = {0x00, 0x27, 0x26};
  CHECK_OK(it_key_builder_new(&kb));
  CHECK_OK(it_key_builder_add_int(kb, 1));
  CHECK_OK(it_key_builder_finish(kb, &out));
  CHECK(out.size == sizeof one && memcmp(out.data, one, sizeof one) == 0);
  it_buf_free(&out);
  CHECK_OK(it_key_builder_add_str(kb, "hi", 2));
  CHECK_OK(it_key_builder_finish(kb, &out));
  CHECK(out.size == sizeof str && memcmp(out.data, str, sizeof str) == 0);
  it_buf_free(&out);
  CHECK_OK(it_key_builder_add_bytes(kb, "a\0", 2));
  CHECK_OK(it_key_builder_finish(kb, &out));
  CHECK(out.size == sizeof bytes_nul && memcmp(out.data, bytes_nul, sizeof bytes_nul) == 0);
  it_buf_free(&out);
  CHECK_OK(it_key_builder_add_null(kb));
  CHECK_OK(it_key_builder_add_bool(kb, 7));
  CHECK_OK(it_key_builder_add_bool(kb, 0));
  CHECK_OK(it_key_builder_finish(kb, &out));
  CHECK(out.size == sizeof misc && memcmp(out.data, misc, sizeof misc) == 0);
  it_buf_free(&out);
  /* Empty strings are fine; (NULL, n > 0) is not. */
  CHECK_OK(it_key_builder_add_str(kb, NULL, 0));
  CHECK_OK(it_key_builder_add_bytes(kb, NULL, 0));
  CHECK_RC(it_key_builder_add_str(kb, NULL, 3), IT_EINVAL);
  CHECK_RC(it_key_builder_add_bytes(kb, NULL, 3), IT_EINVAL);
  CHECK_RC(it_key_builder_finish(kb, NULL), IT_EINVAL);
  it_key_builder_free(kb);

  CHECK_RC(it_key_builder_add_int(NULL, 1), IT_EINVAL);
  CHECK_RC(it_key_builder_add_uint(NULL, 1), IT_EINVAL);
  CHECK_RC(it_key_builder_add_double(NULL, 1), IT_EINVAL);
  CHECK_RC(it_key_builder_add_str(NULL, "a", 1), IT_EINVAL);
  CHECK_RC(it_key_builder_add_bytes(NULL, "a", 1), IT_EINVAL);
  CHECK_RC(it_key_builder_add_bool(NULL, 1), IT_EINVAL);
  CHECK_RC(it_key_builder_add_null(NULL), IT_EINVAL);
  CHECK_RC(it_key_builder_finish(NULL, &out), IT_EINVAL);
  CHECK_RC(it_key_builder_clear(NULL), IT_EINVAL);
}

static void test_key_decode(void) {
  it_key_builder* kb = NULL;
  it_key_parts* p = NULL;
  it_buf k;
  int64_t i64;
  uint64_t u64;
  double d;
  int bval;
  it_buf part = {NULL, 0};
  CHECK_OK(it_key_builder_new(&kb));
  CHECK_OK(it_key_builder_add_int(kb, -7));
  CHECK_OK(it_key_builder_add_uint(kb, UINT64_MAX));
  CHECK_OK(it_key_builder_add_str(kb, "s\0t", 3));
  CHECK_OK(it_key_builder_add_bytes(kb, "\xff\x00", 2));
  CHECK_OK(it_key_builder_add_double(kb, 1.5));
  CHECK_OK(it_key_builder_add_bool(kb, 1));
  CHECK_OK(it_key_builder_add_null(kb));
  CHECK_OK(it_key_builder_add_int(kb, 3));
  CHECK_OK(it_key_builder_finish(kb, &k));
  CHECK_OK(it_key_decode(k.data, k.size, &p));
  CHECK(H_U64(it_key_parts_count(p, &h_u64)) == 8);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 0, &h_ktype)) == IT_KEY_INT);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 1, &h_ktype)) == IT_KEY_UINT);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 2, &h_ktype)) == IT_KEY_STR);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 3, &h_ktype)) == IT_KEY_BYTES);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 4, &h_ktype)) == IT_KEY_DOUBLE);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 5, &h_ktype)) == IT_KEY_BOOL);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 6, &h_ktype)) == IT_KEY_NULL);
  CHECK(H_KEY_TYPE(it_key_parts_type(p, 7, &h_ktype)) == IT_KEY_INT);
  CHECK_RC(H_KEY_TYPE(it_key_parts_type(p, 8, &h_ktype)), IT_ENOTFOUND);
  CHECK_OK(it_key_parts_int(p, 0, &i64));
  CHECK(i64 == -7);
  CHECK_RC(it_key_parts_uint(p, 0, &u64), IT_EINVAL); /* negative */
  CHECK_OK(it_key_parts_uint(p, 1, &u64));
  CHECK(u64 == UINT64_MAX);
  CHECK_RC(it_key_parts_int(p, 1, &i64), IT_EINVAL);
  CHECK_OK(it_key_parts_uint(p, 7, &u64));
  CHECK(u64 == 3);
  CHECK_OK(it_key_parts_bytes(p, 2, &part));
  CHECK(part.size == 3 && memcmp(part.data, "s\0t", 3) == 0 && part.data[3] == 0);
  it_buf_free(&part);
  CHECK_OK(it_key_parts_bytes(p, 3, &part));
  CHECK(part.size == 2 && memcmp(part.data, "\xff\x00", 2) == 0);
  it_buf_free(&part);
  CHECK_OK(it_key_parts_double(p, 4, &d));
  CHECK(d == 1.5);
  CHECK_OK(it_key_parts_bool(p, 5, &bval));
  CHECK(bval == 1);
  CHECK_RC(it_key_parts_bool(p, 0, &bval), IT_EINVAL);
  CHECK_RC(it_key_parts_double(p, 0, &d), IT_EINVAL);
  CHECK_RC(it_key_parts_bytes(p, 0, &part), IT_EINVAL);
  CHECK(part.data == NULL); /* untouched on failure */
  CHECK_RC(it_key_parts_int(p, 99, &i64), IT_ENOTFOUND);
  CHECK_RC(it_key_parts_int(p, 0, NULL), IT_EINVAL);
  CHECK_RC(it_key_parts_uint(p, 1, NULL), IT_EINVAL);
  CHECK_RC(it_key_parts_double(p, 4, NULL), IT_EINVAL);
  CHECK_RC(it_key_parts_bool(p, 5, NULL), IT_EINVAL);
  CHECK_RC(it_key_parts_bytes(p, 2, NULL), IT_EINVAL);
  CHECK_RC(it_key_parts_type(p, 0, NULL), IT_EINVAL);
  CHECK_RC(it_key_parts_count(p, NULL), IT_EINVAL);
  it_key_parts_free(p);
  p = NULL;
  /* Invalid encodings. */
  CHECK_RC(it_key_decode("\x02unterminated", 13, &p), IT_EINVAL);
  CHECK_RC(it_key_decode("\x14\x00", 2, &p), IT_EINVAL);
  CHECK_RC(it_key_decode("\x99", 1, &p), IT_EINVAL);
  CHECK(p == NULL);
  CHECK_RC(it_key_decode(NULL, 1, &p), IT_EINVAL);
  CHECK_RC(it_key_decode(k.data, k.size, NULL), IT_EINVAL);
  /* The empty key has no parts. */
  CHECK_OK(it_key_decode(NULL, 0, &p));
  CHECK(H_U64(it_key_parts_count(p, &h_u64)) == 0);
  it_key_parts_free(p);
  CHECK_RC(it_key_parts_count(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(H_KEY_TYPE(it_key_parts_type(NULL, 0, &h_ktype)), IT_EINVAL);
  it_buf_free(&k);
  it_key_builder_free(kb);
}

int main(void) {
  static const h_test tests[] = {
      {"version", test_version},
      {"strerror", test_strerror},
      {"last_error", test_last_error},
      {"buffers", test_buffers},
      {"free_null", test_free_null},
      {"options", test_options},
      {"options_roundtrip", test_options_roundtrip},
      {"kdf_costs_must_match", test_kdf_costs_must_match},
      {"backends", test_backends},
      {"cache_backend", test_cache_backend},
      {"key_order", test_key_order},
      {"key_encoding_bytes", test_key_encoding_bytes},
      {"key_decode", test_key_decode},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
