/* Error paths: NULL handles, closed handles, handles outliving their tree, wrong
 * credentials, tampered objects, limits, a second writer. */
#include "harness.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

static void test_null_handles(void) {
  it_buf b = {NULL, 0};
  uint64_t n;
  it_map* m = NULL;
  it_set* s = NULL;
  it_list* l = NULL;
  it_value* v = NULL;
  it_cursor* c = NULL;
  it_view* view = NULL;
  it_tree* t = NULL;
  it_commit* commit = NULL;
  it_log* log = NULL;
  it_names* names = NULL;
  it_diff* d = NULL;
  it_stats st = IT_STATS_INIT;
  it_backend* be = NULL;

  CHECK_RC(it_tree_create(NULL, "u", "p", 1, NULL, &t), IT_EINVAL);
  CHECK_RC(it_tree_open(NULL, "u", "p", 1, NULL, &t), IT_EINVAL);
  CHECK_OK(it_backend_new_memory(&be));
  CHECK_RC(it_tree_create(be, NULL, "p", 1, NULL, &t), IT_EINVAL);
  CHECK_RC(it_tree_create(be, "u", NULL, 1, NULL, &t), IT_EINVAL);
  CHECK_RC(it_tree_create(be, "u", "p", 1, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_open(be, "u", "p", 1, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_backend_new_memory(NULL), IT_EINVAL);
  it_backend_free(be);
  CHECK(t == NULL);

  CHECK_RC(it_tree_close(NULL), IT_EINVAL);
  CHECK_RC(H_YES(it_tree_is_read_only(NULL, &h_flag)), IT_EINVAL);
  {
    /* A predicate's answer never hides in its status: with a NULL tree the call fails and
     * *out is untouched, so `if (it_tree_is_read_only(t, &ro) == IT_OK && ro)` is false. */
    int ro = 7;
    CHECK(it_tree_is_read_only(NULL, &ro) != IT_OK && ro == 7);
  }
  CHECK_RC(it_tree_map(NULL, "m", &m), IT_EINVAL);
  CHECK_RC(it_tree_set(NULL, "s", &s), IT_EINVAL);
  CHECK_RC(it_tree_list(NULL, "l", &l), IT_EINVAL);
  CHECK_RC(it_tree_value(NULL, "v", &v), IT_EINVAL);
  CHECK_RC(it_tree_fields(NULL, &names), IT_EINVAL);
  CHECK_RC(H_YES(it_tree_contains_field(NULL, "m", &h_flag)), IT_EINVAL);
  CHECK_RC(it_tree_rename_field(NULL, "a", "b"), IT_EINVAL);
  CHECK_RC(it_tree_delete_field(NULL, "a"), IT_EINVAL);
  CHECK_RC(it_tree_commit(NULL, "m", NULL, 0, NULL, &commit), IT_EINVAL);
  CHECK_RC(it_tree_rollback(NULL), IT_EINVAL);
  CHECK_RC(H_YES(it_tree_is_modified(NULL, &h_flag)), IT_EINVAL);
  CHECK_RC(it_tree_log(NULL, IT_LOG_ALL, NULL, NULL, &log), IT_EINVAL);
  CHECK_RC(it_tree_get_commit(NULL, "abcd", &commit), IT_EINVAL);
  CHECK_RC(it_tree_get_commit(NULL, NULL, &commit), IT_EINVAL);
  CHECK_RC(it_tree_checkout(NULL, "main", &view), IT_EINVAL);
  CHECK_RC(it_tree_diff(NULL, "m", "a", "b", &d), IT_EINVAL);
  CHECK_RC(it_tree_current_branch(NULL, &b), IT_EINVAL);
  CHECK_RC(it_tree_create_branch(NULL, "b", NULL), IT_EINVAL);
  CHECK_RC(it_tree_switch_branch(NULL, "b"), IT_EINVAL);
  CHECK_RC(it_tree_delete_branch(NULL, "b"), IT_EINVAL);
  CHECK_RC(it_tree_branches(NULL, &names), IT_EINVAL);
  CHECK_RC(it_tree_create_tag(NULL, "t", "abcd"), IT_EINVAL);
  CHECK_RC(it_tree_delete_tag(NULL, "t"), IT_EINVAL);
  CHECK_RC(it_tree_tags(NULL, &names), IT_EINVAL);
  CHECK_RC(it_tree_resolve(NULL, "main", &b), IT_EINVAL);
  CHECK_RC(it_tree_change_password(NULL, "u", "p", 1, 64, 1, 1), IT_EINVAL);
  CHECK_RC(it_tree_stats(NULL, &st), IT_EINVAL);

  CHECK_RC(it_view_map(NULL, "m", &m), IT_EINVAL);
  CHECK_RC(it_view_set(NULL, "s", &s), IT_EINVAL);
  CHECK_RC(it_view_list(NULL, "l", &l), IT_EINVAL);
  CHECK_RC(it_view_value(NULL, "v", &v), IT_EINVAL);
  CHECK_RC(it_view_fields(NULL, &names), IT_EINVAL);
  CHECK_RC(H_YES(it_view_contains_field(NULL, "m", &h_flag)), IT_EINVAL);
  CHECK_RC(it_view_get_commit(NULL, &commit), IT_EINVAL);

  CHECK_RC(it_map_get(NULL, "k", 1, &b), IT_EINVAL);
  CHECK_RC(it_map_put(NULL, "k", 1, "v", 1), IT_EINVAL);
  CHECK_RC(H_YES(it_map_put_if_absent(NULL, "k", 1, "v", 1, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_map_compare_and_swap(NULL, "k", 1, 0, NULL, 0, 0, NULL, 0, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_map_remove(NULL, "k", 1, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_map_contains(NULL, "k", 1, &h_flag)), IT_EINVAL);
  CHECK_RC(it_map_count(NULL, &n), IT_EINVAL);
  CHECK_RC(it_map_count_range(NULL, NULL, 0, NULL, 0, &n), IT_EINVAL);
  CHECK_RC(it_map_remove_range(NULL, NULL, 0, NULL, 0, &n), IT_EINVAL);
  CHECK_RC(it_map_clear(NULL), IT_EINVAL);
  CHECK_RC(it_map_cursor(NULL, NULL, 0, NULL, 0, &c), IT_EINVAL);
  CHECK_RC(it_map_prefix_cursor(NULL, "p", 1, &c), IT_EINVAL);

  CHECK_RC(H_YES(it_cursor_is_valid(NULL, &h_flag)), IT_EINVAL);
  CHECK_RC(it_cursor_key(NULL, &b), IT_EINVAL);
  CHECK_RC(it_cursor_value(NULL, &b), IT_EINVAL);
  CHECK_RC(it_cursor_entry(NULL, &b, &b), IT_EINVAL);
  CHECK_RC(it_cursor_first(NULL), IT_EINVAL);
  CHECK_RC(it_cursor_last(NULL), IT_EINVAL);
  CHECK_RC(it_cursor_seek(NULL, "k", 1), IT_EINVAL);
  CHECK_RC(it_cursor_seek_for_prev(NULL, "k", 1), IT_EINVAL);
  CHECK_RC(it_cursor_next(NULL), IT_EINVAL);
  CHECK_RC(it_cursor_prev(NULL), IT_EINVAL);

  CHECK_RC(H_YES(it_set_insert(NULL, "k", 1, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_set_contains(NULL, "k", 1, &h_flag)), IT_EINVAL);
  CHECK_RC(H_YES(it_set_remove(NULL, "k", 1, &h_flag)), IT_EINVAL);
  CHECK_RC(it_set_count(NULL, &n), IT_EINVAL);
  CHECK_RC(it_set_cursor(NULL, NULL, 0, NULL, 0, &c), IT_EINVAL);
  CHECK_RC(it_list_push(NULL, "v", 1, &n), IT_EINVAL);
  CHECK_RC(it_list_get(NULL, 0, &b), IT_EINVAL);
  CHECK_RC(it_list_set(NULL, 0, "v", 1), IT_EINVAL);
  CHECK_RC(it_list_remove_last(NULL), IT_EINVAL);
  CHECK_RC(it_list_count(NULL, &n), IT_EINVAL);
  CHECK_RC(it_value_get(NULL, &b), IT_EINVAL);
  CHECK_RC(it_value_set(NULL, "v", 1), IT_EINVAL);
  CHECK_RC(it_value_clear(NULL), IT_EINVAL);

  CHECK(m == NULL && s == NULL && l == NULL && v == NULL && c == NULL && view == NULL);
  CHECK(commit == NULL && log == NULL && names == NULL && d == NULL && b.data == NULL);
  CHECK(it_error_code() == IT_EINVAL);
}

/* After it_tree_close every handle made from the tree answers IT_ECLOSED. */
static void test_closed_handles(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_set* s = NULL;
  it_list* l = NULL;
  it_value* v = NULL;
  it_cursor* c = NULL;
  it_view* view = NULL;
  it_map* vm = NULL;
  it_cursor* vc = NULL;
  it_commit* commit = NULL;
  it_log* log = NULL;
  it_names* names = NULL;
  it_buf b = {NULL, 0};
  uint64_t n;
  it_stats st = IT_STATS_INIT;

  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_tree_set(t, "s", &s));
  CHECK_OK(it_tree_list(t, "l", &l));
  CHECK_OK(it_tree_value(t, "v", &v));
  CHECK_OK(it_map_put(m, "k", 1, "v", 1));
  CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, &commit));
  CHECK_OK(it_map_cursor(m, NULL, 0, NULL, 0, &c));
  CHECK_OK(it_tree_checkout(t, H_STR(it_commit_id(commit, &h_buf)), &view));
  CHECK_OK(it_view_map(view, "m", &vm));
  CHECK_OK(it_map_cursor(vm, NULL, 0, NULL, 0, &vc));
  CHECK_OK(it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log));

  CHECK_OK(it_tree_close(t));
  CHECK_OK(it_tree_close(t)); /* twice is fine */

  CHECK_RC(it_map_get(m, "k", 1, &b), IT_ECLOSED);
  CHECK_RC(it_map_put(m, "k", 1, "v", 1), IT_ECLOSED);
  CHECK_RC(H_YES(it_map_contains(m, "k", 1, &h_flag)), IT_ECLOSED);
  CHECK_RC(it_map_count(m, &n), IT_ECLOSED);
  CHECK_RC(H_YES(it_map_remove(m, "k", 1, &h_flag)), IT_ECLOSED);
  CHECK_RC(it_map_cursor(m, NULL, 0, NULL, 0, &c), IT_ECLOSED);
  CHECK_RC(H_YES(it_set_insert(s, "k", 1, &h_flag)), IT_ECLOSED);
  CHECK_RC(it_set_count(s, &n), IT_ECLOSED);
  CHECK_RC(it_list_push(l, "x", 1, NULL), IT_ECLOSED);
  CHECK_RC(it_list_count(l, &n), IT_ECLOSED);
  CHECK_RC(it_value_get(v, &b), IT_ECLOSED);
  CHECK_RC(it_value_set(v, "x", 1), IT_ECLOSED);
  CHECK_RC(H_YES(it_cursor_is_valid(c, &h_flag)), IT_ECLOSED);
  CHECK_RC(it_cursor_key(c, &b), IT_ECLOSED);
  CHECK_RC(it_cursor_next(c), IT_ECLOSED);
  CHECK_RC(it_cursor_first(c), IT_ECLOSED);
  /* Checkouts and what was made from them close with their tree. */
  CHECK_RC(H_YES(it_view_contains_field(view, "m", &h_flag)), IT_ECLOSED);
  CHECK_RC(it_map_get(vm, "k", 1, &b), IT_ECLOSED);
  CHECK_RC(it_cursor_seek(vc, "k", 1), IT_ECLOSED);
  /* The tree itself. */
  CHECK_RC(it_tree_map(t, "m", &m), IT_ECLOSED);
  CHECK_RC(it_tree_commit(t, "x", NULL, 0, NULL, NULL), IT_ECLOSED);
  CHECK_RC(H_YES(it_tree_is_modified(t, &h_flag)), IT_ECLOSED);
  CHECK_RC(it_tree_rollback(t), IT_ECLOSED);
  CHECK_RC(it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log), IT_ECLOSED);
  CHECK_RC(it_tree_get_commit(t, NULL, &commit), IT_ECLOSED);
  CHECK_RC(it_tree_checkout(t, "main", &view), IT_ECLOSED);
  CHECK_RC(it_tree_branches(t, &names), IT_ECLOSED);
  CHECK_RC(it_tree_stats(t, &st), IT_ECLOSED);
  CHECK_RC(it_tree_current_branch(t, &b), IT_ECLOSED);
  CHECK(it_error_code() == IT_ECLOSED);
  CHECK(b.data == NULL && names == NULL);
  /* Result handles are plain data: still readable. */
  CHECK(H_U64(it_log_count(log, &h_u64)) == 1);
  CHECK(strlen(H_STR(it_commit_id(commit, &h_buf))) == 32);

  it_map_free(m);
  it_set_free(s);
  it_list_free(l);
  it_value_free(v);
  it_cursor_free(c);
  it_cursor_free(vc);
  it_map_free(vm);
  it_view_free(view);
  it_log_free(log);
  it_commit_free(commit);
  it_tree_free(t);
}

/* Freeing the tree first (and the backend, and the view) must not crash the handles that
 * remain: they answer IT_ECLOSED and free cleanly (ASan checks the "cleanly"). */
static void test_free_tree_first(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_cursor* c = NULL;
  it_view* view = NULL;
  it_map* vm = NULL;
  it_buf b = {NULL, 0};
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_map_put(m, "k", 1, "v", 1));
  CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
  CHECK_OK(it_map_cursor(m, NULL, 0, NULL, 0, &c));
  CHECK_OK(it_tree_checkout(t, "main", &view));
  CHECK_OK(it_view_map(view, "m", &vm));
  it_view_free(view);
  it_tree_free(t);
  CHECK_RC(it_map_get(m, "k", 1, &b), IT_ECLOSED);
  CHECK_RC(it_map_get(vm, "k", 1, &b), IT_ECLOSED);
  CHECK_RC(it_cursor_next(c), IT_ECLOSED);
  it_cursor_free(c);
  it_map_free(vm);
  it_map_free(m);
}

static void test_wrong_credentials(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_options* o = h_fast_options();
  const char* dir = h_scratch();
  CHECK_OK(it_backend_new_directory(dir, &b));
  /* Nothing there yet: an empty store holds no tree at all. */
  CHECK_RC(it_tree_open(b, "u", "p", 1, o, &t), IT_ENOTFOUND);
  CHECK_OK(it_tree_create(b, "u", "secret", 6, o, &t));
  it_tree_free(t);
  t = NULL;
  CHECK_RC(it_tree_open(b, "u", "wrong", 5, o, &t), IT_ECREDENTIALS);
  CHECK(strlen(it_error_message()) > 0);
  CHECK_RC(it_tree_open(b, "someone", "secret", 6, o, &t), IT_ECREDENTIALS);
  CHECK_RC(it_tree_open(b, "u", "secret", 5, o, &t), IT_ECREDENTIALS); /* length counts */
  CHECK(t == NULL);
  /* Creating again with the same credentials. */
  CHECK_RC(it_tree_create(b, "u", "secret", 6, o, &t), IT_EEXISTS);
  {
    /* User names are 1 to IT_MAX_NAME_SIZE bytes, as the header says. */
    char name[IT_MAX_NAME_SIZE + 2];
    memset(name, 'n', IT_MAX_NAME_SIZE);
    name[IT_MAX_NAME_SIZE] = 0;
    CHECK_OK(it_tree_create(b, name, "secret", 6, o, &t)); /* exactly the limit */
    it_tree_free(t);
    t = NULL;
    name[IT_MAX_NAME_SIZE] = 'n';
    name[IT_MAX_NAME_SIZE + 1] = 0;
    CHECK_RC(it_tree_create(b, name, "secret", 6, o, &t), IT_EINVAL);
    CHECK(strstr(it_error_message(), "255") != NULL);
    CHECK_RC(it_tree_open(b, name, "secret", 6, o, &t), IT_EINVAL);
    CHECK_RC(it_tree_create(b, "", "secret", 6, o, &t), IT_EINVAL);
    CHECK(t == NULL);
  }
  CHECK_OK(it_tree_open(b, "u", "secret", 6, o, &t));
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
}

/* Object files of a directory store: paths of regular files under dir (up to max). */
static size_t list_objects(const char* dir, char names[][1024], size_t max) {
  DIR* top = opendir(dir);
  struct dirent* e;
  size_t count = 0;
  if (!top) return 0;
  while ((e = readdir(top)) != NULL) {
    char sub[512];
    DIR* d;
    struct dirent* f;
    struct stat st;
    if (e->d_name[0] == '.') continue;
    snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
    if (stat(sub, &st) != 0) continue;
    if (S_ISREG(st.st_mode)) {
      if (count < max) snprintf(names[count++], 1024, "%s", sub);
      continue;
    }
    if (!S_ISDIR(st.st_mode) || !(d = opendir(sub))) continue;
    while ((f = readdir(d)) != NULL) {
      if (f->d_name[0] == '.') continue;
      if (count < max) snprintf(names[count++], 1024, "%s/%s", sub, f->d_name);
    }
    closedir(d);
  }
  closedir(top);
  return count;
}

static int contains_name(char names[][1024], size_t n, const char* s) {
  size_t i;
  for (i = 0; i < n; ++i)
    if (strcmp(names[i], s) == 0) return 1;
  return 0;
}

/* Flips bytes where every object's first chunk lives (offset 0 for storage objects, 4096
 * after the header of index objects). */
static int tamper(const char* path) {
  static const long offsets[] = {0, 1, 2, 3, 4096, 4097, 4098, 4099};
  size_t i;
  FILE* f = fopen(path, "r+b");
  if (!f) return 0;
  for (i = 0; i < sizeof offsets / sizeof offsets[0]; ++i) {
    int c;
    if (fseek(f, offsets[i], SEEK_SET) != 0 || (c = fgetc(f)) == EOF) break;
    fseek(f, offsets[i], SEEK_SET);
    fputc(c ^ 0x5a, f);
  }
  fclose(f);
  return 1;
}

static void test_tampered_object(void) {
  static char before[64][1024], after[64][1024];
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  it_options* o = h_fast_options();
  const char* dir = h_scratch();
  it_buf v = {NULL, 0};
  size_t nb, na, i, tampered = 0;
  int rc;
  char key[16];
  char value[3000];

  CHECK_OK(it_backend_new_directory(dir, &b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  it_tree_free(t);
  t = NULL;
  nb = list_objects(dir, before, 64);
  CHECK(nb >= 1); /* the root object */

  CHECK_OK(it_tree_open(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  /* Values over 1 KiB go to a storage object, which this commit creates (the index object
     is the one the first writer handed over, rewritten in place like the root). */
  memset(value, 'v', sizeof value);
  for (i = 0; i < 200; ++i) {
    snprintf(key, sizeof key, "key%03u", (unsigned)i);
    CHECK_OK(it_map_put(m, key, strlen(key), value, sizeof value));
  }
  CHECK_OK(it_tree_commit(t, "data", NULL, 0, NULL, NULL));
  it_map_free(m);
  m = NULL;
  it_tree_free(t);
  t = NULL;
  /* Every object the commit added (the root object is rewritten in place: excluded). */
  na = list_objects(dir, after, 64);
  for (i = 0; i < na; ++i)
    if (!contains_name(before, nb, after[i])) tampered += (size_t)tamper(after[i]);
  CHECK(tampered >= 1);

  /* The damage is detected when opening or at the first read: never wrong data. */
  rc = it_tree_open(b, "u", "p", 1, o, &t);
  if (rc == IT_OK) {
    rc = it_tree_map(t, "m", &m);
    if (rc == IT_OK) rc = it_map_get(m, "key000", 6, &v); /* its chunk is at offset 0 */
  }
  CHECK_RC(rc, IT_ECORRUPT);
  CHECK(v.data == NULL);
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
}

static void test_too_large(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_list* l = NULL;
  it_value* v = NULL;
  it_set* s = NULL;
  uint64_t n = 0;
  char* key = calloc(IT_MAX_KEY_SIZE + 1, 1);
  /* Never touched: the limit is checked before the bytes are read. Allocated so that the
   * pointer/length pair is honest. */
  char* big = malloc((size_t)IT_MAX_VALUE_SIZE + 1);
  CHECK(key != NULL && big != NULL);
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_tree_set(t, "s", &s));
  CHECK_OK(it_tree_list(t, "l", &l));
  CHECK_OK(it_tree_value(t, "v", &v));
  CHECK_OK(it_map_put(m, key, IT_MAX_KEY_SIZE, "v", 1)); /* at the limit: fine */
  CHECK_RC(it_map_put(m, key, IT_MAX_KEY_SIZE + 1, "v", 1), IT_ETOOLARGE);
  CHECK(strstr(it_error_message(), "key") != NULL);
  CHECK_RC(H_YES(it_set_insert(s, key, IT_MAX_KEY_SIZE + 1, &h_flag)), IT_ETOOLARGE);
  if (big) {
    CHECK_RC(it_map_put(m, "k", 1, big, (size_t)IT_MAX_VALUE_SIZE + 1), IT_ETOOLARGE);
    CHECK_RC(it_list_push(l, big, (size_t)IT_MAX_VALUE_SIZE + 1, NULL), IT_ETOOLARGE);
    CHECK_RC(it_value_set(v, big, (size_t)IT_MAX_VALUE_SIZE + 1), IT_ETOOLARGE);
  }
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == 1);
  free(key);
  free(big);
  it_map_free(m);
  it_set_free(s);
  it_list_free(l);
  it_value_free(v);
  it_tree_free(t);
}

static void test_locked(void) {
  it_backend* b = NULL;
  it_backend* b2 = NULL;
  it_tree* t = NULL;
  it_tree* t2 = NULL;
  it_options* o = h_fast_options();
  const char* dir = h_scratch();
  /* Two handles on one directory, as two programs would have. */
  CHECK_OK(it_backend_new_directory(dir, &b));
  CHECK_OK(it_backend_new_directory(dir, &b2));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  CHECK_RC(it_tree_open(b2, "u", "p", 1, o, &t2), IT_ELOCKED);
  CHECK(t2 == NULL);
  /* Closing releases the lock. */
  CHECK_OK(it_tree_close(t));
  CHECK_OK(it_tree_open(b2, "u", "p", 1, o, &t2));
  it_tree_free(t2);
  it_tree_free(t);
  it_backend_free(b);
  it_backend_free(b2);

  /* The memory backend locks too. */
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  t2 = NULL;
  CHECK_RC(it_tree_open(b, "u", "p", 1, o, &t2), IT_ELOCKED);
  it_tree_free(t);
  CHECK_OK(it_tree_open(b, "u", "p", 1, o, &t2));
  it_tree_free(t2);
  it_backend_free(b);
  it_options_free(o);
}

/* Errors are per thread: covered by the message staying put across calls here. */
static void test_error_messages(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_buf b = {NULL, 0};
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_RC(it_map_get(m, "missing", 7, &b), IT_ENOTFOUND);
  CHECK(strlen(it_error_message()) > 0);
  CHECK_RC(it_tree_switch_branch(t, "nope"), IT_ENOTFOUND);
  CHECK(strstr(it_error_message(), "nope") != NULL);
  it_map_free(m);
  it_tree_free(t);
}

int main(void) {
  static const h_test tests[] = {
      {"null_handles", test_null_handles},
      {"closed_handles", test_closed_handles},
      {"free_tree_first", test_free_tree_first},
      {"wrong_credentials", test_wrong_credentials},
      {"tampered_object", test_tampered_object},
      {"too_large", test_too_large},
      {"locked", test_locked},
      {"error_messages", test_error_messages},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
