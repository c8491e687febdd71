/* Handles shared between threads: concurrent writers on one map, readers, commits, and the
 * last error being per thread. */
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

#define THREADS 4
#define PER_THREAD 2000

struct worker {
  it_tree* tree;
  it_map* map;
  int id;
  int failures;
};

static void* writer(void* arg) {
  struct worker* w = arg;
  int i;
  char key[32];
  for (i = 0; i < PER_THREAD; ++i) {
    it_buf v = {NULL, 0};
    snprintf(key, sizeof key, "t%d-%05d", w->id, i);
    if (it_map_put(w->map, key, strlen(key), key, strlen(key)) != IT_OK) ++w->failures;
    if (it_map_get(w->map, key, strlen(key), &v) != IT_OK || v.size != strlen(key)) ++w->failures;
    it_buf_free(&v);
    /* Every thread commits now and then: atomic with respect to the puts. */
    if (i % 500 == 499 && it_tree_commit(w->tree, "w", NULL, 0, NULL, NULL) != IT_OK) ++w->failures;
  }
  return NULL;
}

static void test_concurrent_writers(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  pthread_t th[THREADS];
  struct worker w[THREADS];
  uint64_t n = 0;
  int i;
  CHECK_OK(it_tree_map(t, "m", &m));
  for (i = 0; i < THREADS; ++i) {
    w[i].tree = t;
    w[i].map = m;
    w[i].id = i;
    w[i].failures = 0;
    CHECK(pthread_create(&th[i], NULL, writer, &w[i]) == 0);
  }
  for (i = 0; i < THREADS; ++i) {
    pthread_join(th[i], NULL);
    CHECK(w[i].failures == 0);
  }
  CHECK_OK(it_tree_commit(t, "final", NULL, 0, NULL, NULL));
  CHECK_OK(it_map_count(m, &n));
  CHECK(n == (uint64_t)THREADS * PER_THREAD);
  it_map_free(m);
  it_tree_free(t);
}

struct error_probe {
  it_map* map;
  int code_seen;
  char message[256];
};

static void* fail_differently(void* arg) {
  struct error_probe* p = arg;
  it_buf v = {NULL, 0};
  /* This thread's failure: not found. */
  it_map_get(p->map, "absent", 6, &v);
  p->code_seen = it_error_code();
  snprintf(p->message, sizeof p->message, "%s", it_error_message());
  return NULL;
}

static void test_last_error_is_per_thread(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  pthread_t th;
  struct error_probe p;
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_RC(it_map_put(m, NULL, 5, "v", 1), IT_EINVAL); /* this thread: invalid argument */
  p.map = m;
  CHECK(pthread_create(&th, NULL, fail_differently, &p) == 0);
  pthread_join(th, NULL);
  CHECK(p.code_seen == IT_ENOTFOUND);
  CHECK(strlen(p.message) > 0);
  CHECK(it_error_code() == IT_EINVAL); /* unaffected by the other thread */
  it_map_free(m);
  it_tree_free(t);
}

static void* close_while_busy(void* arg) {
  struct worker* w = arg;
  int i;
  for (i = 0; i < 100000; ++i) {
    int rc = it_map_put(w->map, "k", 1, "v", 1);
    if (rc == IT_ECLOSED) return NULL;
    if (rc != IT_OK) ++w->failures;
  }
  return NULL;
}

/* Closing while other threads write: they see IT_ECLOSED, nothing crashes. */
static void test_close_under_load(void) {
  it_tree* t = h_memory_tree();
  it_map* maps[THREADS];
  pthread_t th[THREADS];
  struct worker w[THREADS];
  int i;
  for (i = 0; i < THREADS; ++i) {
    maps[i] = NULL;
    CHECK_OK(it_tree_map(t, "m", &maps[i]));
    w[i].tree = t;
    w[i].map = maps[i];
    w[i].id = i;
    w[i].failures = 0;
    CHECK(pthread_create(&th[i], NULL, close_while_busy, &w[i]) == 0);
  }
  CHECK_OK(it_tree_close(t));
  for (i = 0; i < THREADS; ++i) {
    pthread_join(th[i], NULL);
    CHECK(w[i].failures == 0);
    CHECK_RC(it_map_put(maps[i], "k", 1, "v", 1), IT_ECLOSED);
    it_map_free(maps[i]);
  }
  it_tree_free(t);
}

int main(void) {
  static const h_test tests[] = {
      {"concurrent_writers", test_concurrent_writers},
      {"last_error_is_per_thread", test_last_error_is_per_thread},
      {"close_under_load", test_close_under_load},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
