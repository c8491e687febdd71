/* Commits, rollback, history, checkouts, diffs, branches, tags, fields, credentials, stats. */
#include "harness.h"

#include <stdlib.h>
#include <time.h>

static void put_str(it_map* m, const char* k, const char* v) {
  CHECK_OK(it_map_put(m, k, strlen(k), v, strlen(v)));
}

static int has(it_map* m, const char* k, const char* v) {
  it_buf b = {NULL, 0};
  int ok = it_map_get(m, k, strlen(k), &b) == IT_OK && b.size == strlen(v) &&
           memcmp(b.data, v, b.size) == 0;
  it_buf_free(&b);
  return ok;
}

/* Commits and returns the new commit's id (malloc'd), or NULL. */
static char* commit_id(it_tree* t, const char* msg) {
  it_commit* c = NULL;
  char* id = NULL;
  CHECK_OK(it_tree_commit(t, msg, NULL, 0, NULL, &c));
  CHECK(c != NULL);
  if (c) {
    const char* hex = H_STR(it_commit_id(c, &h_buf));
    CHECK(hex != NULL);
    id = malloc(strlen(hex ? hex : "") + 1);
    strcpy(id, hex ? hex : "");
  }
  it_commit_free(c);
  return id;
}

static void test_commit_and_rollback(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_commit* c = NULL;
  it_commit_options* co = NULL;
  it_buf buf = {NULL, 0};
  int64_t before = (int64_t)time(NULL) * 1000;

  CHECK_RC(H_YES(it_tree_is_modified(t, &h_flag)), 0);
  /* Nothing to commit: success, no commit. */
  c = (it_commit*)1;
  CHECK_OK(it_tree_commit(t, "empty", NULL, 0, NULL, &c));
  CHECK(c == NULL);
  CHECK_RC(it_tree_get_commit(t, NULL, &c), IT_ENOTFOUND);

  CHECK_OK(it_tree_map(t, "m", &m));
  put_str(m, "k", "v1");
  CHECK_RC(H_YES(it_tree_is_modified(t, &h_flag)), 1);
  CHECK_OK(it_tree_commit(t, "first", "\x01\x00\x02", 3, NULL, &c));
  CHECK(c != NULL);
  CHECK(strlen(H_STR(it_commit_id(c, &h_buf))) == 32);
  CHECK(H_U64(it_commit_parent_count(c, &h_u64)) == 0);
  CHECK_RC(it_commit_parent(c, 0, &buf), IT_ENOTFOUND);
  CHECK(H_U64(it_commit_sequence(c, &h_u64)) == 1);
  CHECK(H_I64(it_commit_time_ms(c, &h_i64)) >= before - 1000 && H_I64(it_commit_time_ms(c, &h_i64)) < before + 600000);
  CHECK(strcmp(H_STR(it_commit_branch(c, &h_buf)), "main") == 0);
  CHECK_OK(it_commit_message(c, &buf));
  CHECK_BUF(buf, "first");
  it_buf_free(&buf);
  CHECK_OK(it_commit_custom(c, &buf));
  CHECK(buf.size == 3 && memcmp(buf.data, "\x01\x00\x02", 3) == 0);
  it_buf_free(&buf);
  CHECK_RC(it_commit_message(c, NULL), IT_EINVAL);
  it_commit_free(c);
  c = NULL;
  CHECK_RC(H_YES(it_tree_is_modified(t, &h_flag)), 0);

  /* Rollback discards uncommitted changes. */
  put_str(m, "k", "v2");
  put_str(m, "other", "x");
  CHECK_OK(it_tree_rollback(t));
  CHECK(has(m, "k", "v1"));
  CHECK_RC(H_YES(it_map_contains(m, "other", 5, &h_flag)), 0);
  CHECK_RC(H_YES(it_tree_is_modified(t, &h_flag)), 0);

  /* Forced commit of nothing; out may be NULL. */
  CHECK_OK(it_commit_options_new(&co));
  CHECK_OK(it_commit_options_set_force(co, 1));
  CHECK_OK(it_tree_commit(t, "forced", NULL, 0, co, NULL));
  CHECK_OK(it_tree_get_commit(t, NULL, &c));
  CHECK(strcmp(H_STR(it_commit_message(c, &h_buf)), "forced") == 0);
  CHECK(H_U64(it_commit_sequence(c, &h_u64)) == 2);
  CHECK(H_U64(it_commit_parent_count(c, &h_u64)) == 1);
  it_commit_free(c);
  it_commit_options_free(co);

  CHECK_RC(it_tree_commit(t, NULL, NULL, 0, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_commit(t, "m", NULL, 5, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_get_commit(t, NULL, NULL), IT_EINVAL);
  /* Accessors of a NULL commit fail like every other call (rule 2), outputs untouched. */
  CHECK_RC(it_commit_id(NULL, &buf), IT_EINVAL);
  CHECK_RC(it_commit_parent_count(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_commit_parent(NULL, 0, &buf), IT_EINVAL);
  CHECK_RC(it_commit_time_ms(NULL, &h_i64), IT_EINVAL);
  CHECK_RC(it_commit_sequence(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_commit_branch(NULL, &buf), IT_EINVAL);
  CHECK_RC(it_commit_message(NULL, &buf), IT_EINVAL);
  CHECK_RC(it_commit_custom(NULL, &buf), IT_EINVAL);
  CHECK(buf.data == NULL && buf.size == 0);
  it_map_free(m);
  it_tree_free(t);
}

static void test_log_filters(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_log* log = NULL;
  it_commit* c = NULL;
  char* ids[4];
  char prefix[9];
  int i;
  CHECK_OK(it_tree_map(t, "m", &m));
  for (i = 0; i < 4; ++i) {
    char msg[16];
    snprintf(msg, sizeof msg, "c%d", i);
    put_str(m, "k", msg);
    ids[i] = commit_id(t, msg);
  }
  /* all: newest first */
  CHECK_OK(it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log));
  CHECK(H_U64(it_log_count(log, &h_u64)) == 4);
  for (i = 0; i < 4; ++i) {
    CHECK_OK(it_log_get(log, (size_t)i, &c));
    CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), ids[3 - i]) == 0);
    CHECK(H_U64(it_commit_sequence(c, &h_u64)) == (uint64_t)(4 - i));
    if (i < 3) CHECK(strcmp(H_STR(it_commit_parent(c, 0, &h_buf)), ids[2 - i]) == 0);
    it_commit_free(c);
    c = NULL;
  }
  CHECK_RC(it_log_get(log, 4, &c), IT_ENOTFOUND);
  CHECK_RC(it_log_get(log, 0, NULL), IT_EINVAL);
  CHECK_RC(it_log_get(NULL, 0, &c), IT_EINVAL);
  CHECK_RC(it_log_count(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_log_count(log, NULL), IT_EINVAL);
  it_log_free(log);
  /* single */
  CHECK_OK(it_tree_log(t, IT_LOG_SINGLE, ids[1], NULL, &log));
  CHECK(H_U64(it_log_count(log, &h_u64)) == 1);
  CHECK_OK(it_log_get(log, 0, &c));
  CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), ids[1]) == 0);
  it_commit_free(c);
  it_log_free(log);
  /* up_to, by a prefix of the id */
  memcpy(prefix, ids[2], 8);
  prefix[8] = 0;
  CHECK_OK(it_tree_log(t, IT_LOG_UP_TO, prefix, NULL, &log));
  CHECK(H_U64(it_log_count(log, &h_u64)) == 3);
  it_log_free(log);
  /* range: from ids[1] (oldest) to ids[3] (newest) */
  CHECK_OK(it_tree_log(t, IT_LOG_RANGE, ids[1], ids[3], &log));
  CHECK(H_U64(it_log_count(log, &h_u64)) == 3);
  CHECK_OK(it_log_get(log, 2, &c));
  CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), ids[1]) == 0);
  it_commit_free(c);
  it_log_free(log);
  log = NULL;
  /* bad filters */
  CHECK_RC(it_tree_log(t, 42, NULL, NULL, &log), IT_EINVAL);
  CHECK_RC(it_tree_log(t, (it_log_filter)0, NULL, NULL, &log), IT_EINVAL);
  CHECK_RC(it_tree_log(t, IT_LOG_RANGE, ids[3], ids[1], &log), IT_EINVAL); /* not an ancestor */
  CHECK_RC(it_tree_log(t, IT_LOG_SINGLE, "ffffffffffffffffffffffffffffffff", NULL, &log),
           IT_ENOTFOUND);
  CHECK_RC(it_tree_log(t, IT_LOG_ALL, NULL, NULL, NULL), IT_EINVAL);
  CHECK(log == NULL);
  /* NULL refs are the head: single(NULL) is the newest commit, range(ids[1], NULL) ends
   * there too. */
  CHECK_OK(it_tree_log(t, IT_LOG_SINGLE, NULL, NULL, &log));
  CHECK(H_U64(it_log_count(log, &h_u64)) == 1);
  CHECK_OK(it_log_get(log, 0, &c));
  CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), ids[3]) == 0);
  it_commit_free(c);
  c = NULL;
  it_log_free(log);
  log = NULL;
  CHECK_OK(it_tree_log(t, IT_LOG_RANGE, ids[1], NULL, &log));
  CHECK(H_U64(it_log_count(log, &h_u64)) == 3);
  it_log_free(log);
  log = NULL;
  /* commit_info by id and prefix */
  CHECK_OK(it_tree_get_commit(t, prefix, &c));
  CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), ids[2]) == 0);
  CHECK(strcmp(H_STR(it_commit_message(c, &h_buf)), "c2") == 0);
  it_commit_free(c);
  c = NULL;
  CHECK_RC(it_tree_get_commit(t, "ffffffffffffffffffffffffffffffff", &c), IT_ENOTFOUND);
  /* A NULL ref is the head (rule 4 of the header). */
  CHECK_OK(it_tree_get_commit(t, NULL, &c));
  CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), ids[3]) == 0);
  it_commit_free(c);
  c = NULL;
  CHECK_RC(it_tree_get_commit(t, ids[0], NULL), IT_EINVAL);
  for (i = 0; i < 4; ++i) free(ids[i]);
  it_map_free(m);
  it_tree_free(t);
}

static void test_checkout(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_set* s = NULL;
  it_list* l = NULL;
  it_value* v = NULL;
  it_view* view = NULL;
  it_map* vm = NULL;
  it_set* vs = NULL;
  it_list* vl = NULL;
  it_value* vv = NULL;
  it_commit* c = NULL;
  it_names* names = NULL;
  it_buf b = {NULL, 0};
  uint64_t n = 0;
  char* first;

  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_tree_set(t, "s", &s));
  CHECK_OK(it_tree_list(t, "l", &l));
  CHECK_OK(it_tree_value(t, "v", &v));
  put_str(m, "k", "old");
  CHECK_RC(H_YES(it_set_insert(s, "member", 6, &h_flag)), 1);
  CHECK_OK(it_list_push(l, "e0", 2, NULL));
  CHECK_OK(it_value_set(v, "val", 3));
  first = commit_id(t, "first");
  put_str(m, "k", "new");
  put_str(m, "k2", "added");
  CHECK_OK(it_value_clear(v));
  CHECK_OK(it_tree_commit(t, "second", NULL, 0, NULL, NULL));

  CHECK_OK(it_tree_checkout(t, first, &view));
  CHECK_OK(it_view_get_commit(view, &c));
  CHECK(strcmp(H_STR(it_commit_id(c, &h_buf)), first) == 0);
  it_commit_free(c);
  CHECK_OK(it_view_fields(view, &names));
  CHECK(H_U64(it_names_count(names, &h_u64)) == 4);
  it_names_free(names);
  CHECK_RC(H_YES(it_view_contains_field(view, "m", &h_flag)), 1);
  CHECK_RC(H_YES(it_view_contains_field(view, "nope", &h_flag)), 0);

  CHECK_OK(it_view_map(view, "m", &vm));
  CHECK(has(vm, "k", "old"));
  CHECK_RC(H_YES(it_map_contains(vm, "k2", 2, &h_flag)), 0);
  CHECK_OK(it_map_count(vm, &n));
  CHECK(n == 1);
  /* read-only */
  CHECK_RC(it_map_put(vm, "x", 1, "y", 1), IT_EREADONLY);
  CHECK_RC(H_YES(it_map_remove(vm, "k", 1, &h_flag)), IT_EREADONLY);
  CHECK_OK(it_view_set(view, "s", &vs));
  CHECK_RC(H_YES(it_set_contains(vs, "member", 6, &h_flag)), 1);
  CHECK_RC(H_YES(it_set_insert(vs, "more", 4, &h_flag)), IT_EREADONLY);
  CHECK_OK(it_view_list(view, "l", &vl));
  CHECK_OK(it_list_get(vl, 0, &b));
  CHECK_BUF(b, "e0");
  it_buf_free(&b);
  CHECK_RC(it_list_push(vl, "x", 1, NULL), IT_EREADONLY);
  CHECK_OK(it_view_value(view, "v", &vv));
  CHECK_OK(it_value_get(vv, &b));
  CHECK_BUF(b, "val");
  it_buf_free(&b);
  CHECK_RC(it_value_set(vv, "x", 1), IT_EREADONLY);
  /* Fields the commit did not have: not found, not created. */
  {
    it_map* none = NULL;
    it_set* snone = NULL;
    it_list* lnone = NULL;
    it_value* vnone = NULL;
    CHECK_RC(it_view_map(view, "nope", &none), IT_ENOTFOUND);
    CHECK_RC(it_view_set(view, "nope", &snone), IT_ENOTFOUND);
    CHECK_RC(it_view_list(view, "nope", &lnone), IT_ENOTFOUND);
    CHECK_RC(it_view_value(view, "nope", &vnone), IT_ENOTFOUND);
    CHECK(none == NULL && snone == NULL && lnone == NULL && vnone == NULL);
    CHECK_RC(it_view_map(view, "s", &none), IT_EINVAL); /* another type */
  }
  /* A view by branch name shows the head; the working tree is unaffected by views. */
  it_view_free(view);
  view = NULL;
  CHECK_OK(it_tree_checkout(t, "main", &view));
  {
    it_map* hm = NULL;
    CHECK_OK(it_view_map(view, "m", &hm));
    CHECK(has(hm, "k2", "added"));
    it_map_free(hm);
  }
  /* A map of a view stays usable after the view handle is freed. */
  it_view_free(view);
  CHECK(has(vm, "k", "old"));
  CHECK_RC(it_tree_checkout(t, "no-such-ref", &view), IT_ENOTFOUND);
  CHECK_OK(it_tree_checkout(t, NULL, &view)); /* the head */
  CHECK_OK(it_view_get_commit(view, &c));
  {
    it_buf head = {NULL, 0};
    CHECK_OK(it_tree_resolve(t, NULL, &head));
    CHECK(head.data && strcmp(H_STR(it_commit_id(c, &h_buf)), (const char*)head.data) == 0);
    it_buf_free(&head);
  }
  it_commit_free(c);
  it_view_free(view);
  view = NULL;
  CHECK_RC(it_tree_checkout(t, first, NULL), IT_EINVAL);
  CHECK_RC(it_view_map(NULL, "m", &vm), IT_EINVAL);
  free(first);
  it_map_free(vm);
  it_set_free(vs);
  it_list_free(vl);
  it_value_free(vv);
  it_map_free(m);
  it_set_free(s);
  it_list_free(l);
  it_value_free(v);
  it_tree_free(t);
}

static void test_diff(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_diff* d = NULL;
  char *a, *b;
  it_buf key = {NULL, 0}, oldv = {NULL, 0}, newv = {NULL, 0};
  int has_old = -1, has_new = -1;
  CHECK_OK(it_tree_map(t, "m", &m));
  put_str(m, "changed", "1");
  put_str(m, "removed", "x");
  put_str(m, "same", "s");
  a = commit_id(t, "a");
  put_str(m, "changed", "2");
  CHECK_RC(H_YES(it_map_remove(m, "removed", 7, &h_flag)), 1);
  put_str(m, "added", "new");
  b = commit_id(t, "b");
  CHECK_OK(it_tree_diff(t, "m", a, b, &d));
  CHECK(H_U64(it_diff_count(d, &h_u64)) == 3);
  /* key order: added, changed, removed */
  CHECK_OK(it_diff_get(d, 0, &key, &has_old, &oldv, &has_new, &newv));
  CHECK_BUF(key, "added");
  CHECK(has_old == 0 && oldv.size == 0 && oldv.data != NULL);
  CHECK(has_new == 1);
  CHECK_BUF(newv, "new");
  it_buf_free(&key);
  it_buf_free(&oldv);
  it_buf_free(&newv);
  CHECK_OK(it_diff_get(d, 1, &key, &has_old, &oldv, &has_new, &newv));
  CHECK_BUF(key, "changed");
  CHECK(has_old == 1 && has_new == 1);
  CHECK_BUF(oldv, "1");
  CHECK_BUF(newv, "2");
  it_buf_free(&key);
  it_buf_free(&oldv);
  it_buf_free(&newv);
  CHECK_OK(it_diff_get(d, 2, &key, &has_old, &oldv, &has_new, &newv));
  CHECK_BUF(key, "removed");
  CHECK(has_old == 1 && has_new == 0 && newv.size == 0);
  CHECK_BUF(oldv, "x");
  it_buf_free(&key);
  it_buf_free(&oldv);
  it_buf_free(&newv);
  /* Every output is required; failures leave them untouched. */
  CHECK_RC(it_diff_get(d, 2, NULL, &has_old, &oldv, &has_new, &newv), IT_EINVAL);
  CHECK_RC(it_diff_get(d, 2, &key, NULL, &oldv, &has_new, &newv), IT_EINVAL);
  CHECK_RC(it_diff_get(d, 2, &key, &has_old, &oldv, &has_new, NULL), IT_EINVAL);
  CHECK_RC(it_diff_get(d, 3, &key, &has_old, &oldv, &has_new, &newv), IT_ENOTFOUND);
  CHECK_RC(it_diff_get(NULL, 0, &key, &has_old, &oldv, &has_new, &newv), IT_EINVAL);
  CHECK(key.data == NULL && oldv.data == NULL && newv.data == NULL);
  CHECK_RC(it_diff_count(NULL, &h_u64), IT_EINVAL);
  it_diff_free(d);
  d = NULL;
  /* The reverse diff swaps old and new; a diff with itself is empty. */
  CHECK_OK(it_tree_diff(t, "m", b, a, &d));
  CHECK(H_U64(it_diff_count(d, &h_u64)) == 3);
  CHECK_OK(it_diff_get(d, 0, &key, &has_old, &oldv, &has_new, &newv));
  CHECK(has_old == 1 && has_new == 0);
  it_buf_free(&key);
  it_buf_free(&oldv);
  it_buf_free(&newv);
  it_diff_free(d);
  CHECK_OK(it_tree_diff(t, "m", a, a, &d));
  CHECK(H_U64(it_diff_count(d, &h_u64)) == 0);
  it_diff_free(d);
  d = NULL;
  /* NULL refs are the head: b is the head, so (a, NULL) is (a, b). */
  CHECK_OK(it_tree_diff(t, "m", a, NULL, &d));
  CHECK(H_U64(it_diff_count(d, &h_u64)) == 3);
  it_diff_free(d);
  d = NULL;
  CHECK_OK(it_tree_diff(t, "m", NULL, b, &d));
  CHECK(H_U64(it_diff_count(d, &h_u64)) == 0);
  it_diff_free(d);
  d = NULL;
  CHECK_RC(it_tree_diff(t, NULL, a, b, &d), IT_EINVAL);
  CHECK_RC(it_tree_diff(t, "m", a, b, NULL), IT_EINVAL);
  CHECK_RC(it_tree_diff(t, "m", a, "zzzz-no-ref", &d), IT_ENOTFOUND);
  free(a);
  free(b);
  it_map_free(m);
  it_tree_free(t);
}

/* Returns the target of `name` in a name list, "" if the entry has none, NULL if absent. */
static const char* target_of(it_names* names, const char* name) {
  size_t i;
  for (i = 0; i < H_U64(it_names_count(names, &h_u64)); ++i)
    if (strcmp(H_STR(it_names_name(names, i, &h_buf)), name) == 0) {
      const char* t = H_STR(it_names_target(names, i, &h_buf));
      return t ? t : "";
    }
  return NULL;
}

static void test_branches_and_tags(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_names* names = NULL;
  it_buf b = {NULL, 0};
  char *c1, *c2;
  CHECK_OK(it_tree_current_branch(t, &b));
  CHECK_BUF(b, "main");
  it_buf_free(&b);
  CHECK_OK(it_tree_branches(t, &names));
  CHECK(target_of(names, "main") != NULL && strcmp(target_of(names, "main"), "") == 0);
  it_names_free(names);

  CHECK_OK(it_tree_map(t, "m", &m));
  put_str(m, "k", "main1");
  c1 = commit_id(t, "main1");
  CHECK_OK(it_tree_create_branch(t, "feature", NULL)); /* at head */
  CHECK_OK(it_tree_switch_branch(t, "feature"));
  CHECK_OK(it_tree_current_branch(t, &b));
  CHECK_BUF(b, "feature");
  it_buf_free(&b);
  put_str(m, "k", "feature1");
  c2 = commit_id(t, "feature1");
  /* Switching with uncommitted changes is a conflict. */
  put_str(m, "dirty", "1");
  CHECK_RC(it_tree_switch_branch(t, "main"), IT_ECONFLICT);
  CHECK_OK(it_tree_rollback(t));
  CHECK_OK(it_tree_switch_branch(t, "main"));
  CHECK(has(m, "k", "main1"));
  CHECK_OK(it_tree_branches(t, &names));
  CHECK(H_U64(it_names_count(names, &h_u64)) == 2);
  CHECK(strcmp(target_of(names, "main"), c1) == 0);
  CHECK(strcmp(target_of(names, "feature"), c2) == 0);
  /* Branches have no field type. */
  CHECK_RC(H_FIELD_TYPE(it_names_type(names, 0, &h_ftype)), IT_ENOTFOUND);
  it_names_free(names);
  CHECK_OK(it_tree_resolve(t, "feature", &b));
  CHECK(strcmp((const char*)b.data, c2) == 0);
  it_buf_free(&b);
  CHECK_OK(it_tree_create_branch(t, "old", c1));
  CHECK_RC(it_tree_create_branch(t, "old", c1), IT_EEXISTS);
  CHECK_RC(it_tree_create_branch(t, "bad", "ffffffffffffffffffffffffffffffff"), IT_ENOTFOUND);
  CHECK_OK(it_tree_delete_branch(t, "old"));
  CHECK_RC(it_tree_delete_branch(t, "old"), IT_ENOTFOUND);
  CHECK_RC(it_tree_switch_branch(t, "old"), IT_ENOTFOUND);

  /* Tags stay put. */
  CHECK_OK(it_tree_create_tag(t, "v1", c1));
  CHECK_RC(it_tree_create_tag(t, "v1", c2), IT_EEXISTS);
  CHECK_OK(it_tree_tags(t, &names));
  CHECK(H_U64(it_names_count(names, &h_u64)) == 1);
  CHECK(strcmp(target_of(names, "v1"), c1) == 0);
  it_names_free(names);
  put_str(m, "k", "main2");
  CHECK_OK(it_tree_commit(t, "main2", NULL, 0, NULL, NULL));
  CHECK_OK(it_tree_resolve(t, "v1", &b));
  CHECK(strcmp((const char*)b.data, c1) == 0);
  it_buf_free(&b);
  CHECK_OK(it_tree_resolve(t, c2, &b)); /* a full id resolves to itself */
  CHECK(strcmp((const char*)b.data, c2) == 0);
  it_buf_free(&b);
  CHECK_OK(it_tree_delete_tag(t, "v1"));
  CHECK_RC(it_tree_delete_tag(t, "v1"), IT_ENOTFOUND);
  CHECK_RC(it_tree_resolve(t, "v1", &b), IT_ENOTFOUND);

  CHECK_RC(it_tree_create_branch(t, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_switch_branch(t, NULL), IT_EINVAL);
  CHECK_RC(it_tree_delete_branch(t, NULL), IT_EINVAL);
  /* A NULL ref is the head for tags as for branches (rule 4). */
  CHECK_OK(it_tree_create_tag(t, "at-head", NULL));
  CHECK_OK(it_tree_resolve(t, "at-head", &b));
  {
    it_buf head = {NULL, 0};
    CHECK_OK(it_tree_resolve(t, NULL, &head));
    CHECK(head.size == 32 && strcmp((const char*)head.data, (const char*)b.data) == 0);
    CHECK(strcmp((const char*)head.data, c1) != 0); /* main2 moved the head past c1 */
    it_buf_free(&head);
  }
  it_buf_free(&b);
  CHECK_RC(it_tree_create_tag(t, NULL, c1), IT_EINVAL);
  CHECK_RC(it_tree_delete_tag(t, NULL), IT_EINVAL);
  CHECK_RC(it_tree_resolve(t, "main", NULL), IT_EINVAL);
  CHECK_RC(it_tree_branches(t, NULL), IT_EINVAL);
  CHECK_RC(it_tree_tags(t, NULL), IT_EINVAL);
  CHECK_RC(it_tree_current_branch(t, NULL), IT_EINVAL);
  free(c1);
  free(c2);
  it_map_free(m);
  it_tree_free(t);
}

static void test_merge_and_orphan(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_commit_options* co = NULL;
  it_commit* c = NULL;
  char *base, *side;
  CHECK_OK(it_tree_map(t, "m", &m));
  put_str(m, "k", "0");
  base = commit_id(t, "base");
  CHECK_OK(it_tree_create_branch(t, "side", NULL));
  CHECK_OK(it_tree_switch_branch(t, "side"));
  put_str(m, "k", "side");
  side = commit_id(t, "side");
  CHECK_OK(it_tree_switch_branch(t, "main"));
  put_str(m, "k", "merged");
  CHECK_OK(it_commit_options_new(&co));
  CHECK_OK(it_commit_options_add_parent(co, "side")); /* a ref works too */
  CHECK_OK(it_tree_commit(t, "merge", NULL, 0, co, &c));
  CHECK(H_U64(it_commit_parent_count(c, &h_u64)) == 2);
  CHECK(strcmp(H_STR(it_commit_parent(c, 0, &h_buf)), base) == 0);
  CHECK(strcmp(H_STR(it_commit_parent(c, 1, &h_buf)), side) == 0);
  CHECK(H_U64(it_commit_sequence(c, &h_u64)) == 3);
  it_commit_free(c);
  it_commit_options_free(co);
  /* An extra parent that does not exist. */
  CHECK_OK(it_commit_options_new(&co));
  CHECK_OK(it_commit_options_add_parent(co, "ffffffffffffffffffffffffffffffff"));
  CHECK_OK(it_commit_options_set_force(co, 1));
  CHECK_RC(it_tree_commit(t, "bad merge", NULL, 0, co, NULL), IT_ENOTFOUND);
  it_commit_options_free(co);
  /* Orphan: no parent, sequence restarts. */
  CHECK_OK(it_commit_options_new(&co));
  CHECK_OK(it_commit_options_set_orphan(co, 1));
  CHECK_OK(it_commit_options_set_force(co, 1));
  c = NULL;
  CHECK_OK(it_tree_commit(t, "orphan", NULL, 0, co, &c));
  CHECK(c != NULL && H_U64(it_commit_parent_count(c, &h_u64)) == 0);
  CHECK(H_U64(it_commit_sequence(c, &h_u64)) == 1);
  it_commit_free(c);
  it_commit_options_free(co);
  free(base);
  free(side);
  it_map_free(m);
  it_tree_free(t);
}

static void test_rename_and_drop(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_map* renamed = NULL;
  it_view* view = NULL;
  char *before, *after;
  CHECK_OK(it_tree_map(t, "old", &m));
  put_str(m, "k", "v");
  CHECK_OK(it_tree_map(t, "gone", &renamed));
  put_str(renamed, "x", "y");
  it_map_free(renamed);
  renamed = NULL;
  before = commit_id(t, "before");
  CHECK_OK(it_tree_rename_field(t, "old", "new"));
  CHECK_OK(it_tree_delete_field(t, "gone"));
  CHECK_RC(H_YES(it_tree_contains_field(t, "old", &h_flag)), 0);
  CHECK_RC(H_YES(it_tree_contains_field(t, "gone", &h_flag)), 0);
  CHECK_RC(H_YES(it_tree_contains_field(t, "new", &h_flag)), 1);
  CHECK_RC(H_YES(it_tree_is_modified(t, &h_flag)), 1);
  after = commit_id(t, "after");
  CHECK_OK(it_tree_map(t, "new", &renamed));
  CHECK(has(renamed, "k", "v"));
  /* History keeps the old names. */
  CHECK_OK(it_tree_checkout(t, before, &view));
  CHECK_RC(H_YES(it_view_contains_field(view, "old", &h_flag)), 1);
  CHECK_RC(H_YES(it_view_contains_field(view, "gone", &h_flag)), 1);
  it_view_free(view);
  CHECK_OK(it_tree_checkout(t, after, &view));
  CHECK_RC(H_YES(it_view_contains_field(view, "old", &h_flag)), 0);
  CHECK_RC(H_YES(it_view_contains_field(view, "new", &h_flag)), 1);
  it_view_free(view);
  CHECK_RC(it_tree_rename_field(t, "missing", "x"), IT_ENOTFOUND);
  CHECK_RC(it_tree_rename_field(t, "new", NULL), IT_EINVAL);
  CHECK_RC(it_tree_rename_field(t, NULL, "x"), IT_EINVAL);
  CHECK_RC(it_tree_delete_field(t, "missing"), IT_ENOTFOUND);
  CHECK_RC(it_tree_delete_field(t, NULL), IT_EINVAL);
  free(before);
  free(after);
  it_map_free(m);
  it_map_free(renamed);
  it_tree_free(t);
}

static void test_change_password(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  it_options* o = h_fast_options();
  const char* dir = h_scratch();
  CHECK_OK(it_backend_new_directory(dir, &b));
  CHECK_OK(it_tree_create(b, "alice", "old-pass", 8, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  put_str(m, "k", "v");
  CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
  /* passwords are bytes; the KDF costs are the fast ones h_fast_options set */
  CHECK_OK(it_tree_change_password(t, "bob", "new\0pass", 8, 64, 1, 1));
  CHECK_RC(it_tree_change_password(t, NULL, "x", 1, 64, 1, 1), IT_EINVAL);
  CHECK_RC(it_tree_change_password(t, "bob", NULL, 1, 64, 1, 1), IT_EINVAL);
  CHECK_RC(it_tree_change_password(t, "bob", "x", 1, 64, 0, 1), IT_EINVAL); /* no pass */
  CHECK_RC(it_tree_change_password(t, "bob", "x", 1, 7, 1, 1), IT_EINVAL);  /* < 8 KiB/lane */
  {
    char long_name[IT_MAX_NAME_SIZE + 2];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    CHECK_RC(it_tree_change_password(t, long_name, "x", 1, 64, 1, 1), IT_EINVAL);
  }
  it_map_free(m);
  m = NULL;
  it_tree_free(t);
  t = NULL;
  CHECK_RC(it_tree_open(b, "alice", "old-pass", 8, o, &t), IT_ECREDENTIALS);
  CHECK_RC(it_tree_open(b, "bob", "new", 3, o, &t), IT_ECREDENTIALS);
  CHECK(t == NULL);
  CHECK_OK(it_tree_open(b, "bob", "new\0pass", 8, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK(has(m, "k", "v"));
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
}

static void test_stats(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_stats s = IT_STATS_INIT;
  it_stats unknown = IT_STATS_INIT;
  CHECK_OK(it_tree_stats(t, &s));
  CHECK(s.commits == 0 && s.version == IT_STATS_VERSION);
  /* A version this library does not know (0: never set; above: from a newer header). */
  unknown.version = 0;
  CHECK_RC(it_tree_stats(t, &unknown), IT_EVERSION);
  unknown.version = IT_STATS_VERSION + 1;
  CHECK_RC(it_tree_stats(t, &unknown), IT_EVERSION);
  CHECK(unknown.commits == 0);
  CHECK_OK(it_tree_map(t, "m", &m));
  put_str(m, "k", "v");
  CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
  CHECK_OK(it_tree_stats(t, &s));
  CHECK(s.commits == 1);
  CHECK(s.objects >= 1);
  CHECK(s.chunks_written >= 1);
  CHECK(s.bytes_written > 0);
  CHECK(s.node_cache_hits + s.node_cache_misses < (uint64_t)1 << 40);
  CHECK_RC(it_tree_stats(t, NULL), IT_EINVAL);
  it_map_free(m);
  it_tree_free(t);
}

static void test_read_only_open(void) {
  it_backend* b = NULL;
  it_tree* w = NULL;
  it_tree* r = NULL;
  it_map* m = NULL;
  it_map* rm = NULL;
  it_options* o = h_fast_options();
  it_options* ro = h_fast_options();
  CHECK_OK(it_options_set_read_only(ro, 1));
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &w));
  CHECK_RC(H_YES(it_tree_is_read_only(w, &h_flag)), 0);
  CHECK_OK(it_tree_map(w, "m", &m));
  put_str(m, "k", "v");
  CHECK_OK(it_tree_commit(w, "c", NULL, 0, NULL, NULL));
  /* A reader opens while the writer holds the lock. */
  CHECK_OK(it_tree_open(b, "u", "p", 1, ro, &r));
  CHECK_RC(H_YES(it_tree_is_read_only(r, &h_flag)), 1);
  CHECK_OK(it_tree_map(r, "m", &rm));
  CHECK(has(rm, "k", "v"));
  CHECK_RC(it_map_put(rm, "k", 1, "x", 1), IT_EREADONLY);
  CHECK_RC(it_tree_commit(r, "no", NULL, 0, NULL, NULL), IT_EREADONLY);
  it_map_free(rm);
  it_map_free(m);
  it_tree_free(r);
  it_tree_free(w);
  it_backend_free(b);
  it_options_free(o);
  it_options_free(ro);
}

int main(void) {
  static const h_test tests[] = {
      {"commit_and_rollback", test_commit_and_rollback},
      {"log_filters", test_log_filters},
      {"checkout", test_checkout},
      {"diff", test_diff},
      {"branches_and_tags", test_branches_and_tags},
      {"merge_and_orphan", test_merge_and_orphan},
      {"rename_and_drop", test_rename_and_drop},
      {"change_password", test_change_password},
      {"stats", test_stats},
      {"read_only_open", test_read_only_open},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
