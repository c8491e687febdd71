/* The same work as bench/go/main.go through the C ABI directly: N puts then one commit, N
 * gets, one full iteration (the C side copying each entry into its own buffer, as the
 * bindings do). Compiled by bench/go/run.sh. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <infinitree.h>

static double clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Wall and process CPU time (all threads) at the start of a phase. */
typedef struct { double wall, cpu; } stamp;
static stamp now(void) {
  stamp s = {clock_ns(CLOCK_MONOTONIC), clock_ns(CLOCK_PROCESS_CPUTIME_ID)};
  return s;
}
/* Per-operation nanoseconds since `s`. */
static stamp since(stamp s, uint64_t ops) {
  stamp e = now();
  stamp d = {(e.wall - s.wall) / (double)ops, (e.cpu - s.cpu) / (double)ops};
  return d;
}

static void key(unsigned char* buf, uint64_t i) {
  uint64_t v = i * 0x9E3779B97F4A7C15ull;
  for (int b = 7; b >= 0; b--) {
    buf[b] = (unsigned char)(v & 0xff);
    v >>= 8;
  }
}

static void must(int rc, const char* what) {
  if (rc < 0) {
    fprintf(stderr, "%s: %s\n", what, it_error_message());
    exit(1);
  }
}

int main(int argc, char** argv) {
  uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
  it_backend* b = NULL;
  it_options* o = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  must(it_backend_new_memory(&b), "backend");
  must(it_options_new(&o), "options");
  must(it_options_set_insecure_fast_kdf(o), "kdf");
  must(it_tree_create(b, "bench", "bench", 5, o, &t), "create");
  must(it_tree_map(t, "m", &m), "map");
  unsigned char kb[8];
  const char* val = "0123456789abcdef";

  stamp start = now();
  for (uint64_t i = 0; i < n; i++) {
    key(kb, i);
    must(it_map_put(m, kb, 8, val, 16), "put");
  }
  stamp put = since(start, n);
  start = now();
  must(it_tree_commit(t, "bench", NULL, 0, NULL, NULL), "commit");
  stamp commit = since(start, 1);

  start = now();
  for (uint64_t i = 0; i < n; i++) {
    it_buf v = {NULL, 0};
    key(kb, (i * 7919) % n);
    must(it_map_get(m, kb, 8, &v), "get");
    if (v.size != 16) return 1;
    it_buf_free(&v);
  }
  stamp get = since(start, n);

  start = now();
  it_cursor* c = NULL;
  uint64_t count = 0;
  must(it_map_cursor(m, NULL, 0, NULL, 0, &c), "cursor");
  int rc;
  for (rc = it_cursor_first(c); rc == IT_OK; rc = it_cursor_next(c)) {
    it_buf k = {NULL, 0}, v = {NULL, 0};
    must(it_cursor_entry(c, &k, &v), "entry");
    it_buf_free(&k);
    it_buf_free(&v);
    count++;
  }
  if (rc != IT_DONE) must(rc, "next");
  stamp iter = since(start, n);
  if (count != n) return 1;

  it_map* small = NULL;
  must(it_tree_map(t, "small", &small), "map small");
  for (uint64_t i = 0; i < 1000; i++) {
    key(kb, i);
    must(it_map_put(small, kb, 8, val, 16), "put small");
  }
  start = now();
  for (uint64_t i = 0; i < n; i++) {
    it_buf v = {NULL, 0};
    key(kb, i % 1000);
    must(it_map_get(small, kb, 8, &v), "get small");
    it_buf_free(&v);
  }
  stamp small_get = since(start, n);
  it_map_free(small);

  printf("c   n=%llu  wall: put %.0f ns  commit %.0f ms  get %.0f ns  iterate %.0f ns/entry  small-map get %.0f ns\n",
         (unsigned long long)n, put.wall, commit.wall / 1e6, get.wall, iter.wall, small_get.wall);
  printf("c   n=%llu  cpu:  put %.0f ns  commit %.0f ms  get %.0f ns  iterate %.0f ns/entry  small-map get %.0f ns\n",
         (unsigned long long)n, put.cpu, commit.cpu / 1e6, get.cpu, iter.cpu, small_get.cpu);
  it_cursor_free(c);
  it_map_free(m);
  it_tree_free(t);
  it_options_free(o);
  it_backend_free(b);
  return 0;
}
