/* Maps, sets, lists, values and cursors. */
#include "harness.h"

#include <stdlib.h>

static it_map* new_map(it_tree* t, const char* name) {
  it_map* m = NULL;
  CHECK_OK(it_tree_map(t, name, &m));
  return m;
}

static void put_str(it_map* m, const char* k, const char* v) {
  CHECK_OK(it_map_put(m, k, strlen(k), v, strlen(v)));
}

/* 1 if map[k] == v. */
static int has(it_map* m, const char* k, const char* v) {
  it_buf b = {NULL, 0};
  int ok = it_map_get(m, k, strlen(k), &b) == IT_OK && b.size == strlen(v) &&
           memcmp(b.data, v, b.size) == 0;
  it_buf_free(&b);
  return ok;
}

static void test_map_basics(void) {
  it_tree* t = h_memory_tree();
  it_map* m = new_map(t, "m");
  it_buf b = {NULL, 0};
  uint64_t n = 99;
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 0);
  put_str(m, "b", "2");
  put_str(m, "a", "1");
  put_str(m, "c", "3");
  CHECK(has(m, "a", "1") && has(m, "b", "2") && has(m, "c", "3"));
  put_str(m, "a", "one"); /* overwrite */
  CHECK(has(m, "a", "one"));
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 3);
  CHECK_RC(H_YES(it_map_contains(m, "a", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_contains(m, "zz", 2, &h_flag)), 0);
  CHECK_RC(it_map_get(m, "zz", 2, &b), IT_ENOTFOUND);
  CHECK(b.data == NULL); /* untouched on failure */
  CHECK(it_error_code() == IT_ENOTFOUND);
  CHECK_RC(H_YES(it_map_remove(m, "b", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_remove(m, "b", 1, &h_flag)), 0);
  CHECK_RC(H_YES(it_map_contains(m, "b", 1, &h_flag)), 0);
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 2);
  it_map_free(m);
  it_tree_free(t);
}

static void test_map_binary_and_empty(void) {
  it_tree* t = h_memory_tree();
  it_map* m = new_map(t, "bin");
  static const uint8_t key[] = {0, 1, 0, 0xff};
  static const uint8_t val[] = {0xff, 0, 0, 7};
  it_buf b = {NULL, 0};
  CHECK_OK(it_map_put(m, key, sizeof key, val, sizeof val));
  CHECK_OK(it_map_get(m, key, sizeof key, &b));
  CHECK(b.size == sizeof val && memcmp(b.data, val, sizeof val) == 0);
  it_buf_free(&b);
  /* The empty key and the empty value, passed as (NULL, 0). */
  CHECK_OK(it_map_put(m, NULL, 0, NULL, 0));
  CHECK_RC(H_YES(it_map_contains(m, NULL, 0, &h_flag)), 1);
  CHECK_OK(it_map_get(m, NULL, 0, &b));
  CHECK(b.size == 0 && b.data != NULL && b.data[0] == 0);
  it_buf_free(&b);
  /* (NULL, n > 0) is invalid everywhere. */
  CHECK_RC(it_map_put(m, NULL, 1, "v", 1), IT_EINVAL);
  CHECK_RC(it_map_put(m, "k", 1, NULL, 1), IT_EINVAL);
  CHECK_RC(it_map_get(m, NULL, 1, &b), IT_EINVAL);
  CHECK_RC(it_map_get(m, "k", 1, NULL), IT_EINVAL);
  CHECK_RC(it_map_count(m, NULL), IT_EINVAL);
  it_map_free(m);
  it_tree_free(t);
}

static void test_map_conditional(void) {
  it_tree* t = h_memory_tree();
  it_map* m = new_map(t, "m");
  CHECK_RC(H_YES(it_map_put_if_absent(m, "k", 1, "v1", 2, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_put_if_absent(m, "k", 1, "v2", 2, &h_flag)), 0);
  CHECK(has(m, "k", "v1"));
  /* expected present, wrong value: no swap */
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 1, "nope", 4, 1, "v3", 2, &h_flag)), 0);
  CHECK(has(m, "k", "v1"));
  /* expected present, right value: swap */
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 1, "v1", 2, 1, "v3", 2, &h_flag)), 1);
  CHECK(has(m, "k", "v3"));
  /* expected absent but present: no swap */
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 0, NULL, 0, 1, "v4", 2, &h_flag)), 0);
  /* desired absent: delete */
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 1, "v3", 2, 0, NULL, 0, &h_flag)), 1);
  CHECK_RC(H_YES(it_map_contains(m, "k", 1, &h_flag)), 0);
  /* expected absent and absent: insert */
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 0, NULL, 0, 1, "v5", 2, &h_flag)), 1);
  CHECK(has(m, "k", "v5"));
  /* an empty expected value is not "absent" */
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 1, NULL, 0, 1, "v6", 2, &h_flag)), 0);
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 1, NULL, 3, 1, "v6", 2, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_map_compare_and_swap(m, "k", 1, 1, "v5", 2, 1, NULL, 3, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_map_put_if_absent(m, NULL, 2, "v", 1, &h_flag)), IT_EINVAL);
  it_map_free(m);
  it_tree_free(t);
}

static void fill_digits(it_map* m) {
  char k[16];
  int i;
  for (i = 0; i < 100; ++i) {
    snprintf(k, sizeof k, "%02d", i);
    CHECK_OK(it_map_put(m, k, 2, k, 2));
  }
}

static void test_map_ranges(void) {
  it_tree* t = h_memory_tree();
  it_map* m = new_map(t, "r");
  uint64_t n = 0;
  fill_digits(m);
  CHECK_OK(it_map_count_range(m, "10", 2, "20", 2, &n));
  CHECK(n == 10);
  CHECK_OK(it_map_count_range(m, "90", 2, NULL, 0, &n)); /* no upper bound */
  CHECK(n == 10);
  CHECK_OK(it_map_count_range(m, NULL, 0, NULL, 0, &n));
  CHECK(n == 100);
  CHECK_RC(it_map_count_range(m, "1", 1, "2", 1, NULL), IT_EINVAL);
  CHECK_OK(it_map_remove_range(m, "10", 2, "20", 2, &n));
  CHECK(n == 10);
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 90);
  CHECK_RC(H_YES(it_map_contains(m, "15", 2, &h_flag)), 0);
  CHECK_RC(H_YES(it_map_contains(m, "20", 2, &h_flag)), 1);
  CHECK_OK(it_map_remove_range(m, "95", 2, NULL, 0, NULL));
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 85);
  CHECK_OK(it_map_clear(m));
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 0);
  it_map_free(m);
  it_tree_free(t);
}

/* The key under the cursor as a C string (static storage). */
static const char* ckey(it_cursor* c) {
  static char s[64];
  it_buf k = {NULL, 0};
  if (it_cursor_key(c, &k) != IT_OK) return "<none>";
  snprintf(s, sizeof s, "%.*s", (int)k.size, (const char*)k.data);
  it_buf_free(&k);
  return s;
}

static void test_cursors(void) {
  it_tree* t = h_memory_tree();
  it_map* m = new_map(t, "c");
  it_cursor* c = NULL;
  it_buf k = {NULL, 0}, v = {NULL, 0};
  int count = 0, rc;
  fill_digits(m);

  /* A range [10, 20): forwards, one call per step; the loop ends on IT_DONE. */
  CHECK_OK(it_map_cursor(m, "10", 2, "20", 2, &c));
  it_error_clear();
  for (rc = it_cursor_first(c); rc == IT_OK; rc = it_cursor_next(c)) {
    CHECK_OK(it_cursor_entry(c, &k, &v));
    CHECK(k.size == 2 && v.size == 2 && memcmp(k.data, v.data, 2) == 0);
    CHECK(k.data[0] == '1');
    it_buf_free(&k);
    it_buf_free(&v);
    ++count;
  }
  CHECK_RC(rc, IT_DONE);
  CHECK(count == 10);
  CHECK(it_error_code() == IT_OK); /* IT_DONE is not a failure */
  CHECK(strcmp(it_error_string(IT_DONE), "done") == 0);
  /* Past the end: reading says not found, stepping stays done. */
  CHECK_RC(H_YES(it_cursor_is_valid(c, &h_flag)), 0);
  CHECK_RC(it_cursor_key(c, &k), IT_ENOTFOUND);
  CHECK_RC(it_cursor_value(c, &v), IT_ENOTFOUND);
  CHECK_RC(it_cursor_entry(c, &k, &v), IT_ENOTFOUND);
  CHECK_RC(it_cursor_next(c), IT_DONE);
  CHECK_RC(it_cursor_prev(c), IT_DONE);
  /* last / prev / first within bounds */
  CHECK_OK(it_cursor_last(c));
  CHECK(strcmp(ckey(c), "19") == 0);
  CHECK_OK(it_cursor_prev(c));
  CHECK(strcmp(ckey(c), "18") == 0);
  CHECK_OK(it_cursor_first(c));
  CHECK(strcmp(ckey(c), "10") == 0);
  CHECK_RC(it_cursor_prev(c), IT_DONE);
  CHECK_RC(H_YES(it_cursor_is_valid(c, &h_flag)), 0);
  /* seek: first key >= target, clamped to the bounds */
  CHECK_OK(it_cursor_seek(c, "155", 3));
  CHECK(strcmp(ckey(c), "16") == 0);
  CHECK_OK(it_cursor_seek(c, "05", 2));
  CHECK(strcmp(ckey(c), "10") == 0);
  CHECK_RC(it_cursor_seek(c, "30", 2), IT_DONE);
  CHECK_RC(H_YES(it_cursor_is_valid(c, &h_flag)), 0);
  CHECK_RC(it_cursor_seek_for_prev(c, "05", 2), IT_DONE);
  /* seek_for_prev: last key <= target */
  CHECK_OK(it_cursor_seek_for_prev(c, "155", 3));
  CHECK(strcmp(ckey(c), "15") == 0);
  CHECK_OK(it_cursor_seek_for_prev(c, "15", 2));
  CHECK(strcmp(ckey(c), "15") == 0);
  CHECK_OK(it_cursor_value(c, &v));
  CHECK_BUF(v, "15");
  it_buf_free(&v);
  CHECK_RC(it_cursor_seek(c, NULL, 1), IT_EINVAL);
  CHECK_RC(it_cursor_seek_for_prev(c, NULL, 1), IT_EINVAL);
  CHECK_RC(it_cursor_key(c, NULL), IT_EINVAL);
  CHECK_RC(it_cursor_value(c, NULL), IT_EINVAL);
  /* entry fills both: each buffer is required */
  CHECK_RC(it_cursor_entry(c, NULL, &v), IT_EINVAL);
  CHECK_RC(it_cursor_entry(c, &k, NULL), IT_EINVAL);
  CHECK(k.data == NULL && v.data == NULL);
  CHECK_RC(H_YES(it_cursor_is_valid(c, NULL)), IT_EINVAL);
  it_cursor_free(c);
  c = NULL;

  /* A prefix cursor backwards. */
  CHECK_OK(it_map_prefix_cursor(m, "4", 1, &c));
  CHECK(strcmp(ckey(c), "40") == 0);
  count = 0;
  for (rc = it_cursor_last(c); rc == IT_OK; rc = it_cursor_prev(c)) ++count;
  CHECK_RC(rc, IT_DONE);
  CHECK(count == 10);
  it_cursor_free(c);
  c = NULL;

  /* An unbounded cursor over the whole map, and the map changing under it. */
  CHECK_OK(it_map_cursor(m, NULL, 0, NULL, 0, &c));
  CHECK(strcmp(ckey(c), "00") == 0);
  CHECK_RC(H_YES(it_map_remove(m, "01", 2, &h_flag)), 1);
  CHECK_OK(it_cursor_next(c));
  CHECK(strcmp(ckey(c), "02") == 0);
  CHECK_OK(it_cursor_last(c));
  CHECK(strcmp(ckey(c), "99") == 0);
  it_cursor_free(c);
  c = NULL;

  /* An empty map: cursors start invalid. */
  CHECK_OK(it_map_clear(m));
  CHECK_OK(it_map_cursor(m, NULL, 0, NULL, 0, &c));
  CHECK_RC(H_YES(it_cursor_is_valid(c, &h_flag)), 0);
  CHECK_RC(it_cursor_first(c), IT_DONE);
  CHECK_RC(it_cursor_last(c), IT_DONE);
  it_cursor_free(c);
  c = NULL;
  CHECK_RC(it_map_cursor(m, NULL, 1, NULL, 0, &c), IT_EINVAL);
  CHECK_RC(it_map_cursor(m, NULL, 0, NULL, 0, NULL), IT_EINVAL);
  CHECK_RC(it_map_prefix_cursor(m, NULL, 1, &c), IT_EINVAL);
  CHECK_RC(it_map_prefix_cursor(m, "a", 1, NULL), IT_EINVAL);
  it_map_free(m);
  it_tree_free(t);
}

static void test_sets(void) {
  it_tree* t = h_memory_tree();
  it_set* s = NULL;
  it_cursor* c = NULL;
  it_buf k = {NULL, 0}, v = {NULL, 0};
  uint64_t n = 0;
  CHECK_OK(it_tree_set(t, "s", &s));
  CHECK_RC(H_YES(it_set_insert(s, "x", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_set_insert(s, "x", 1, &h_flag)), 0);
  CHECK_RC(H_YES(it_set_insert(s, "y", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_set_insert(s, "z", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_set_contains(s, "y", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_set_contains(s, "w", 1, &h_flag)), 0);
  CHECK_OK(it_set_count(s, &n));
  CHECK(n == 3);
  CHECK_RC(H_YES(it_set_remove(s, "y", 1, &h_flag)), 1);
  CHECK_RC(H_YES(it_set_remove(s, "y", 1, &h_flag)), 0);
  CHECK_OK(it_set_cursor(s, NULL, 0, "z", 1, &c));
  CHECK_OK(it_cursor_entry(c, &k, &v));
  CHECK_BUF(k, "x");
  CHECK(v.size == 0);
  it_buf_free(&k);
  it_buf_free(&v);
  CHECK_RC(it_cursor_next(c), IT_DONE); /* z is excluded */
  CHECK_RC(H_YES(it_cursor_is_valid(c, &h_flag)), 0);
  it_cursor_free(c);
  CHECK_RC(H_YES(it_set_insert(s, NULL, 1, &h_flag)), IT_EINVAL);
  CHECK_RC(it_set_count(s, NULL), IT_EINVAL);
  CHECK_RC(it_set_cursor(s, NULL, 0, NULL, 0, NULL), IT_EINVAL);
  it_set_free(s);
  it_tree_free(t);
}

static void test_lists(void) {
  it_tree* t = h_memory_tree();
  it_list* l = NULL;
  it_buf b = {NULL, 0};
  uint64_t idx = 99, n = 0;
  CHECK_OK(it_tree_list(t, "l", &l));
  CHECK_OK(it_list_push(l, "zero", 4, &idx));
  CHECK(idx == 0);
  CHECK_OK(it_list_push(l, "one", 3, &idx));
  CHECK(idx == 1);
  CHECK_OK(it_list_push(l, NULL, 0, NULL));
  CHECK_OK(it_list_count(l, &n));
  CHECK(n == 3);
  CHECK_OK(it_list_get(l, 1, &b));
  CHECK_BUF(b, "one");
  it_buf_free(&b);
  CHECK_OK(it_list_get(l, 2, &b));
  CHECK(b.size == 0);
  it_buf_free(&b);
  CHECK_RC(it_list_get(l, 3, &b), IT_ENOTFOUND);
  CHECK_OK(it_list_set(l, 0, "ZERO", 4));
  CHECK_OK(it_list_get(l, 0, &b));
  CHECK_BUF(b, "ZERO");
  it_buf_free(&b);
  CHECK_RC(it_list_set(l, 3, "x", 1), IT_ENOTFOUND);
  CHECK_OK(it_list_remove_last(l));
  CHECK_OK(it_list_remove_last(l));
  CHECK_OK(it_list_remove_last(l));
  CHECK_RC(it_list_remove_last(l), IT_ENOTFOUND);
  CHECK_OK(it_list_count(l, &n));
  CHECK(n == 0);
  CHECK_RC(it_list_push(l, NULL, 1, NULL), IT_EINVAL);
  CHECK_RC(it_list_get(l, 0, NULL), IT_EINVAL);
  CHECK_RC(it_list_count(l, NULL), IT_EINVAL);
  it_list_free(l);
  it_tree_free(t);
}

static void test_values(void) {
  it_tree* t = h_memory_tree();
  it_value* v = NULL;
  it_buf b = {NULL, 0};
  CHECK_OK(it_tree_value(t, "v", &v));
  CHECK_RC(it_value_get(v, &b), IT_ENOTFOUND);
  CHECK_OK(it_value_set(v, "hello", 5));
  CHECK_OK(it_value_get(v, &b));
  CHECK_BUF(b, "hello");
  it_buf_free(&b);
  CHECK_OK(it_value_set(v, NULL, 0));
  CHECK_OK(it_value_get(v, &b));
  CHECK(b.size == 0);
  it_buf_free(&b);
  CHECK_OK(it_value_clear(v));
  CHECK_RC(it_value_get(v, &b), IT_ENOTFOUND);
  CHECK_RC(it_value_set(v, NULL, 2), IT_EINVAL);
  CHECK_RC(it_value_get(v, NULL), IT_EINVAL);
  it_value_free(v);
  it_tree_free(t);
}

/* Field names are per type: asking for a map as a set is invalid. */
static void test_field_types(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_set* s = NULL;
  it_list* l = NULL;
  it_value* v = NULL;
  it_names* names = NULL;
  size_t i;
  int seen = 0;
  CHECK_OK(it_tree_map(t, "a", &m));
  CHECK_OK(it_tree_set(t, "b", &s));
  CHECK_OK(it_tree_list(t, "c", &l));
  CHECK_OK(it_tree_value(t, "d", &v));
  it_map_free(m);
  it_set_free(s);
  it_list_free(l);
  it_value_free(v);
  m = NULL;
  s = NULL;
  l = NULL;
  v = NULL;
  CHECK_RC(it_tree_set(t, "a", &s), IT_EINVAL);
  CHECK_RC(it_tree_map(t, "b", &m), IT_EINVAL);
  CHECK_RC(it_tree_value(t, "c", &v), IT_EINVAL);
  CHECK_RC(it_tree_list(t, "d", &l), IT_EINVAL);
  CHECK(m == NULL && s == NULL && l == NULL && v == NULL);
  CHECK_OK(it_tree_fields(t, &names));
  CHECK(H_U64(it_names_count(names, &h_u64)) == 4);
  for (i = 0; i < H_U64(it_names_count(names, &h_u64)); ++i) {
    const char* n = H_STR(it_names_name(names, i, &h_buf));
    int type = H_FIELD_TYPE(it_names_type(names, i, &h_ftype));
    CHECK_RC(it_names_target(names, i, &h_buf), IT_ENOTFOUND); /* fields point nowhere */
    if (strcmp(n, "a") == 0 && type == IT_FIELD_MAP) seen |= 1;
    if (strcmp(n, "b") == 0 && type == IT_FIELD_SET) seen |= 2;
    if (strcmp(n, "c") == 0 && type == IT_FIELD_LIST) seen |= 4;
    if (strcmp(n, "d") == 0 && type == IT_FIELD_VALUE) seen |= 8;
  }
  CHECK(seen == 15);
  CHECK_RC(it_names_name(names, 4, &h_buf), IT_ENOTFOUND);
  CHECK_RC(it_names_target(names, 4, &h_buf), IT_ENOTFOUND);
  CHECK_RC(it_names_name(names, 0, NULL), IT_EINVAL);
  CHECK_RC(H_FIELD_TYPE(it_names_type(names, 4, &h_ftype)), IT_ENOTFOUND);
  CHECK_RC(H_FIELD_TYPE(it_names_type(NULL, 0, &h_ftype)), IT_EINVAL);
  CHECK_RC(it_names_count(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_names_name(NULL, 0, &h_buf), IT_EINVAL);
  it_names_free(names);
  CHECK_RC(H_YES(it_tree_contains_field(t, "a", &h_flag)), 1);
  CHECK_RC(H_YES(it_tree_contains_field(t, "zz", &h_flag)), 0);
  CHECK_RC(H_YES(it_tree_contains_field(t, NULL, &h_flag)), IT_EINVAL);
  CHECK_RC(it_tree_map(t, NULL, &m), IT_EINVAL);
  CHECK_RC(it_tree_map(t, "a", NULL), IT_EINVAL);
  CHECK_RC(it_tree_set(t, "b", NULL), IT_EINVAL);
  CHECK_RC(it_tree_list(t, "c", NULL), IT_EINVAL);
  CHECK_RC(it_tree_value(t, "d", NULL), IT_EINVAL);
  CHECK_RC(it_tree_fields(t, NULL), IT_EINVAL);
  it_tree_free(t);
}

/* Many entries: splits nodes, survives commit and reopen. */
static void test_many_entries(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  it_options* o = h_fast_options();
  it_key_builder* kb = NULL;
  it_buf k = {NULL, 0}, v = {NULL, 0};
  uint64_t n = 0;
  int64_t i;
  const int64_t count = 20000;
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "big", &m));
  CHECK_OK(it_key_builder_new(&kb));
  for (i = 0; i < count; ++i) {
    CHECK_OK(it_key_builder_add_int(kb, i - count / 2));
    CHECK_OK(it_key_builder_finish(kb, &k));
    CHECK_OK(it_map_put(m, k.data, k.size, &i, sizeof i));
    it_buf_free(&k);
  }
  CHECK_OK(it_tree_commit(t, "bulk", NULL, 0, NULL, NULL));
  it_map_free(m);
  it_tree_free(t);
  m = NULL;
  t = NULL;
  CHECK_OK(it_tree_open(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "big", &m));
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == (uint64_t)count);
  /* Negative keys sort first: the cursor sees them in integer order. */
  {
    it_cursor* c = NULL;
    int64_t expect = -count / 2;
    int ordered = 1;
    int rc;
    CHECK_OK(it_map_cursor(m, NULL, 0, NULL, 0, &c));
    for (rc = it_cursor_first(c); rc == IT_OK; rc = it_cursor_next(c)) {
      int64_t got;
      if (it_cursor_value(c, &v) != IT_OK || v.size != sizeof got) {
        ordered = 0;
        break;
      }
      memcpy(&got, v.data, sizeof got);
      it_buf_free(&v);
      if (got - count / 2 != expect) ordered = 0;
      ++expect;
    }
    CHECK_RC(rc, IT_DONE);
    CHECK(ordered);
    CHECK(expect == count / 2);
    it_cursor_free(c);
  }
  it_key_builder_free(kb);
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
}

int main(void) {
  static const h_test tests[] = {
      {"map_basics", test_map_basics},
      {"map_binary_and_empty", test_map_binary_and_empty},
      {"map_conditional", test_map_conditional},
      {"map_ranges", test_map_ranges},
      {"cursors", test_cursors},
      {"sets", test_sets},
      {"lists", test_lists},
      {"values", test_values},
      {"field_types", test_field_types},
      {"many_entries", test_many_entries},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
