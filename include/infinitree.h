/*
 * libinfinitree: the stable C ABI.
 *
 * One header, C99, every symbol prefixed it_. The full reference (parameters, return codes,
 * ownership, thread-safety of every function) is docs/c-api.md; this header states the rules
 * and, per function, what differs from them.
 *
 * RULES THAT APPLY TO EVERY FUNCTION
 *
 * Status. Functions return int: 0 (IT_OK) on success, a negative IT_E* code on failure.
 *   The codes never change meaning; they are infinitree::Errc (include/infinitree/error.hpp)
 *   negated. Functions that answer a yes/no question return 1 (yes) or 0 (no), or a
 *   negative code. Lookups of something absent return IT_ENOTFOUND (-2), which is not an
 *   error of the library: it_last_error() is still set, with a message naming the key.
 *   After a failure, it_last_error() gives a message for the calling thread.
 *   Every out-parameter is left untouched on failure unless stated otherwise.
 *
 * Handles. Opaque pointers. Every handle obtained through an `it_x** out` parameter belongs
 *   to the caller and is released with its it_x_free() (or it_tree_free()); passing NULL to
 *   any *_free function is a no-op. Passing a NULL handle to any other function returns
 *   IT_EINVAL. Handles keep what they need alive: freeing a backend, a tree or a log while
 *   maps, cursors or commits made from them are still alive is safe. Using a field handle,
 *   cursor or checkout after its tree was closed (it_tree_close or it_tree_free) returns
 *   IT_ECLOSED.
 *
 * Bytes in. Keys, values, passwords and custom data are (const void* p, size_t n), borrowed
 *   for the call only; (NULL, 0) is the empty string, (NULL, n > 0) is IT_EINVAL. Names
 *   (fields, branches, tags, refs, commit ids, user names, paths, messages) are NUL-
 *   terminated UTF-8 strings, borrowed for the call; NULL where a name is required is
 *   IT_EINVAL.
 *
 * Bytes out. Returned in an it_buf owned by the caller and released with it_buf_free().
 *   On success buf->data is never NULL (even for size 0) and is followed by one extra NUL
 *   byte (not counted in size), so text results can be used as C strings.
 *   Strings returned as `const char*` by accessors of a handle (it_commit_id, ...) are
 *   borrowed: valid until that handle is freed.
 *
 * Threads. A tree, its checkouts and its field handles (it_tree, it_view, it_map, it_set,
 *   it_list, it_value, it_backend) may be used from any number of threads at once: reads
 *   run concurrently, writes to one field are serialized, commit and rollback are atomic
 *   with respect to field operations. Other handles (it_cursor, it_options,
 *   it_commit_options, it_s3_options, it_key_builder, it_stream_writer, it_stream_reader
 *   except it_stream_read_at) must be used by one thread at a time;
 *   read-only result handles (it_commit, it_log, it_names, it_diff, it_key_parts) may be read
 *   from any number of threads at once. No handle may be freed while another thread uses it.
 *   it_last_error() is per thread.
 *
 * Exceptions. No C++ exception crosses this boundary; allocation failure is IT_ENOMEM.
 *
 * Streams (large values, it_stream_*) are at the end of this header.
 */
#ifndef INFINITREE_H
#define INFINITREE_H

#include <stddef.h>
#include <stdint.h>

#if defined(INFINITREE_BUILDING_LIBRARY)
#define IT_API __attribute__((visibility("default")))
#else
#define IT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
 * Version
 * ---------------------------------------------------------------------------------------- */
#define IT_VERSION_MAJOR 0
#define IT_VERSION_MINOR 1
#define IT_VERSION_PATCH 0
#define IT_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH */
#define IT_VERSION_NUMBER (IT_VERSION_MAJOR * 10000 + IT_VERSION_MINOR * 100 + IT_VERSION_PATCH)

/* The library's version, "MAJOR.MINOR.PATCH" (static storage). Thread-safe. */
IT_API const char* it_version(void);

/* ------------------------------------------------------------------------------------------
 * Status codes (stable: never renumbered, only appended)
 * ---------------------------------------------------------------------------------------- */
enum {
  IT_OK = 0,
  IT_EINVAL = -1,       /* bad argument (NULL handle, NULL pointer, bad value) */
  IT_ENOTFOUND = -2,    /* key, field, commit, branch or tag does not exist */
  IT_EMISSING = -3,     /* an object the data needs is not in the store */
  IT_ETRUNCATED = -4,   /* an object is shorter than it must be */
  IT_ECORRUPT = -5,     /* authentication or decoding failed: tampered or damaged data */
  IT_EIO = -6,          /* the operating system reported an I/O error */
  IT_EPERM = -7,        /* the operating system refused access */
  IT_ECREDENTIALS = -8, /* no tree opens with this user name and password */
  IT_EEXISTS = -9,      /* creating something that exists */
  IT_ELOCKED = -10,     /* another writer holds the tree */
  IT_ETOOLARGE = -11,   /* key or value over its limit (IT_MAX_KEY_SIZE, IT_MAX_VALUE_SIZE) */
  IT_ECLOSED = -12,     /* the tree of this handle was closed */
  IT_EVERSION = -13,    /* a format version this library does not know */
  IT_ENOMEM = -14,      /* out of memory */
  IT_ENETWORK = -15,    /* connection failed or timed out after retries */
  IT_EREMOTEAUTH = -16, /* the remote store refused the credentials */
  IT_ECONFLICT = -17,   /* another writer committed first, or uncommitted changes block it */
  IT_EREADONLY = -18,   /* writing through a read-only tree or checkout */
  IT_EINTERNAL = -19,   /* a bug: an invariant did not hold */
  IT_EREMOTE = -20,     /* the remote store answered with an error that cannot be retried */
  IT_ENOSPC = -21       /* the device or quota is full */
};

/* Limits enforced on every write (IT_ETOOLARGE beyond them). */
#define IT_MAX_KEY_SIZE ((size_t)64 * 1024)
#define IT_MAX_VALUE_SIZE ((uint64_t)1 << 30)

/* A short stable description of a code ("ok", "invalid argument", "corrupt", ...); "unknown" for a
 * code this library does not know. Static storage, never NULL. Thread-safe. */
IT_API const char* it_strerror(int code);

/* The message of the last failing call on the calling thread; "" if none. Valid until the
 * next failing call on this thread. Never NULL. Successful calls do not clear it. */
IT_API const char* it_last_error(void);
/* The code of the last failing call on the calling thread; 0 if none. */
IT_API int it_last_error_code(void);
/* Forgets the last error of the calling thread. */
IT_API void it_error_clear(void);

/* ------------------------------------------------------------------------------------------
 * Buffers returned by the library
 * ---------------------------------------------------------------------------------------- */
typedef struct it_buf {
  uint8_t* data; /* owned by the caller after a successful call; NUL-terminated */
  size_t size;   /* bytes, not counting the terminating NUL */
} it_buf;

/* Releases buf->data and sets buf to {NULL, 0}. NULL or an empty buf is a no-op. */
IT_API void it_buf_free(it_buf* buf);

/* ------------------------------------------------------------------------------------------
 * Opaque handles
 * ---------------------------------------------------------------------------------------- */
typedef struct it_backend it_backend;           /* where objects are stored */
typedef struct it_s3_options it_s3_options;     /* settings of an S3 backend */
typedef struct it_options it_options;           /* open/create options: KDF costs, ... */
typedef struct it_tree it_tree;                 /* an open tree (its working state) */
typedef struct it_view it_view;                 /* a read-only checkout of one commit */
typedef struct it_map it_map;                   /* a map field: bytes -> bytes */
typedef struct it_set it_set;                   /* a set field: bytes */
typedef struct it_list it_list;                 /* a list field: index -> bytes */
typedef struct it_value it_value;               /* a value field: one optional bytes */
typedef struct it_cursor it_cursor;             /* a position in a map or set */
typedef struct it_commit it_commit;             /* information about one commit */
typedef struct it_commit_options it_commit_options; /* force, extra parents, orphan */
typedef struct it_log it_log;                   /* a list of commits, newest first */
typedef struct it_names it_names;               /* a list of names (branches, tags, fields) */
typedef struct it_diff it_diff;                 /* changes of one map between two commits */
typedef struct it_key_builder it_key_builder;   /* builds order-preserving keys */
typedef struct it_key_parts it_key_parts;       /* a decoded order-preserving key */
typedef struct it_stream_writer it_stream_writer; /* writes one new stream */
typedef struct it_stream_reader it_stream_reader; /* reads one stored stream */

/* ------------------------------------------------------------------------------------------
 * Backends
 * ---------------------------------------------------------------------------------------- */
/* Objects in memory, gone when the last handle using it is freed. */
IT_API int it_backend_memory(it_backend** out);
/* One file per object under `path` (created if missing). */
IT_API int it_backend_directory(const char* path, it_backend** out);
/* An S3-compatible bucket; see it_s3_options_set for the settings. */
IT_API int it_backend_s3(const it_s3_options* options, it_backend** out);
/* A local directory cache of at most `byte_budget` bytes in front of `remote` (which stays
 * usable and may be freed). Reads fill the cache (least-recently-used
 * objects evicted); writes go to both. Several processes may share `folder`. */
IT_API int it_backend_cache(it_backend* remote, const char* folder, uint64_t byte_budget,
                            it_backend** out);
/* A short description ("memory", "dir:/path", "s3://bucket/prefix"). */
IT_API int it_backend_describe(const it_backend* backend, it_buf* out);
IT_API void it_backend_free(it_backend* backend);

IT_API int it_s3_options_new(it_s3_options** out);
/* Sets one setting by name. Keys: "url" ("s3://bucket/prefix": sets bucket and prefix),
 * "endpoint", "region", "bucket", "prefix", "addressing" ("auto", "path", "virtual"),
 * "access_key_id", "secret_access_key", "session_token", "ca_file", and integers given in
 * decimal: "parallel_uploads", "max_attempts", "retry_base_ms", "max_retry_seconds",
 * "connect_timeout_ms", "stall_timeout_seconds". IT_EINVAL for an unknown key or bad value. */
IT_API int it_s3_options_set(it_s3_options* options, const char* key, const char* value);
IT_API void it_s3_options_free(it_s3_options* options);

/* ------------------------------------------------------------------------------------------
 * Open options (credentials' cost parameters and tuning); NULL options mean defaults.
 * ---------------------------------------------------------------------------------------- */
enum { IT_COMPRESSION_NONE = 0, IT_COMPRESSION_LZ4 = 1, IT_COMPRESSION_ZSTD = 2 };

IT_API int it_options_new(it_options** out);
/* Argon2id costs (defaults 65536 KiB, 3 iterations, 4 lanes). Open with the costs you
 * created with: other costs give other keys (IT_ECREDENTIALS). */
IT_API int it_options_set_kdf(it_options* options, uint32_t memory_kib, uint32_t iterations,
                              uint32_t parallelism);
/* Trivially brute-forced costs (64 KiB, 1, 1): for tests and examples only. */
IT_API int it_options_set_insecure_fast_kdf(it_options* options);
/* Nonzero: open without the writer lock; writes and commits fail with IT_EREADONLY. */
IT_API int it_options_set_read_only(it_options* options, int read_only);
/* One of IT_COMPRESSION_*. */
IT_API int it_options_set_compression(it_options* options, int method);
/* Bytes of decoded B-tree nodes kept in memory (default 256 MiB). */
IT_API int it_options_set_node_cache_bytes(it_options* options, uint64_t bytes);
/* B-tree node size in bytes; 0 = the library's default. */
IT_API int it_options_set_node_bytes(it_options* options, uint64_t bytes);
IT_API void it_options_free(it_options* options);

/* ------------------------------------------------------------------------------------------
 * Trees
 * ---------------------------------------------------------------------------------------- */
/* Creates a tree in `backend` (the tree keeps its own reference). IT_EEXISTS if a tree with
 * these credentials is there. */
IT_API int it_tree_create(it_backend* backend, const char* username, const void* password,
                          size_t password_len, const it_options* options, it_tree** out);
/* Opens a tree. IT_ECREDENTIALS if none opens with these credentials (or KDF costs),
 * IT_ELOCKED if another writer holds it (unless read-only). */
IT_API int it_tree_open(it_backend* backend, const char* username, const void* password,
                        size_t password_len, const it_options* options, it_tree** out);
/* Releases the writer lock; every later use of the tree and of anything made from it
 * returns IT_ECLOSED. Uncommitted changes are discarded. Closing twice is fine. */
IT_API int it_tree_close(it_tree* tree);
/* Closes (if still open) and releases the handle. */
IT_API void it_tree_free(it_tree* tree);
/* 1 if opened read-only, 0 if not. */
IT_API int it_tree_read_only(const it_tree* tree);

/* Field handles of the working tree, created on first use. IT_EINVAL if the field exists
 * with another type. */
IT_API int it_tree_map(it_tree* tree, const char* name, it_map** out);
IT_API int it_tree_set(it_tree* tree, const char* name, it_set** out);
IT_API int it_tree_list(it_tree* tree, const char* name, it_list** out);
IT_API int it_tree_value(it_tree* tree, const char* name, it_value** out);
/* Fields: names with it_names_type() = IT_FIELD_*. */
enum { IT_FIELD_MAP = 1, IT_FIELD_SET = 2, IT_FIELD_LIST = 3, IT_FIELD_VALUE = 4 };
IT_API int it_tree_fields(const it_tree* tree, it_names** out);
/* 1 if the field exists, 0 if not. */
IT_API int it_tree_has_field(const it_tree* tree, const char* name);
/* Persisted by the next commit. */
IT_API int it_tree_rename_field(it_tree* tree, const char* from, const char* to);
IT_API int it_tree_drop_field(it_tree* tree, const char* name);

/* Commits every field's changes on the current branch. `custom` is stored as given.
 * `options` may be NULL. On success *out (if out is not NULL) is the new commit, or NULL if
 * nothing changed and force was not set (then no commit was made). Durable on return. */
IT_API int it_tree_commit(it_tree* tree, const char* message, const void* custom,
                          size_t custom_len, const it_commit_options* options, it_commit** out);
/* Discards every uncommitted change. */
IT_API int it_tree_rollback(it_tree* tree);
/* 1 if there are uncommitted changes, 0 if not. */
IT_API int it_tree_has_changes(const it_tree* tree);

IT_API int it_commit_options_new(it_commit_options** out);
/* Nonzero: commit even if nothing changed. */
IT_API int it_commit_options_set_force(it_commit_options* options, int force);
/* Nonzero: no first parent (a disjoint line of history). */
IT_API int it_commit_options_set_orphan(it_commit_options* options, int orphan);
/* Adds a merge parent (a commit id, or any ref it_tree_resolve accepts). */
IT_API int it_commit_options_add_parent(it_commit_options* options, const char* commit_id);
IT_API void it_commit_options_free(it_commit_options* options);

/* History: which commits it_tree_log lists, newest first, following first parents. */
enum {
  IT_LOG_ALL = 0,    /* every commit of the current branch */
  IT_LOG_SINGLE = 1, /* only `from` */
  IT_LOG_UP_TO = 2,  /* `from` and everything before it */
  IT_LOG_RANGE = 3   /* from `to` (newest) back to `from` (oldest, an ancestor), both in */
};
/* `from` and `to` are commit ids (full or a unique prefix of 4+ digits); NULL when unused. */
IT_API int it_tree_log(const it_tree* tree, int filter, const char* from, const char* to,
                       it_log** out);
/* The commit `ref` resolves to (id, prefix, branch or tag). */
IT_API int it_tree_commit_info(const it_tree* tree, const char* ref, it_commit** out);
/* The commit the current branch points to; IT_ENOTFOUND if it has none yet. */
IT_API int it_tree_head(const it_tree* tree, it_commit** out);
/* A read-only view of commit `ref` (id, prefix, branch or tag). */
IT_API int it_tree_checkout(const it_tree* tree, const char* ref, it_view** out);
/* Changes of map or set `field` from commit `a` to commit `b`, in key order. */
IT_API int it_tree_diff(const it_tree* tree, const char* field, const char* a, const char* b,
                        it_diff** out);

/* Branches and tags. A branch moves with commits; a tag does not. */
IT_API int it_tree_current_branch(const it_tree* tree, it_buf* out);
/* `commit_id` NULL or "": the head. */
IT_API int it_tree_create_branch(it_tree* tree, const char* name, const char* commit_id);
/* IT_ECONFLICT if there are uncommitted changes. */
IT_API int it_tree_switch_branch(it_tree* tree, const char* name);
IT_API int it_tree_delete_branch(it_tree* tree, const char* name);
/* Names with it_names_target() = the commit id, NULL for a branch without commits. */
IT_API int it_tree_branches(const it_tree* tree, it_names** out);
IT_API int it_tree_create_tag(it_tree* tree, const char* name, const char* commit_id);
IT_API int it_tree_delete_tag(it_tree* tree, const char* name);
IT_API int it_tree_tags(const it_tree* tree, it_names** out);
/* The full commit id of a branch, tag, id or unique id prefix (32 hex digits). */
IT_API int it_tree_resolve(const it_tree* tree, const char* ref, it_buf* out);

/* Replaces the credentials (the data is not re-encrypted). The KDF costs are taken from
 * `options` (NULL: the defaults). */
IT_API int it_tree_change_password(it_tree* tree, const char* new_username,
                                   const void* new_password, size_t new_password_len,
                                   const it_options* options);

typedef struct it_stats {
  uint64_t objects;           /* objects in the store */
  uint64_t commits;
  uint64_t chunks_written;    /* by this handle */
  uint64_t bytes_written;     /* stored bytes of chunks written by this handle */
  uint64_t node_cache_hits;
  uint64_t node_cache_misses;
  uint64_t reserved[10];      /* zero; room for more figures without an ABI break */
} it_stats;
IT_API int it_tree_stats(const it_tree* tree, it_stats* out);

/* ------------------------------------------------------------------------------------------
 * Checkouts (read-only views of one commit)
 * Field getters return IT_ENOTFOUND for a field the commit did not have; writes through
 * the handles they return fail with IT_EREADONLY.
 * ---------------------------------------------------------------------------------------- */
IT_API int it_view_map(it_view* view, const char* name, it_map** out);
IT_API int it_view_set(it_view* view, const char* name, it_set** out);
IT_API int it_view_list(it_view* view, const char* name, it_list** out);
IT_API int it_view_value(it_view* view, const char* name, it_value** out);
IT_API int it_view_fields(const it_view* view, it_names** out);
IT_API int it_view_has_field(const it_view* view, const char* name);
/* The commit this view shows. */
IT_API int it_view_commit(const it_view* view, it_commit** out);
IT_API void it_view_free(it_view* view);

/* ------------------------------------------------------------------------------------------
 * Maps: bytes -> bytes, ordered bytewise
 * ---------------------------------------------------------------------------------------- */
/* IT_ENOTFOUND if the key is absent. */
IT_API int it_map_get(const it_map* map, const void* key, size_t key_len, it_buf* value);
IT_API int it_map_put(it_map* map, const void* key, size_t key_len, const void* value,
                      size_t value_len);
/* 1 if stored, 0 if the key was there (nothing changed). */
IT_API int it_map_put_if_absent(it_map* map, const void* key, size_t key_len, const void* value,
                                size_t value_len);
/* Sets the value to `desired` (has_desired = 0: deletes the key) only if the current value
 * is `expected` (has_expected = 0: the key must be absent). 1 if swapped, 0 if not. */
IT_API int it_map_compare_and_swap(it_map* map, const void* key, size_t key_len,
                                   int has_expected, const void* expected, size_t expected_len,
                                   int has_desired, const void* desired, size_t desired_len);
/* 1 if the key was removed, 0 if it was absent. */
IT_API int it_map_delete(it_map* map, const void* key, size_t key_len);
/* 1 if present, 0 if not. */
IT_API int it_map_contains(const it_map* map, const void* key, size_t key_len);
IT_API int it_map_count(const it_map* map, uint64_t* out);
/* Keys in [from, to); an empty `to` means no upper bound. */
IT_API int it_map_count_range(const it_map* map, const void* from, size_t from_len,
                              const void* to, size_t to_len, uint64_t* out);
/* Removes keys in [from, to) (empty `to`: no upper bound); *removed (if not NULL) gets how
 * many. */
IT_API int it_map_delete_range(it_map* map, const void* from, size_t from_len, const void* to,
                               size_t to_len, uint64_t* removed);
IT_API int it_map_clear(it_map* map);
/* A cursor over [from, to) (empty `to`: no upper bound), positioned at the first key. */
IT_API int it_map_cursor(const it_map* map, const void* from, size_t from_len, const void* to,
                         size_t to_len, it_cursor** out);
/* A cursor over the keys starting with `prefix`, positioned at the first. */
IT_API int it_map_prefix_cursor(const it_map* map, const void* prefix, size_t prefix_len,
                                it_cursor** out);
IT_API void it_map_free(it_map* map);

/* ------------------------------------------------------------------------------------------
 * Cursors. Valid until the tree is closed; if the map changes meanwhile the cursor
 * continues from its current key. One thread at a time.
 * ---------------------------------------------------------------------------------------- */
/* 1 if positioned on an entry, 0 if past either end. */
IT_API int it_cursor_valid(const it_cursor* cursor);
/* IT_ENOTFOUND if not valid. A set's cursor has empty values. */
IT_API int it_cursor_key(const it_cursor* cursor, it_buf* key);
IT_API int it_cursor_value(const it_cursor* cursor, it_buf* value);
/* Key and value in one call (either may be NULL). IT_ENOTFOUND if not valid. */
IT_API int it_cursor_entry(const it_cursor* cursor, it_buf* key, it_buf* value);
IT_API int it_cursor_first(it_cursor* cursor);
IT_API int it_cursor_last(it_cursor* cursor);
/* To the first key >= `key` within the bounds. */
IT_API int it_cursor_seek(it_cursor* cursor, const void* key, size_t key_len);
/* To the last key <= `key` within the bounds. */
IT_API int it_cursor_seek_for_prev(it_cursor* cursor, const void* key, size_t key_len);
/* Moving past either end makes the cursor invalid (status 0). IT_ENOTFOUND if it was
 * already invalid. */
IT_API int it_cursor_next(it_cursor* cursor);
IT_API int it_cursor_prev(it_cursor* cursor);
IT_API void it_cursor_free(it_cursor* cursor);

/* ------------------------------------------------------------------------------------------
 * Sets, lists, values
 * ---------------------------------------------------------------------------------------- */
/* 1 if inserted, 0 if it was there. */
IT_API int it_set_insert(it_set* set, const void* key, size_t key_len);
IT_API int it_set_contains(const it_set* set, const void* key, size_t key_len);
/* 1 if removed, 0 if absent. */
IT_API int it_set_delete(it_set* set, const void* key, size_t key_len);
IT_API int it_set_count(const it_set* set, uint64_t* out);
/* A cursor over keys in [from, to) (empty `to`: no bound); values are empty. */
IT_API int it_set_cursor(const it_set* set, const void* from, size_t from_len, const void* to,
                         size_t to_len, it_cursor** out);
IT_API void it_set_free(it_set* set);

/* Appends; *index (if not NULL) gets the new element's position. */
IT_API int it_list_push(it_list* list, const void* value, size_t value_len, uint64_t* index);
/* IT_ENOTFOUND past the end. */
IT_API int it_list_get(const it_list* list, uint64_t index, it_buf* value);
/* IT_ENOTFOUND past the end. */
IT_API int it_list_set(it_list* list, uint64_t index, const void* value, size_t value_len);
/* Removes the last element; IT_ENOTFOUND if empty. */
IT_API int it_list_pop(it_list* list);
IT_API int it_list_count(const it_list* list, uint64_t* out);
IT_API void it_list_free(it_list* list);

/* IT_ENOTFOUND if unset. */
IT_API int it_value_get(const it_value* value, it_buf* out);
IT_API int it_value_set(it_value* value, const void* data, size_t data_len);
/* Unsets it. */
IT_API int it_value_reset(it_value* value);
IT_API void it_value_free(it_value* value);

/* ------------------------------------------------------------------------------------------
 * Commit information. Accessors return borrowed data valid until it_commit_free; with a
 * NULL handle they return NULL / 0.
 * ---------------------------------------------------------------------------------------- */
IT_API const char* it_commit_id(const it_commit* commit);        /* 32 hex digits */
IT_API size_t it_commit_parent_count(const it_commit* commit);
IT_API const char* it_commit_parent(const it_commit* commit, size_t i); /* NULL out of range */
IT_API int64_t it_commit_time_ms(const it_commit* commit);       /* Unix epoch, UTC */
IT_API uint64_t it_commit_sequence(const it_commit* commit);     /* 1 for a first commit */
IT_API const char* it_commit_branch(const it_commit* commit);
/* The message; *len (if not NULL) gets its length. */
IT_API const char* it_commit_message(const it_commit* commit, size_t* len);
/* The custom bytes (never NULL for a valid handle); *len gets their length. */
IT_API const uint8_t* it_commit_custom(const it_commit* commit, size_t* len);
IT_API void it_commit_free(it_commit* commit);

IT_API size_t it_log_count(const it_log* log);
/* A copy of the i-th commit (0 = newest), to free with it_commit_free. IT_ENOTFOUND out of
 * range. */
IT_API int it_log_get(const it_log* log, size_t i, it_commit** out);
IT_API void it_log_free(it_log* log);

/* ------------------------------------------------------------------------------------------
 * Name lists (branches, tags, fields). Borrowed strings, valid until it_names_free.
 * ---------------------------------------------------------------------------------------- */
IT_API size_t it_names_count(const it_names* names);
IT_API const char* it_names_name(const it_names* names, size_t i);   /* NULL out of range */
/* Branches and tags: the commit id (NULL for a branch without commits); fields: NULL. */
IT_API const char* it_names_target(const it_names* names, size_t i);
/* Fields: IT_FIELD_*; branches and tags: 0. */
IT_API int it_names_type(const it_names* names, size_t i);
IT_API void it_names_free(it_names* names);

/* ------------------------------------------------------------------------------------------
 * Diffs. Borrowed pointers, valid until it_diff_free.
 * ---------------------------------------------------------------------------------------- */
IT_API size_t it_diff_count(const it_diff* diff);
/* Entry i: its key, its old value (*old_value = NULL: added) and new value (*new_value =
 * NULL: removed). Any out-pointer may be NULL. IT_ENOTFOUND out of range. */
IT_API int it_diff_get(const it_diff* diff, size_t i, const uint8_t** key, size_t* key_len,
                       const uint8_t** old_value, size_t* old_len, const uint8_t** new_value,
                       size_t* new_len);
IT_API void it_diff_free(it_diff* diff);

/* ------------------------------------------------------------------------------------------
 * Order-preserving keys (docs/format.md, "Key encoding"): encoded keys compare bytewise in
 * the order of the values they encode; tuples compare component by component. Python and
 * Go build their keys here so every language agrees.
 * ---------------------------------------------------------------------------------------- */
IT_API int it_key_builder_new(it_key_builder** out);
IT_API int it_key_builder_add_int(it_key_builder* b, int64_t v);
IT_API int it_key_builder_add_uint(it_key_builder* b, uint64_t v);
IT_API int it_key_builder_add_double(it_key_builder* b, double v);
/* A UTF-8 string (sorts apart from bytes). */
IT_API int it_key_builder_add_str(it_key_builder* b, const char* s, size_t len);
IT_API int it_key_builder_add_bytes(it_key_builder* b, const void* p, size_t len);
IT_API int it_key_builder_add_bool(it_key_builder* b, int v);
IT_API int it_key_builder_add_null(it_key_builder* b);
/* The encoded key so far; the builder is then empty again, ready for the next key. */
IT_API int it_key_builder_finish(it_key_builder* b, it_buf* out);
/* Empties the builder. */
IT_API int it_key_builder_reset(it_key_builder* b);
IT_API void it_key_builder_free(it_key_builder* b);

/* Decoding: IT_EINVAL for bytes that are not a valid encoding. */
enum {
  IT_KEY_NULL = 0,
  IT_KEY_BYTES = 1,
  IT_KEY_STR = 2,
  IT_KEY_INT = 3,    /* fits in int64 */
  IT_KEY_UINT = 4,   /* above INT64_MAX */
  IT_KEY_DOUBLE = 5,
  IT_KEY_BOOL = 6
};
IT_API int it_key_decode(const void* key, size_t key_len, it_key_parts** out);
IT_API size_t it_key_parts_count(const it_key_parts* parts);
/* IT_KEY_*, or IT_EINVAL / IT_ENOTFOUND (out of range). */
IT_API int it_key_parts_type(const it_key_parts* parts, size_t i);
/* Getters: IT_EINVAL if part i has another type, IT_ENOTFOUND out of range.
 * it_key_parts_int reads IT_KEY_INT parts; it_key_parts_uint reads IT_KEY_UINT parts and
 * IT_KEY_INT parts >= 0. */
IT_API int it_key_parts_int(const it_key_parts* parts, size_t i, int64_t* out);
IT_API int it_key_parts_uint(const it_key_parts* parts, size_t i, uint64_t* out);
IT_API int it_key_parts_double(const it_key_parts* parts, size_t i, double* out);
IT_API int it_key_parts_bool(const it_key_parts* parts, size_t i, int* out);
/* IT_KEY_BYTES and IT_KEY_STR parts: borrowed, valid until it_key_parts_free. */
IT_API int it_key_parts_bytes(const it_key_parts* parts, size_t i, const uint8_t** data,
                              size_t* len);
IT_API void it_key_parts_free(it_key_parts* parts);

/* ------------------------------------------------------------------------------------------
 * Streams: byte strings of any size (files), stored as deduplicated content-defined chunks
 * and named by a small ref (under 1 KiB) that you store as a map value:
 *   it_stream_writer_new(tree, &w); it_stream_write(w, p, n) ...; it_stream_writer_finish(w,
 *   &ref); it_map_put(files, "a.bin", 5, ref.data, ref.size); it_tree_commit(...);
 *   it_stream_reader_new(tree, ref.data, ref.size, &r); it_stream_read(r, buf, sizeof buf, &got)
 * Writers and readers return IT_ECLOSED once their tree is closed. A writer and a reader
 * are used by one thread at a time, except it_stream_read_at (any number of threads).
 * ---------------------------------------------------------------------------------------- */
typedef struct it_stream_stats {
  uint64_t bytes_in;     /* stream bytes written */
  uint64_t bytes_new;    /* bytes of chunks actually stored (the rest was deduplicated) */
  uint64_t bytes_stored; /* after compression and sealing */
  uint64_t chunks;
  uint64_t chunks_new;
  uint64_t reserved[3]; /* zero */
} it_stream_stats;

/* A writer of a new stream, deduplicated against everything stored in the tree.
 * IT_EREADONLY for a read-only tree. */
IT_API int it_stream_writer_new(it_tree* tree, it_stream_writer** out);
/* Appends bytes (any amount, any number of calls). */
IT_API int it_stream_write(it_stream_writer* writer, const void* data, size_t len);
/* Stores what is left and returns the stream's ref in `ref` (durable with the next commit).
 * Afterwards the writer only answers it_stream_writer_stats; writes return IT_ECLOSED. */
IT_API int it_stream_writer_finish(it_stream_writer* writer, it_buf* ref);
IT_API int it_stream_writer_stats(const it_stream_writer* writer, it_stream_stats* out);
/* Without finish, the stream is abandoned (its chunks become garbage). */
IT_API void it_stream_writer_free(it_stream_writer* writer);

/* A reader of the stream whose ref is given (a map value of the working tree or of any
 * commit). IT_ECORRUPT: the bytes are not a stream ref. */
IT_API int it_stream_reader_new(it_tree* tree, const void* ref, size_t ref_len,
                                it_stream_reader** out);
/* The same, through a checkout. */
IT_API int it_stream_reader_new_view(it_view* view, const void* ref, size_t ref_len,
                                     it_stream_reader** out);
IT_API int it_stream_reader_size(const it_stream_reader* reader, uint64_t* out);
/* Reads up to `len` bytes at the current position into `buf`; *got = bytes read (0 only at
 * the end of the stream). */
IT_API int it_stream_read(it_stream_reader* reader, void* buf, size_t len, size_t* got);
/* Moves the position; IT_EINVAL past the end (pos == size is fine). */
IT_API int it_stream_reader_seek(it_stream_reader* reader, uint64_t pos);
IT_API int it_stream_reader_tell(const it_stream_reader* reader, uint64_t* out);
/* Reads at `pos` without moving the position; thread-safe. */
IT_API int it_stream_read_at(const it_stream_reader* reader, uint64_t pos, void* buf, size_t len,
                             size_t* got);
IT_API void it_stream_reader_free(it_stream_reader* reader);

/* 1 if `value` is a stream ref (as returned by it_stream_writer_finish), 0 if not. */
IT_API int it_stream_is_ref(const void* value, size_t len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* INFINITREE_H */
