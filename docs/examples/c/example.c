/* A tour of the libinfinitree C ABI: create a tree in a folder, write a map, commit, read
 * the history, check out the first commit. Build: cc -std=c99 example.c -linfinitree
 * Run: ./example /tmp/example-store   (the folder is created; run it twice to see the
 * history grow: the second run opens the tree the first one created). */
#include <stdio.h>
#include <string.h>

#include "infinitree.h"

/* Prints the failure of the last call and leaves with status 1. */
#define TRY(call)                                                                    \
  do {                                                                               \
    int rc_ = (call);                                                                \
    if (rc_ < 0) {                                                                   \
      fprintf(stderr, "%s: %s (%s)\n", #call, it_error_string(rc_), it_error_message()); \
      return 1;                                                                      \
    }                                                                                \
  } while (0)

int main(int argc, char** argv) {
  const char* folder = argc > 1 ? argv[1] : "example-store";
  const char* password = "correct horse battery staple";
  it_backend* store = NULL;
  it_options* options = NULL;
  it_tree* tree = NULL;
  it_map* plants = NULL;
  it_key_builder* kb = NULL;
  it_cursor* cursor = NULL;
  it_commit* commit = NULL;
  it_log* log = NULL;
  it_buf key = {NULL, 0}, value = {NULL, 0}, text = {NULL, 0};
  uint64_t i, commits = 0, sequence = 0;
  int rc;

  printf("libinfinitree %s\n", it_version());
  TRY(it_backend_new_directory(folder, &store));
  TRY(it_options_new(&options));
  TRY(it_options_set_insecure_fast_kdf(options)); /* examples only: real trees keep the default */

  /* Open the tree, or create it on the first run (an empty store is IT_ENOTFOUND). */
  rc = it_tree_open(store, "gardener", password, strlen(password), options, &tree);
  if (rc == IT_ENOTFOUND) {
    rc = it_tree_create(store, "gardener", password, strlen(password), options, &tree);
  }
  TRY(rc);
  it_backend_free(store); /* the tree holds its own reference */
  it_options_free(options);

  /* A map with typed keys: (species, plant number), encoded so they sort naturally. */
  TRY(it_tree_map(tree, "plants", &plants));
  TRY(it_key_builder_new(&kb));
  for (i = 0; i < 3; ++i) {
    static const char* species = "basil";
    char note[32];
    TRY(it_key_builder_add_str(kb, species, strlen(species)));
    TRY(it_key_builder_add_int(kb, (int64_t)i));
    TRY(it_key_builder_finish(kb, &key));
    snprintf(note, sizeof note, "watered %u times", (unsigned)i);
    TRY(it_map_put(plants, key.data, key.size, note, strlen(note)));
    it_buf_free(&key);
  }

  /* Commit; a run with nothing new would give commit == NULL. */
  TRY(it_tree_commit(tree, "water the basil", NULL, 0, NULL, &commit));
  if (commit) {
    /* Strings come out in it_buf, owned by the caller, NUL-terminated. */
    TRY(it_commit_id(commit, &text));
    TRY(it_commit_sequence(commit, &sequence));
    printf("committed %s (#%llu)\n", (const char*)text.data, (unsigned long long)sequence);
    it_buf_free(&text);
    it_commit_free(commit);
  }

  /* Questions answer through an int* out; the return value is only ever the status. */
  {
    int present = 0;
    TRY(it_key_builder_add_str(kb, "basil", 5));
    TRY(it_key_builder_add_int(kb, 0));
    TRY(it_key_builder_finish(kb, &key));
    TRY(it_map_contains(plants, key.data, key.size, &present));
    it_buf_free(&key);
    printf("basil #0 is %s\n", present ? "planted" : "missing");
  }

  /* A NULL ref means the head of the current branch, wherever a ref is taken. */
  TRY(it_tree_resolve(tree, NULL, &text));
  printf("head: %s\n", (const char*)text.data);
  it_buf_free(&text);

  /* Every basil plant, in key order. */
  TRY(it_key_builder_add_str(kb, "basil", 5));
  TRY(it_key_builder_finish(kb, &key));
  /* The prefix of a tuple key is its first component's encoding. */
  TRY(it_map_prefix_cursor(plants, key.data, key.size, &cursor));
  it_buf_free(&key);
  /* Moves return IT_OK on an entry and IT_DONE past the end: one call per step. */
  for (rc = it_cursor_first(cursor); rc == IT_OK; rc = it_cursor_next(cursor)) {
    TRY(it_cursor_value(cursor, &value));
    printf("  basil: %.*s\n", (int)value.size, (const char*)value.data);
    it_buf_free(&value);
  }
  TRY(rc);
  it_cursor_free(cursor);

  /* History, newest first. */
  TRY(it_tree_log(tree, IT_LOG_ALL, NULL, NULL, &log));
  TRY(it_log_count(log, &commits));
  printf("%llu commit(s)\n", (unsigned long long)commits);
  for (i = 0; i < commits; ++i) {
    it_buf message = {NULL, 0};
    TRY(it_log_get(log, i, &commit));
    TRY(it_commit_id(commit, &text));
    TRY(it_commit_message(commit, &message));
    printf("  %s %s\n", (const char*)text.data, (const char*)message.data);
    it_buf_free(&text);
    it_buf_free(&message);
    it_commit_free(commit);
  }

  /* A read-only look at the oldest commit. */
  if (commits > 0) {
    it_view* view = NULL;
    it_map* old_plants = NULL;
    uint64_t count = 0;
    TRY(it_log_get(log, commits - 1, &commit));
    TRY(it_commit_id(commit, &text));
    TRY(it_tree_checkout(tree, (const char*)text.data, &view));
    it_buf_free(&text);
    TRY(it_view_map(view, "plants", &old_plants));
    TRY(it_map_count(old_plants, &count));
    printf("the first commit had %llu plant(s)\n", (unsigned long long)count);
    rc = it_map_put(old_plants, "x", 1, "y", 1);
    printf("writing to a checkout: %s\n", it_error_string(rc)); /* read only */
    it_map_free(old_plants);
    it_view_free(view);
    it_commit_free(commit);
  }
  it_log_free(log);

  it_key_builder_free(kb);
  it_map_free(plants);
  it_tree_free(tree); /* closes it and releases the writer lock */
  return 0;
}
