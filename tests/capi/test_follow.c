/* Readers that follow a writer: it_tree_refresh and it_tree_follow on a directory store shared
 * by a writer and a read-only reader. */
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

static void sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

typedef struct pair {
  it_backend* backend;
  it_tree* writer;
  it_tree* reader;
  it_map* wmap;
  it_map* rmap;
} pair;

static pair open_pair(void) {
  pair p = {NULL, NULL, NULL, NULL, NULL};
  it_options* o = h_fast_options();
  CHECK_OK(it_backend_new_directory(h_scratch(), &p.backend));
  CHECK_OK(it_tree_create(p.backend, "u", "p", 1, o, &p.writer));
  CHECK_OK(it_tree_map(p.writer, "m", &p.wmap));
  put_str(p.wmap, "k", "v1");
  CHECK_OK(it_tree_commit(p.writer, "one", NULL, 0, NULL, NULL));
  CHECK_OK(it_options_set_read_only(o, 1));
  CHECK_OK(it_tree_open(p.backend, "u", "p", 1, o, &p.reader));
  CHECK_OK(it_tree_map(p.reader, "m", &p.rmap));
  it_options_free(o);
  return p;
}

static void close_pair(pair* p) {
  it_map_free(p->wmap);
  it_map_free(p->rmap);
  it_tree_free(p->reader);
  it_tree_free(p->writer);
  it_backend_free(p->backend);
}

static void test_refresh(void) {
  pair p = open_pair();
  CHECK_RC(H_YES(it_tree_refresh(p.reader, &h_flag)), 0);
  CHECK_OK(it_tree_refresh(p.reader, NULL)); /* the flag is optional */
  put_str(p.wmap, "k", "v2");
  CHECK_OK(it_tree_commit(p.writer, "two", NULL, 0, NULL, NULL));
  CHECK(has(p.rmap, "k", "v1"));
  CHECK_RC(H_YES(it_tree_refresh(p.reader, &h_flag)), 1);
  CHECK(has(p.rmap, "k", "v2")); /* the same handle, on the new commit */
  CHECK_RC(H_YES(it_tree_refresh(p.reader, &h_flag)), 0);
  /* Writers do not refresh or follow. */
  CHECK_RC(it_tree_refresh(p.writer, NULL), IT_EINVAL);
  CHECK_RC(it_tree_follow(p.writer, 10, 100, 2.0), IT_EINVAL);
  CHECK_RC(it_tree_refresh(NULL, NULL), IT_EINVAL);
  close_pair(&p);
}

static void test_follow(void) {
  pair p = open_pair();
  int i;
  CHECK_RC(it_tree_follow(p.reader, 10, 5, 2.0), IT_EINVAL);   /* max below interval */
  CHECK_RC(it_tree_follow(p.reader, 10, 50, 0.5), IT_EINVAL);  /* backoff below 1 */
  CHECK_OK(it_tree_follow(p.reader, 5, 20, 2.0));
  put_str(p.wmap, "k", "followed");
  CHECK_OK(it_tree_commit(p.writer, "two", NULL, 0, NULL, NULL));
  for (i = 0; i < 3000 && !has(p.rmap, "k", "followed"); ++i) sleep_ms(10);
  CHECK(has(p.rmap, "k", "followed"));
  CHECK_OK(it_tree_follow(p.reader, 0, 0, 0)); /* stops */
  put_str(p.wmap, "k", "later");
  CHECK_OK(it_tree_commit(p.writer, "three", NULL, 0, NULL, NULL));
  sleep_ms(60);
  CHECK(has(p.rmap, "k", "followed"));
  /* Closing a following tree stops its thread. */
  CHECK_OK(it_tree_follow(p.reader, 1, 1, 1.0));
  CHECK_OK(it_tree_close(p.reader));
  CHECK_RC(it_tree_refresh(p.reader, NULL), IT_ECLOSED);
  close_pair(&p);
}

int main(void) {
  static const h_test tests[] = {
      {"refresh", test_refresh},
      {"follow", test_follow},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
