/* The harness behind harness.h. */
#include "harness.h"

#include <ftw.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

static int g_current_failed;
static char* g_scratch[16];
static size_t g_scratch_count;

void h_fail(const char* file, int line, const char* expr) {
  g_current_failed = 1;
  fprintf(stderr, "  %s:%d: CHECK failed: %s (last error: %s)\n", file, line, expr,
          it_error_message());
}

void h_fail_rc(const char* file, int line, const char* expr, int got, int want) {
  g_current_failed = 1;
  fprintf(stderr, "  %s:%d: %s returned %d (%s), want %d (%s); last error: %s\n", file, line,
          expr, got, it_error_string(got), want, it_error_string(want), it_error_message());
}

static int remove_entry(const char* path, const struct stat* st, int type, struct FTW* ftw) {
  (void)st;
  (void)type;
  (void)ftw;
  return remove(path);
}

void h_rmtree(const char* path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

const char* h_scratch(void) {
  const char* base = getenv("INFINITREE_TEST_TMP");
  char templ[4096];
  char* dir;
  if (!base || !*base) base = "/tmp";
  if (g_scratch_count == sizeof g_scratch / sizeof g_scratch[0]) {
    fprintf(stderr, "too many scratch folders in one test\n");
    abort();
  }
  mkdir(base, 0700);
  snprintf(templ, sizeof templ, "%s/it-capi-XXXXXX", base);
  dir = mkdtemp(templ);
  if (!dir) {
    perror("mkdtemp");
    abort();
  }
  g_scratch[g_scratch_count] = malloc(strlen(dir) + 1);
  strcpy(g_scratch[g_scratch_count], dir);
  return g_scratch[g_scratch_count++];
}

it_options* h_fast_options(void) {
  it_options* o = NULL;
  if (it_options_new(&o) != IT_OK || it_options_set_insecure_fast_kdf(o) != IT_OK) abort();
  return o;
}

it_tree* h_memory_tree(void) {
  it_backend* b = NULL;
  it_tree* t = NULL;
  it_options* o = h_fast_options();
  if (it_backend_new_memory(&b) != IT_OK) abort();
  if (it_tree_create(b, "u", "p", 1, o, &t) != IT_OK) {
    fprintf(stderr, "it_tree_create: %s\n", it_error_message());
    abort();
  }
  it_options_free(o);
  it_backend_free(b); /* the tree keeps its own reference */
  return t;
}

int h_run(const h_test* tests, size_t count) {
  size_t i, passed = 0, failed = 0;
  for (i = 0; i < count; ++i) {
    size_t s;
    g_current_failed = 0;
    it_error_clear();
    tests[i].fn();
    for (s = 0; s < g_scratch_count; ++s) {
      h_rmtree(g_scratch[s]);
      free(g_scratch[s]);
    }
    g_scratch_count = 0;
    if (g_current_failed) {
      ++failed;
      printf("FAIL %s\n", tests[i].name);
    } else {
      ++passed;
      printf("ok   %s\n", tests[i].name);
    }
    fflush(stdout);
  }
  printf("%lu passed, %lu failed\n", (unsigned long)passed, (unsigned long)failed);
  return failed ? 1 : 0;
}

int h_flag, h_rc;
uint64_t h_u64;
int64_t h_i64;
it_buf h_buf;
it_field_type h_ftype;
it_key_type h_ktype;

/* A ring of the last strings H_STR returned, so several may appear in one CHECK. */
const char* h_keep(int rc) {
  static it_buf ring[16];
  static size_t next = 0;
  size_t slot = next;
  if (rc != IT_OK) return NULL;
  next = (next + 1) % 16;
  it_buf_free(&ring[slot]);
  ring[slot] = h_buf;
  h_buf.data = NULL;
  h_buf.size = 0;
  return (const char*)ring[slot].data;
}
