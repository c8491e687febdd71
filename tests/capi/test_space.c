/* Space: forget by name and by retention policy, forgotten parents in the history, prune
 * (reclaimed objects counted in a directory store), the space report, and the errors. */
#include "harness.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Commits and copies the new commit's id into `id` (33 bytes). */
static void commit_into(it_tree* t, const char* msg, char* id) {
  it_commit* c = NULL;
  const char* hex;
  id[0] = '\0';
  CHECK_OK(it_tree_commit(t, msg, NULL, 0, NULL, &c));
  hex = c ? H_STR(it_commit_id(c, &h_buf)) : NULL;
  CHECK(hex != NULL && strlen(hex) == 32);
  if (hex && strlen(hex) == 32) memcpy(id, hex, 33);
  it_commit_free(c);
}

/* The id of commit `index` of a log, or "". */
static const char* log_id(const it_log* log, uint64_t index) {
  it_commit* c = NULL;
  const char* id;
  if (it_log_get(log, index, &c) != IT_OK) return "";
  id = H_STR(it_commit_id(c, &h_buf));
  it_commit_free(c);
  return id ? id : "";
}

static uint64_t log_count(const it_log* log) { return H_U64(it_log_count(log, &h_u64)); }

static void test_forget_named(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  char ids[5][33];
  const char* two[2];
  const char* bad[1];
  it_log* forgotten = NULL;
  it_log* kept = NULL;
  it_log* log = NULL;
  it_commit* c = NULL;
  it_view* v = NULL;
  it_buf buf = {NULL, 0};
  int i;
  CHECK_OK(it_tree_map(t, "m", &m));
  for (i = 0; i < 5; ++i) {
    char val[2] = {(char)('0' + i), 0};
    CHECK_OK(it_map_put(m, "k", 1, val, 1));
    commit_into(t, "c", ids[i]);
  }
  CHECK_OK(it_tree_create_tag(t, "first", ids[0]));

  /* Heads and tagged commits are never forgotten; nothing changes. */
  bad[0] = ids[4];
  CHECK_RC(it_tree_forget(t, bad, 1, 0, &forgotten, &kept), IT_EINVAL);
  CHECK(forgotten == NULL && kept == NULL);
  bad[0] = "first";
  CHECK_RC(it_tree_forget(t, bad, 1, 0, NULL, NULL), IT_EINVAL);
  CHECK(strstr(it_error_message(), "tagged") != NULL);
  bad[0] = NULL;
  CHECK_RC(it_tree_forget(t, bad, 1, 0, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_forget(t, NULL, 1, 0, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_forget(NULL, NULL, 0, 0, NULL, NULL), IT_EINVAL);

  /* A dry run reports and changes nothing. */
  two[0] = ids[1];
  two[1] = ids[2];
  CHECK_OK(it_tree_forget(t, two, 2, 1, &forgotten, NULL));
  CHECK(log_count(forgotten) == 2);
  it_log_free(forgotten);
  forgotten = NULL;
  CHECK_OK(it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log));
  CHECK(log_count(log) == 5);
  it_log_free(log);

  /* Nothing named: nothing forgotten, everything kept. */
  CHECK_OK(it_tree_forget(t, NULL, 0, 0, &forgotten, &kept));
  CHECK(log_count(forgotten) == 0 && log_count(kept) == 5);
  it_log_free(forgotten);
  it_log_free(kept);

  CHECK_OK(it_tree_forget(t, two, 2, 0, &forgotten, &kept));
  CHECK(log_count(forgotten) == 2 && log_count(kept) == 3);
  CHECK(strcmp(log_id(forgotten, 0), ids[2]) == 0); /* newest first */
  CHECK(strcmp(log_id(forgotten, 1), ids[1]) == 0);
  CHECK(strcmp(log_id(kept, 0), ids[4]) == 0);
  it_log_free(forgotten);
  it_log_free(kept);

  /* The log walks past the gap; the commit after it names its forgotten parent. */
  CHECK_OK(it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log));
  CHECK(log_count(log) == 3);
  CHECK(strcmp(log_id(log, 0), ids[4]) == 0);
  CHECK(strcmp(log_id(log, 1), ids[3]) == 0);
  CHECK(strcmp(log_id(log, 2), ids[0]) == 0);
  CHECK_OK(it_log_get(log, 1, &c));
  CHECK(H_U64(it_commit_parent_count(c, &h_u64)) == 1);
  CHECK(H_U64(it_commit_forgotten_parent_count(c, &h_u64)) == 1);
  CHECK(strcmp(H_STR(it_commit_forgotten_parent(c, 0, &h_buf)), ids[2]) == 0);
  CHECK(strcmp(H_STR(it_commit_parent(c, 0, &h_buf)), ids[2]) == 0); /* unchanged */
  CHECK_RC(it_commit_forgotten_parent(c, 1, &buf), IT_ENOTFOUND);
  CHECK_RC(it_commit_forgotten_parent(c, 0, NULL), IT_EINVAL);
  CHECK_RC(it_commit_forgotten_parent_count(NULL, &h_u64), IT_EINVAL);
  it_commit_free(c);
  c = NULL;
  CHECK_OK(it_log_get(log, 0, &c));
  CHECK(H_U64(it_commit_forgotten_parent_count(c, &h_u64)) == 0);
  it_commit_free(c);
  c = NULL;
  it_log_free(log);

  /* A forgotten commit is not found, however it is reached. */
  CHECK_RC(it_tree_get_commit(t, ids[1], &c), IT_ENOTFOUND);
  CHECK(strstr(it_error_message(), "forgotten") != NULL);
  CHECK_RC(it_tree_checkout(t, ids[2], &v), IT_ENOTFOUND);
  bad[0] = ids[1];
  CHECK_RC(it_tree_forget(t, bad, 1, 0, NULL, NULL), IT_ENOTFOUND);
  /* Kept commits keep their content. */
  CHECK_OK(it_tree_checkout(t, ids[3], &v));
  it_view_free(v);
  it_map_free(m);
  it_tree_free(t);
}

static void test_forget_by_policy(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_tree* r = NULL;
  it_map* m = NULL;
  it_options* o = h_fast_options();
  it_options* ro = h_fast_options();
  it_retention_policy* p = NULL;
  it_retention_policy* rich = NULL;
  it_log* forgotten = NULL;
  it_log* kept = NULL;
  it_log* log = NULL;
  char ids[10][33];
  int i;
  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  for (i = 0; i < 10; ++i) {
    char k[3] = {'k', (char)('0' + i), 0};
    CHECK_OK(it_map_put(m, k, 2, "v", 1));
    commit_into(t, "c", ids[i]);
  }
  CHECK_OK(it_tree_create_branch(t, "side", ids[2]));
  CHECK_OK(it_tree_create_tag(t, "t", ids[4]));

  CHECK_OK(it_retention_policy_new(&p));
  CHECK_RC(it_retention_policy_new(NULL), IT_EINVAL);
  /* A policy without a rule would forget everything but heads and tags. */
  CHECK_RC(it_tree_forget_by_policy(t, p, 0, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_tree_forget_by_policy(t, NULL, 0, NULL, NULL), IT_EINVAL);
  CHECK_RC(it_retention_policy_set_keep_last(p, (uint64_t)1 << 32), IT_EINVAL);
  CHECK_RC(it_retention_policy_set_keep_within_ms(p, -1), IT_EINVAL);
  CHECK_RC(it_retention_policy_set_keep_last(NULL, 1), IT_EINVAL);
  CHECK_OK(it_retention_policy_set_keep_last(p, 2));

  /* Every rule of a rich policy keeps something here (all commits share one hour, day,
   * week, month and year, and are within a minute), so a dry run forgets nothing... */
  CHECK_OK(it_retention_policy_new(&rich));
  CHECK_OK(it_retention_policy_set_keep_hourly(rich, 1));
  CHECK_OK(it_retention_policy_set_keep_daily(rich, 1));
  CHECK_OK(it_retention_policy_set_keep_weekly(rich, 1));
  CHECK_OK(it_retention_policy_set_keep_monthly(rich, 1));
  CHECK_OK(it_retention_policy_set_keep_yearly(rich, 1));
  CHECK_OK(it_retention_policy_set_keep_within_ms(rich, 3600 * 1000));
  CHECK_OK(it_tree_forget_by_policy(t, rich, 1, &forgotten, &kept));
  CHECK(log_count(forgotten) == 0 && log_count(kept) == 10);
  it_log_free(forgotten);
  it_log_free(kept);
  /* ...while the newest of each bucket alone keeps the head (and the branch head and tag). */
  CHECK_OK(it_retention_policy_set_keep_within_ms(rich, 0));
  CHECK_OK(it_tree_forget_by_policy(t, rich, 1, &forgotten, &kept));
  CHECK(log_count(forgotten) == 7 && log_count(kept) == 3);
  it_log_free(forgotten);
  it_log_free(kept);

  /* A reader may plan but not forget. */
  CHECK_OK(it_options_set_read_only(ro, 1));
  CHECK_OK(it_tree_open(b, "u", "p", 1, ro, &r));
  CHECK_RC(it_tree_forget_by_policy(r, p, 0, NULL, NULL), IT_EREADONLY);
  CHECK_OK(it_tree_forget_by_policy(r, p, 1, &forgotten, NULL));
  CHECK(log_count(forgotten) == 6);
  it_log_free(forgotten);
  it_tree_free(r);

  /* keep_last 2 keeps 9, 8, the branch head 2 and the tag 4. */
  CHECK_OK(it_tree_forget_by_policy(t, p, 0, &forgotten, &kept));
  CHECK(log_count(forgotten) == 6 && log_count(kept) == 4);
  CHECK(strcmp(log_id(kept, 0), ids[9]) == 0 && strcmp(log_id(kept, 3), ids[2]) == 0);
  it_log_free(forgotten);
  it_log_free(kept);
  CHECK_OK(it_tree_log(t, IT_LOG_ALL, NULL, NULL, &log));
  CHECK(log_count(log) == 4); /* 9, 8, 4 and 2 (the side branch's head, on main's line) */
  CHECK(strcmp(log_id(log, 2), ids[4]) == 0 && strcmp(log_id(log, 3), ids[2]) == 0);
  it_log_free(log);
  /* Durable: a new reader sees the same history. */
  CHECK_OK(it_tree_open(b, "u", "p", 1, ro, &r));
  CHECK_OK(it_tree_log(r, IT_LOG_ALL, NULL, NULL, &log));
  CHECK(log_count(log) == 4);
  it_log_free(log);
  it_tree_free(r);

  it_retention_policy_free(p);
  it_retention_policy_free(rich);
  it_retention_policy_free(NULL);
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
  it_options_free(ro);
}

/* Object files in a directory store: one folder per leading byte of the id. */
static uint64_t count_objects(const char* store) {
  uint64_t n = 0;
  char path[4096];
  DIR* top = opendir(store);
  struct dirent* e;
  CHECK(top != NULL);
  if (!top) return 0;
  while ((e = readdir(top)) != NULL) {
    DIR* sub;
    struct dirent* f;
    if (strlen(e->d_name) != 2 || e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", store, e->d_name);
    sub = opendir(path);
    if (!sub) continue;
    while ((f = readdir(sub)) != NULL)
      if (f->d_name[0] != '.') ++n;
    closedir(sub);
  }
  closedir(top);
  return n;
}

/* Bytes that do not compress (xorshift). */
static void fill_random(unsigned char* p, size_t n, uint64_t seed) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  size_t i;
  for (i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p[i] = (unsigned char)x;
  }
}

#define BIG (6u * 1024 * 1024)

static void test_prune_reclaims(void) {
  const char* dir = h_scratch();
  char store[4096];
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  it_options* o = h_fast_options();
  it_retention_policy* p = NULL;
  it_prune_options* po = NULL;
  it_space_report plan = IT_SPACE_REPORT_INIT;
  it_space_report done = IT_SPACE_REPORT_INIT;
  it_space_report after = IT_SPACE_REPORT_INIT;
  it_space_report unknown = IT_SPACE_REPORT_INIT;
  unsigned char* data = malloc(BIG);
  it_buf got = {NULL, 0};
  uint64_t before_prune, after_dry, after_prune;
  int i;
  CHECK(data != NULL);
  if (!data) return;
  snprintf(store, sizeof store, "%s/store", dir);
  CHECK_OK(it_backend_new_directory(store, &b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  /* Three commits each replace 6 MiB of incompressible data: two thirds become garbage once
   * the older commits are forgotten. */
  for (i = 0; i < 3; ++i) {
    fill_random(data, BIG, (uint64_t)i + 1);
    CHECK_OK(it_map_put(m, "big", 3, data, BIG));
    CHECK_OK(it_tree_commit(t, "c", NULL, 0, NULL, NULL));
  }
  CHECK_OK(it_retention_policy_new(&p));
  CHECK_OK(it_retention_policy_set_keep_last(p, 1));
  CHECK_OK(it_tree_forget_by_policy(t, p, 0, NULL, NULL));

  CHECK_OK(it_tree_space(t, NULL, &plan));
  CHECK(plan.objects > 0 && plan.object_bytes == plan.objects * 4 * 1024 * 1024);
  CHECK(plan.live_bytes >= BIG && plan.live_bytes < 2 * (uint64_t)BIG);
  CHECK(plan.garbage_bytes == plan.object_bytes - plan.live_bytes);
  CHECK(plan.objects_to_delete > 0);
  CHECK(plan.objects_deleted == 0 && plan.chunks_moved == 0);
  unknown.version = 0;
  CHECK_RC(it_tree_space(t, NULL, &unknown), IT_EVERSION);
  unknown.version = IT_SPACE_REPORT_VERSION + 1;
  CHECK_RC(it_tree_space(t, NULL, &unknown), IT_EVERSION);
  CHECK_RC(it_tree_prune(t, NULL, &unknown), IT_EVERSION);
  CHECK_RC(it_tree_space(t, NULL, NULL), IT_EINVAL);

  CHECK_OK(it_prune_options_new(&po));
  CHECK_OK(it_prune_options_set_grace_ms(po, 0));
  CHECK_OK(it_prune_options_set_temp_grace_ms(po, 0));
  CHECK_OK(it_prune_options_set_repack_below(po, 0.5));
  /* A dry run reports and deletes nothing. */
  before_prune = count_objects(store);
  CHECK_OK(it_prune_options_set_dry_run(po, 1));
  CHECK_OK(it_tree_prune(t, po, &done));
  after_dry = count_objects(store);
  CHECK(after_dry == before_prune);
  CHECK(done.objects_to_delete == plan.objects_to_delete && done.objects_deleted == 0);

  CHECK_OK(it_prune_options_set_dry_run(po, 0));
  CHECK_OK(it_tree_prune(t, po, &done));
  after_prune = count_objects(store);
  CHECK(done.objects_deleted >= plan.objects_to_delete && done.objects_deferred == 0);
  /* Repacking may write a few new objects, so the store shrinks by at most what was deleted. */
  CHECK(after_prune < before_prune && before_prune - after_prune <= done.objects_deleted);

  /* Nothing left to reclaim, and the kept commit reads back exactly. */
  CHECK_OK(it_tree_space(t, po, &after));
  CHECK(after.objects_to_delete == 0 && after.objects_pending == 0);
  CHECK(after.objects < plan.objects);
  CHECK_OK(it_map_get(m, "big", 3, &got));
  fill_random(data, BIG, 3);
  CHECK(got.size == BIG && memcmp(got.data, data, BIG) == 0);
  it_buf_free(&got);
  /* The report is optional. */
  CHECK_OK(it_tree_prune(t, po, NULL));

  free(data);
  it_prune_options_free(po);
  it_retention_policy_free(p);
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
}

static void test_prune_errors_and_grace(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_tree* r = NULL;
  it_map* m = NULL;
  it_options* o = h_fast_options();
  it_options* ro = h_fast_options();
  it_prune_options* po = NULL;
  it_space_report rep = IT_SPACE_REPORT_INIT;
  it_space_report later = IT_SPACE_REPORT_INIT;
  const char* old[1];
  char first[33];
  double nan = strtod("nan", NULL);

  CHECK_OK(it_prune_options_new(&po));
  CHECK_RC(it_prune_options_new(NULL), IT_EINVAL);
  CHECK_RC(it_prune_options_set_repack_below(po, 1.5), IT_EINVAL);
  CHECK_RC(it_prune_options_set_repack_below(po, -0.1), IT_EINVAL);
  CHECK_RC(it_prune_options_set_repack_below(po, nan), IT_EINVAL);
  CHECK_RC(it_prune_options_set_grace_ms(po, -1), IT_EINVAL);
  CHECK_RC(it_prune_options_set_temp_grace_ms(po, -1), IT_EINVAL);
  CHECK_RC(it_prune_options_set_dry_run(NULL, 1), IT_EINVAL);
  CHECK_OK(it_prune_options_set_repack_below(po, 1.0));

  CHECK_OK(it_backend_new_memory(&b));
  CHECK_OK(it_tree_create(b, "u", "p", 1, o, &t));
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_map_put(m, "a", 1, "1", 1));
  CHECK_RC(it_tree_prune(t, NULL, &rep), IT_ECONFLICT); /* uncommitted changes */
  commit_into(t, "one", first);
  CHECK_OK(it_map_put(m, "a", 1, "2", 1));
  CHECK_OK(it_tree_commit(t, "two", NULL, 0, NULL, NULL));

  CHECK_OK(it_options_set_read_only(ro, 1));
  CHECK_OK(it_tree_open(b, "u", "p", 1, ro, &r));
  CHECK_RC(it_tree_prune(r, NULL, NULL), IT_EREADONLY);
  CHECK_OK(it_tree_space(r, NULL, &rep)); /* reading is fine */
  it_tree_free(r);

  /* With the default grace, what is due waits: deferred now, pending afterwards. */
  old[0] = first;
  CHECK_OK(it_tree_forget(t, old, 1, 0, NULL, NULL));
  CHECK_OK(it_tree_prune(t, NULL, &rep));
  CHECK(rep.objects_deleted == 0);
  CHECK_OK(it_tree_space(t, NULL, &later));
  CHECK(later.objects_pending == rep.objects_deferred);

  CHECK_OK(it_tree_close(t));
  CHECK_RC(it_tree_prune(t, NULL, NULL), IT_ECLOSED);
  CHECK_RC(it_tree_space(t, NULL, &rep), IT_ECLOSED);
  CHECK_RC(it_tree_forget(t, NULL, 0, 1, NULL, NULL), IT_ECLOSED);
  it_prune_options_free(po);
  it_prune_options_free(NULL);
  it_map_free(m);
  it_tree_free(t);
  it_backend_free(b);
  it_options_free(o);
  it_options_free(ro);
}

int main(void) {
  static const h_test tests[] = {
      {"forget_named", test_forget_named},
      {"forget_by_policy", test_forget_by_policy},
      {"prune_reclaims", test_prune_reclaims},
      {"prune_errors_and_grace", test_prune_errors_and_grace},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
