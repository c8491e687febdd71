/* Cost of the C ABI: N puts then one commit, N gets (sequential and shuffled), N cursor
 * steps, through libinfinitree.so exactly as a C (or Python/Go) caller sees it.
 *   capi_bench [N] [--dir PATH]      (default N = 1000000, memory backend)
 * Prints ns/op per phase. Plain C99. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "infinitree.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char* what, int rc) {
  fprintf(stderr, "%s: %s (%s)\n", what, it_error_string(rc), it_error_message());
  exit(1);
}
#define TRY(call)                    \
  do {                               \
    int rc_ = (call);                \
    if (rc_ < 0) die(#call, rc_);    \
  } while (0)

/* 8-byte big-endian keys: sorted inserts when i grows. */
static void make_key(uint64_t i, unsigned char k[8]) {
  int b;
  for (b = 0; b < 8; ++b) k[b] = (unsigned char)(i >> (8 * (7 - b)));
}

static void report(const char* phase, double seconds, uint64_t ops) {
  printf("%-28s %10.3f s %10.1f ns/op %12.0f ops/s\n", phase, seconds, seconds * 1e9 / (double)ops,
         (double)ops / seconds);
}

int main(int argc, char** argv) {
  uint64_t n = 1000000, i;
  const char* dir = NULL;
  it_backend* backend = NULL;
  it_options* options = NULL;
  it_tree* tree = NULL;
  it_map* map = NULL;
  it_cursor* cursor = NULL;
  unsigned char key[8], value[16];
  uint64_t* order;
  uint64_t found = 0, steps = 0;
  int rc;
  double t0, t1;
  int a;

  for (a = 1; a < argc; ++a) {
    if (strcmp(argv[a], "--dir") == 0 && a + 1 < argc) dir = argv[++a];
    else n = strtoull(argv[a], NULL, 10);
  }
  if (n == 0) n = 1;
  printf("libinfinitree %s, C ABI, %llu entries, %s backend\n", it_version(),
         (unsigned long long)n, dir ? "directory" : "memory");

  TRY(dir ? it_backend_new_directory(dir, &backend) : it_backend_new_memory(&backend));
  TRY(it_options_new(&options));
  TRY(it_options_set_insecure_fast_kdf(options)); /* the KDF is not what we measure */
  TRY(it_tree_create(backend, "bench", "bench", 5, options, &tree));
  TRY(it_tree_map(tree, "m", &map));
  memset(value, 'v', sizeof value);

  t0 = now_s();
  for (i = 0; i < n; ++i) {
    make_key(i, key);
    memcpy(value, &i, sizeof i);
    TRY(it_map_put(map, key, sizeof key, value, sizeof value));
  }
  t1 = now_s();
  report("put (sequential keys)", t1 - t0, n);

  t0 = now_s();
  TRY(it_tree_commit(tree, "bench", NULL, 0, NULL, NULL));
  t1 = now_s();
  printf("%-28s %10.3f s\n", "commit", t1 - t0);

  t0 = now_s();
  for (i = 0; i < n; ++i) {
    it_buf v;
    make_key(i, key);
    TRY(it_map_get(map, key, sizeof key, &v));
    found += v.size == sizeof value;
    it_buf_free(&v);
  }
  t1 = now_s();
  report("get (sequential)", t1 - t0, n);

  /* A shuffled order (xorshift Fisher-Yates) defeats the locality of sequential gets. */
  order = malloc(n * sizeof *order);
  if (!order) die("malloc", IT_ENOMEM);
  {
    uint64_t s = 88172645463325252ull;
    for (i = 0; i < n; ++i) order[i] = i;
    for (i = n - 1; i > 0; --i) {
      uint64_t j, tmp;
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      j = s % (i + 1);
      tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
  t0 = now_s();
  for (i = 0; i < n; ++i) {
    it_buf v;
    make_key(order[i], key);
    TRY(it_map_get(map, key, sizeof key, &v));
    found += v.size == sizeof value;
    it_buf_free(&v);
  }
  t1 = now_s();
  report("get (shuffled)", t1 - t0, n);
  free(order);

  t0 = now_s();
  for (i = 0; i < n; ++i) {
    make_key(i, key);
    key[0] ^= 0x80; /* absent */
    int present = 1;
    TRY(it_map_contains(map, key, sizeof key, &present));
    found += (uint64_t)present; /* absent keys: adds nothing */
  }
  t1 = now_s();
  report("contains (absent)", t1 - t0, n);

  t0 = now_s();
  TRY(it_map_cursor(map, NULL, 0, NULL, 0, &cursor));
  for (rc = it_cursor_first(cursor); rc == IT_OK; rc = it_cursor_next(cursor)) {
    it_buf k, v;
    TRY(it_cursor_entry(cursor, &k, &v));
    it_buf_free(&k);
    it_buf_free(&v);
    ++steps;
  }
  if (rc != IT_DONE) TRY(rc);
  t1 = now_s();
  report("cursor entry+next", t1 - t0, steps);
  it_cursor_free(cursor);

  if (found != 2 * n || steps != n) {
    fprintf(stderr, "wrong results: found %llu of %llu, %llu cursor steps\n",
            (unsigned long long)found, (unsigned long long)(2 * n), (unsigned long long)steps);
    return 1;
  }
  it_map_free(map);
  it_tree_free(tree);
  it_options_free(options);
  it_backend_free(backend);
  return 0;
}
