/* The data model through C: time and descending key components, tuple subspaces. */
#include "harness.h"

#include <stdlib.h>

static it_buf key_of(it_key_builder* b) {
  it_buf k = {NULL, 0};
  CHECK_OK(it_key_builder_finish(b, &k));
  return k;
}

/* ("log", desc(time), seq) */
static it_buf log_key(it_key_builder* b, int64_t micros, int64_t seq) {
  CHECK_OK(it_key_builder_add_str(b, "log", 3));
  CHECK_OK(it_key_builder_set_descending(b, 1));
  CHECK_OK(it_key_builder_add_time(b, micros));
  CHECK_OK(it_key_builder_set_descending(b, 0));
  CHECK_OK(it_key_builder_add_int(b, seq));
  return key_of(b);
}

static int cmp(const it_buf* a, const it_buf* b) {
  size_t n = a->size < b->size ? a->size : b->size;
  int c = memcmp(a->data, b->data, n);
  return c ? c : (a->size < b->size ? -1 : a->size > b->size);
}

static void test_time_and_descending_keys(void) {
  it_key_builder* b = NULL;
  it_key_parts* p = NULL;
  int64_t t = 0;
  CHECK_OK(it_key_builder_new(&b));
  it_buf newer = log_key(b, 2000, 9), older = log_key(b, 1000, 1), older2 = log_key(b, 1000, 2);
  CHECK(cmp(&newer, &older) < 0);  /* descending time: newest first */
  CHECK(cmp(&older, &older2) < 0); /* then ascending sequence */
  CHECK_OK(it_key_decode(older.data, older.size, &p));
  CHECK_RC(H_U64(it_key_parts_count(p, &h_u64)), 3);
  CHECK_RC(H_KEY_TYPE(it_key_parts_type(p, 1, &h_ktype)), IT_KEY_TIME);
  CHECK_OK(it_key_parts_time(p, 1, &t));
  CHECK(t == 1000);
  CHECK_RC(H_YES(it_key_parts_is_descending(p, 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_key_parts_is_descending(p, 2, &h_flag)), 0);
  CHECK_RC(it_key_parts_time(p, 2, &t), IT_EINVAL);       /* an int, not a time */
  CHECK_RC(it_key_parts_is_descending(p, 3, &h_flag), IT_ENOTFOUND);
  CHECK_RC(it_key_builder_set_descending(NULL, 1), IT_EINVAL);
  it_key_parts_free(p);
  /* A time before 1970 sorts before one after it. */
  CHECK_OK(it_key_builder_add_time(b, -5));
  it_buf neg = key_of(b);
  CHECK_OK(it_key_builder_add_time(b, 5));
  it_buf pos = key_of(b);
  CHECK(cmp(&neg, &pos) < 0);
  it_buf_free(&neg);
  it_buf_free(&pos);
  it_buf_free(&newer);
  it_buf_free(&older);
  it_buf_free(&older2);
  it_key_builder_free(b);
}

static void test_subspaces(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_key_builder* b = NULL;
  it_cursor* c = NULL;
  uint64_t removed = 0;
  int64_t who, i;
  CHECK_OK(it_tree_map(t, "items", &m));
  CHECK_OK(it_key_builder_new(&b));
  for (who = 0; who < 3; ++who)
    for (i = 0; i < 500; ++i) {
      it_buf k;
      CHECK_OK(it_key_builder_add_int(b, who));
      CHECK_OK(it_key_builder_add_int(b, i));
      k = key_of(b);
      CHECK_OK(it_map_put(m, k.data, k.size, "v", 1));
      it_buf_free(&k);
    }
  CHECK_OK(it_key_builder_add_int(b, 1));
  it_buf prefix = key_of(b);
  CHECK_RC(H_U64(it_map_count_prefix(m, prefix.data, prefix.size, &h_u64)), 500);
  /* The cursor of the subspace starts at (1, 0) and ends at (1, 499). */
  CHECK_OK(it_map_prefix_cursor(m, prefix.data, prefix.size, &c));
  CHECK_OK(it_cursor_last(c));
  {
    it_key_parts* p = NULL;
    it_buf k = {NULL, 0};
    CHECK_OK(it_cursor_key(c, &k));
    CHECK_OK(it_key_decode(k.data, k.size, &p));
    CHECK_RC(H_I64(it_key_parts_int(p, 1, &h_i64)), 499);
    it_key_parts_free(p);
    it_buf_free(&k);
  }
  it_cursor_free(c);
  CHECK_OK(it_map_remove_prefix(m, prefix.data, prefix.size, &removed));
  CHECK(removed == 500);
  CHECK_RC(H_U64(it_map_count_prefix(m, prefix.data, prefix.size, &h_u64)), 0);
  CHECK_RC(H_U64(it_map_count(m, &h_u64)), 1000);
  CHECK_OK(it_map_remove_prefix(m, prefix.data, prefix.size, NULL)); /* nothing left: fine */
  CHECK_RC(it_map_remove_prefix(m, NULL, 3, NULL), IT_EINVAL);
  CHECK_RC(it_map_count_prefix(m, prefix.data, prefix.size, NULL), IT_EINVAL);
  CHECK_OK(it_map_remove_prefix(m, NULL, 0, &removed)); /* empty prefix: everything */
  CHECK(removed == 1000);
  it_buf_free(&prefix);
  it_key_builder_free(b);
  it_map_free(m);
  it_tree_free(t);
}

static void test_multimap(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_cursor* c = NULL;
  uint64_t n = 0;
  int rc;
  CHECK_OK(it_tree_map(t, "tags", &m));
  CHECK_RC(H_YES(it_map_insert_pair(m, "rose", 4, "red", 3, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_insert_pair(m, "rose", 4, "pink", 4, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_insert_pair(m, "rose", 4, "red", 3, &h_flag)), 0); /* already there */
  CHECK_OK(it_map_insert_pair(m, "rosehip", 7, "orange", 6, NULL));
  CHECK_OK(it_map_insert_pair(m, "", 0, "empty key", 9, NULL));
  CHECK_RC(H_U64(it_map_count_values(m, "rose", 4, &h_u64)), 2);
  CHECK_RC(H_U64(it_map_count_values(m, "", 0, &h_u64)), 1);
  /* The values of "rose" in bytewise order: pink, red (not rosehip's). */
  CHECK_OK(it_map_cursor_values(m, "rose", 4, &c));
  {
    const char* want[] = {"pink", "red"};
    int i = 0;
    for (rc = IT_OK; rc == IT_OK; rc = it_cursor_next(c), ++i) {
      it_buf k = {NULL, 0}, v = {NULL, 0};
      it_key_parts* p = NULL;
      CHECK(i < 2);
      CHECK_OK(it_cursor_key(c, &k));
      CHECK_OK(it_key_decode(k.data, k.size, &p));
      CHECK_OK(it_key_parts_bytes(p, 1, &v));
      CHECK_BUF(v, want[i]);
      it_buf_free(&v);
      it_buf_free(&k);
      it_key_parts_free(p);
    }
    CHECK_RC(rc, IT_DONE);
    CHECK(i == 2);
  }
  it_cursor_free(c);
  CHECK_RC(H_YES(it_map_remove_pair(m, "rose", 4, "red", 3, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_remove_pair(m, "rose", 4, "red", 3, &h_flag)), 0);
  CHECK_OK(it_map_remove_values(m, "rose", 4, &n));
  CHECK(n == 1);
  CHECK_RC(H_U64(it_map_count_values(m, "rosehip", 7, &h_u64)), 1);
  CHECK_RC(it_map_count_values(m, "rose", 4, NULL), IT_EINVAL);
  CHECK_RC(it_map_insert_pair(m, NULL, 1, "v", 1, NULL), IT_EINVAL);
  {
    size_t big = IT_MAX_KEY_SIZE;
    char* v = calloc(big, 1);
    CHECK(v != NULL);
    CHECK_RC(it_map_insert_pair(m, "k", 1, v, big, NULL), IT_ETOOLARGE);
    free(v);
  }
  it_map_free(m);
  it_tree_free(t);
}

static void test_key_history(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_key_history* h = NULL;
  it_commit* c = NULL;
  it_buf v = {NULL, 0}, id = {NULL, 0};
  int has = -1;
  CHECK_OK(it_tree_map(t, "kv", &m));
  CHECK_OK(it_tree_log_key(t, "kv", "color", 5, NULL, 0, &h)); /* no commits yet */
  CHECK_RC(H_U64(it_key_history_count(h, &h_u64)), 0);
  it_key_history_free(h);
  CHECK_OK(it_map_put(m, "color", 5, "red", 3));
  CHECK_OK(it_tree_commit(t, "red", NULL, 0, NULL, NULL));
  CHECK_OK(it_map_put(m, "other", 5, "x", 1));
  CHECK_OK(it_tree_commit(t, "unrelated", NULL, 0, NULL, NULL));
  CHECK_OK(it_map_remove(m, "color", 5, NULL));
  CHECK_OK(it_tree_commit(t, "gone", NULL, 0, NULL, NULL));
  CHECK_OK(it_map_put(m, "color", 5, "blue", 4));
  CHECK_OK(it_tree_commit(t, "blue", NULL, 0, NULL, NULL));
  CHECK_OK(it_tree_log_key(t, "kv", "color", 5, NULL, 0, &h));
  CHECK_RC(H_U64(it_key_history_count(h, &h_u64)), 3);
  CHECK_OK(it_key_history_get(h, 0, &c, &has, &v));
  CHECK(has == 1);
  CHECK_BUF(v, "blue");
  CHECK_OK(it_commit_message(c, &id));
  CHECK_BUF(id, "blue");
  it_buf_free(&id);
  it_buf_free(&v);
  it_commit_free(c);
  CHECK_OK(it_key_history_get(h, 1, &c, &has, &v));
  CHECK(has == 0 && v.size == 0); /* removed by "gone" */
  it_buf_free(&v);
  it_commit_free(c);
  CHECK_RC(it_key_history_get(h, 3, &c, &has, &v), IT_ENOTFOUND);
  CHECK_RC(it_key_history_get(h, 0, NULL, &has, &v), IT_EINVAL);
  it_key_history_free(h);
  CHECK_OK(it_tree_log_key(t, "kv", "color", 5, NULL, 1, &h)); /* limit */
  CHECK_RC(H_U64(it_key_history_count(h, &h_u64)), 1);
  it_key_history_free(h);
  CHECK_RC(it_tree_log_key(t, "kv", "color", 5, "no-such-ref", 0, &h), IT_ENOTFOUND);
  it_map_free(m);
  it_tree_free(t);
}

/* 1 if map `field` of t has key = value. */
static int has_value(it_tree* t, const char* field, const char* k, const char* v) {
  it_map* m = NULL;
  it_buf b = {NULL, 0};
  int ok;
  if (it_tree_map(t, field, &m) != IT_OK) return 0;
  ok = it_map_get(m, k, strlen(k), &b) == IT_OK && b.size == strlen(v) && memcmp(b.data, v, b.size) == 0;
  it_buf_free(&b);
  it_map_free(m);
  return ok;
}

static void test_json(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_buf out = {NULL, 0};
  uint64_t n = 0;
  static const char doc[] = "{\"b\":[1,2.5,\"x\",null,true],\"a\":{},\"\u00e9\":-9223372036854775808}";
  CHECK_OK(it_tree_map(t, "docs", &m));
  CHECK_OK(it_map_put_json(m, "d1", 2, doc, strlen(doc), &n));
  CHECK(n == 7);
  CHECK_OK(it_map_get_json(m, "d1", 2, &out));
  CHECK_BUF(out, "{\"a\":{},\"b\":[1,2.5,\"x\",null,true],\"\xc3\xa9\":-9223372036854775808}");
  it_buf_free(&out);
  CHECK_RC(it_map_get_json(m, "d2", 2, &out), IT_ENOTFOUND);
  CHECK_RC(it_map_put_json(m, "d2", 2, "{\"a\":", 5, NULL), IT_EINVAL);
  CHECK_RC(it_map_get_json(m, "d1", 2, NULL), IT_EINVAL);
  it_map_free(m);
  it_tree_free(t);
}

static int same_bytes(const it_buf* b, const char* want, size_t n) {
  return b->size == n && memcmp(b->data, want, n) == 0;
}

/* The bytes are what C++ msgpack::pack writes for the same value (tests/datamodel/schema_test.cpp,
 * "SchemaEncoding" checks the C++ side against the same vector). */
static void test_msgpack(void) {
  static const char plant_json[] =
      "[\"fern\",0.5,-3,[\"shade\",\"wet\"],null,{\"b\":2.5,\"a\":1.0},18446744073709551615,true]";
  static const char plant_msgpack[] =
      "\x98\xa4" "fern" "\xcb\x3f\xe0\x00\x00\x00\x00\x00\x00" "\xfd"
      "\x92\xa5" "shade" "\xa3" "wet" "\xc0"
      "\x82\xa1" "a" "\x01" "\xa1" "b" "\xcb\x40\x04\x00\x00\x00\x00\x00\x00"
      "\xcf\xff\xff\xff\xff\xff\xff\xff\xff" "\xc3";
  it_buf out = {NULL, 0}, back = {NULL, 0};
  /* msgpack-cxx packs a double with an integral value (1.0) as that integer, so it does
   * here too; readers of a float member convert. */
  CHECK_OK(it_msgpack_encode(plant_json, strlen(plant_json), &out));
  CHECK(same_bytes(&out, plant_msgpack, sizeof plant_msgpack - 1));
  CHECK_OK(it_msgpack_decode(out.data, out.size, &back));
  CHECK_BUF(back, "[\"fern\",0.5,-3,[\"shade\",\"wet\"],null,{\"a\":1,\"b\":2.5},18446744073709551615,true]");
  it_buf_free(&back);
  it_buf_free(&out);
  /* Shortest integer forms, whatever the C++ width: 200 is uint8, -200 int16, 70000 uint32. */
  CHECK_OK(it_msgpack_encode("[200,-200,70000,\"\"]", 19, &out));
  CHECK(same_bytes(&out, "\x94\xcc\xc8\xd1\xff\x38\xce\x00\x01\x11\x70\xa0", 12));
  it_buf_free(&out);
  /* Errors: not JSON, out of float64 range, too deep; not one msgpack value, no JSON form. */
  CHECK_RC(it_msgpack_encode("[1,", 3, &out), IT_EINVAL);
  CHECK_RC(it_msgpack_encode("1e999", 5, &out), IT_EINVAL);
  {
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    CHECK_RC(it_msgpack_encode(deep, sizeof deep, &out), IT_EINVAL);
  }
  CHECK_RC(it_msgpack_encode(NULL, 1, &out), IT_EINVAL);
  CHECK_RC(it_msgpack_encode("1", 1, NULL), IT_EINVAL);
  CHECK_RC(it_msgpack_decode("", 0, &out), IT_EINVAL);                     /* nothing */
  CHECK_RC(it_msgpack_decode("\x01\x02", 2, &out), IT_EINVAL);             /* two values */
  CHECK_RC(it_msgpack_decode("\x92\x01", 2, &out), IT_EINVAL);             /* truncated */
  CHECK_RC(it_msgpack_decode("\xc4\x01x", 3, &out), IT_EINVAL);            /* bin */
  CHECK_RC(it_msgpack_decode("\xd6\xff\x00\x00\x00\x01", 6, &out), IT_EINVAL); /* timestamp ext */
  CHECK_RC(it_msgpack_decode("\x81\x01\x02", 3, &out), IT_EINVAL);         /* int map key */
  CHECK_RC(it_msgpack_decode("\x82\xa1" "a" "\x01\xa1" "a" "\x02", 7, &out), IT_EINVAL); /* repeated key */
  CHECK_RC(it_msgpack_decode("\xa1\xff", 2, &out), IT_EINVAL);             /* not UTF-8 */
  CHECK_RC(it_msgpack_decode("\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00", 9, &out), IT_EINVAL); /* NaN */
  CHECK_RC(it_msgpack_decode("\x01", 1, NULL), IT_EINVAL);
  CHECK(out.data == NULL); /* untouched on failure */
  /* A float32 (as a C++ float member packs) decodes too. */
  CHECK_OK(it_msgpack_decode("\xca\x3f\xc0\x00\x00", 5, &out));
  CHECK_BUF(out, "1.5");
  it_buf_free(&out);
}

static void test_transactions(void) {
  it_tree* t = h_memory_tree();
  it_map* a = NULL;
  it_transaction* tx = NULL;
  it_buf v = {NULL, 0};
  uint64_t s1 = 0, s2 = 0;
  CHECK_OK(it_tree_map(t, "a", &a));
  CHECK_OK(it_map_put(a, "balance", 7, "10", 2));
  CHECK_OK(it_transaction_new(t, &tx));
  CHECK_OK(it_transaction_read(tx, "a", "balance", 7, &v));
  CHECK_BUF(v, "10");
  it_buf_free(&v);
  CHECK_OK(it_transaction_put(tx, "a", "balance", 7, "5", 1));
  CHECK_OK(it_transaction_put(tx, "b", "balance", 7, "5", 1));
  CHECK_OK(it_transaction_read(tx, "b", "balance", 7, &v)); /* its own write */
  CHECK_BUF(v, "5");
  it_buf_free(&v);
  CHECK_OK(it_transaction_commit(tx, &s1));
  CHECK(has_value(t, "b", "balance", "5") && has_value(t, "a", "balance", "5"));
  /* A read that changed before the apply: IT_ECONFLICT, nothing written. */
  CHECK_OK(it_transaction_read(tx, "a", "balance", 7, &v));
  it_buf_free(&v);
  CHECK_OK(it_transaction_put(tx, "b", "other", 5, "x", 1));
  CHECK_OK(it_map_put(a, "balance", 7, "6", 1));
  CHECK_RC(it_transaction_commit(tx, NULL), IT_ECONFLICT);
  CHECK(!has_value(t, "b", "other", "x"));
  /* Rollback drops the transaction only. */
  CHECK_OK(it_transaction_remove(tx, "a", "balance", 7));
  CHECK_OK(it_transaction_rollback(tx));
  CHECK_OK(it_transaction_commit(tx, &s2));
  CHECK(s2 > s1);
  CHECK(has_value(t, "a", "balance", "6"));
  CHECK_RC(it_transaction_read(tx, "a", "missing", 7, &v), IT_ENOTFOUND);
  CHECK_RC(it_transaction_put(NULL, "a", "k", 1, "v", 1), IT_EINVAL);
  it_map_free(a);
  it_tree_close(t);
  CHECK_RC(it_transaction_commit(tx, NULL), IT_ECLOSED);
  it_transaction_free(tx);
  it_tree_free(t);
}

int main(void) {
  static const h_test tests[] = {
      {"time_and_descending_keys", test_time_and_descending_keys},
      {"subspaces", test_subspaces},
      {"multimap", test_multimap},
      {"key_history", test_key_history},
      {"json", test_json},
      {"msgpack", test_msgpack},
      {"transactions", test_transactions},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
