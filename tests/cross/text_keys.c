/* The C step of the text-key chain of the cross-language test (tests/cross/run.sh):
 *
 *   text_keys DIR   finds "fern" (written by `infinitree put`) and "moss" (written by
 *                   Python's m["moss"] = ...) in map "kv" by their plain C strings, then
 *                   writes "lichen" the same way and commits. Prints PASS/FAIL lines.
 *
 * Text keys are their UTF-8 bytes in every language (docs/cli.md, "Keys"): nothing here
 * encodes anything, which is the point. */
#include <stdio.h>
#include <string.h>

#include <infinitree.h>

#define USER "cross"
#define PASS "pw-\xc3\xbc"

static int failures = 0;

static void result(int ok, const char* what) {
  printf("%s c: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok) failures++;
}

/* 1 if map[key] is the string `want`. */
static int value_is(const it_map* m, const char* key, const char* want) {
  it_buf b = {NULL, 0};
  int ok = it_map_get(m, key, strlen(key), &b) == IT_OK && b.size == strlen(want) &&
           memcmp(b.data, want, b.size) == 0;
  it_buf_free(&b);
  return ok;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  it_backend* b = NULL;
  it_options* o = NULL;
  it_tree* t = NULL;
  it_map* kv = NULL;
  int ok = it_backend_new_directory(argv[1], &b) == IT_OK && it_options_new(&o) == IT_OK &&
           it_options_set_insecure_fast_kdf(o) == IT_OK &&
           it_tree_open(b, USER, PASS, strlen(PASS), o, &t) == IT_OK && it_tree_map(t, "kv", &kv) == IT_OK;
  result(ok, "open the tree the CLI made, map kv");
  if (ok) {
    result(value_is(kv, "fern", "shade"), "it_map_get(\"fern\") finds the CLI's `put fern shade`");
    result(value_is(kv, "moss", "damp"), "it_map_get(\"moss\") finds Python's m[\"moss\"] = \"damp\"");
    const char* v = "rock";
    int wrote = it_map_put(kv, "lichen", strlen("lichen"), v, strlen(v)) == IT_OK &&
                it_tree_commit(t, "c: lichen", NULL, 0, NULL, NULL) == IT_OK;
    result(wrote, "it_map_put(\"lichen\") and commit");
  }
  it_map_free(kv);
  it_tree_free(t);
  it_options_free(o);
  it_backend_free(b);
  return failures ? 1 : 0;
}
