/*
 * libinfinitree: the stable C ABI.
 *
 * One header, C99. Every call's contract (what it does, what it owns, its errors beyond the
 * rules below, and its thread-safety where it differs from the rules) is the comment right
 * above its declaration. docs/c-api.md is an overview with examples. The rules are checked
 * mechanically by tests/capi/check_header_rules.py.
 *
 * ============================================================================================
 * THE RULES (every function keeps them; a function's comment only states what they leave open)
 * ============================================================================================
 *
 * 1. Names. Every symbol starts with it_ (macros and enum values with IT_). A function is
 *    it_<object>_<verb or accessor>[_<noun>], where <object> is the handle it works on. One
 *    verb per action:
 *      new / free      make and release a handle (free accepts NULL and does nothing);
 *      create / open   make a persistent thing (a tree, a branch, a tag) / open a tree;
 *      get / set / put read and write one element or setting (add: append to a setting);
 *      insert / push   add to a set / append to a list;
 *      remove          take elements out of a field (a key, a key range, the last list item);
 *      clear           empty a whole thing (a map, a value, a key builder, the last error);
 *      delete          delete a named thing (a branch, a tag, a field);
 *      contains        "is there" (a key, a field);
 *      is_<adjective>  any other yes/no question (is_read_only, is_modified, is_valid, ...);
 *      count           how many;
 *      encode / decode convert to / from a stored form (keys, msgpack).
 *    The words drop, erase, pop, reset, has and unset are not used.
 *
 * 2. Status. Every function that can fail returns an int status (enum it_status): IT_OK (0)
 *    on success, a negative IT_E* code on failure. Results are written to out-parameters,
 *    which come last. The only functions that return something else are it_version,
 *    it_error_string, it_error_message and it_error_code (they cannot fail) and the
 *    void *_free functions. On failure out-parameters are left untouched and
 *    it_error_message() describes the failure for the calling thread.
 *    A lookup of something absent returns IT_ENOTFOUND: not a fault of the library, but
 *    it_error_message() still names what was missing.
 *
 * 3. Yes/no answers. Predicates (contains, is_*) return a status and write 1 (yes) or
 *    0 (no) to their last parameter `int* out`, so `if (it_tree_is_read_only(t, &ro))` is
 *    true only on failure. Calls that change something and report whether they did
 *    (it_map_put_if_absent, it_map_remove, ...) do the same through an optional `int*`.
 *
 * 4. Optional arguments. An out-parameter of a call whose job is to return it (getters,
 *    counts, predicates, constructors) is required: NULL is IT_EINVAL. An out-parameter of a
 *    call that changes something and also reports a detail (whether it changed, how many,
 *    the new index, the new commit) is optional: NULL means "not wanted".
 *    A ref (a `const char* ref` argument: a branch, a tag, a full commit id or a unique
 *    prefix of 4+ hex digits) may be NULL everywhere: NULL means the head of the current
 *    branch (IT_ENOTFOUND if that branch has no commits yet). Parameters that take a ref are
 *    named ref, or <something>_ref. Every other pointer argument is required.
 *
 * 5. Bytes and strings in. Keys, values, passwords and custom data are (const void* p,
 *    size_t n), borrowed for the call only; (NULL, 0) is empty, (NULL, n > 0) is IT_EINVAL.
 *    Names (fields, branches, tags, user names, paths, messages, S3 settings) are
 *    NUL-terminated UTF-8, borrowed for the call.
 *
 * 6. Bytes and strings out: always an it_buf, owned by the caller and released with
 *    it_buf_free(). On success buf->data is never NULL (even for size 0) and is followed by
 *    one NUL byte not counted in size, so text can be used as a C string. The library never
 *    hands out pointers into its own memory; the only `const char*` results are the static
 *    or thread-local strings of it_version, it_error_string and it_error_message.
 *
 * 7. Counts and indexes are uint64_t and are returned through an out-parameter. Lengths of
 *    memory the caller passes in or reads into are size_t.
 *
 * 8. Enums. Status codes, kinds and modes are named enum types (it_status, it_field_type,
 *    ...). Kinds and modes start at 1, so a zeroed variable is never a valid kind. Status
 *    codes never change meaning and are only appended to. They are infinitree::Errc
 *    (include/infinitree/error.hpp) negated; capi/errors.cpp checks that at compile time.
 *
 * 9. Structs the library fills (it_stats, it_stream_stats) start with a `uint32_t version`
 *    that the caller sets to the matching *_VERSION (or initialises with *_INIT); the
 *    library fills the fields of that version, so new fields never break old callers.
 *    Everything else that may grow is an opaque handle with setters.
 *
 * 10. Handles are opaque. Every handle returned through an `it_x** out` belongs to the
 *    caller and is released with its it_x_free(). A NULL handle anywhere else is IT_EINVAL.
 *    Handles keep what they need alive: freeing a backend, a tree or a log while maps,
 *    cursors or commits made from them are alive is safe. A field handle, cursor, checkout
 *    or stream used after its tree was closed (it_tree_close or it_tree_free) returns
 *    IT_ECLOSED. Calls that only read take a const handle.
 *
 * 11. Threads. A tree, its checkouts and field handles, and backends (it_tree, it_view,
 *    it_map, it_set, it_list, it_value, it_backend) may be used from any number of threads
 *    at once: reads run concurrently, writes to one field are serialized, commit and rollback
 *    are atomic with respect to field operations. Result handles (it_commit, it_log,
 *    it_names, it_diff, it_key_parts) are immutable and may be read from any number of
 *    threads. Every other handle (options, cursors, key builders, stream writers and
 *    readers) is used by one thread at a time unless its comment says otherwise. No handle
 *    may be freed while another thread uses it. The last error is per thread.
 *
 * 12. No C++ exception crosses this boundary; allocation failure is IT_ENOMEM.
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

/* The library's version, "MAJOR.MINOR.PATCH", in static storage. Cannot fail. */
IT_API const char* it_version(void);

/* ------------------------------------------------------------------------------------------
 * Status codes and errors
 * ---------------------------------------------------------------------------------------- */
typedef enum it_status {
  IT_DONE = 1,          /* not a failure: a cursor moved past either end (see Cursors) */
  IT_OK = 0,
  IT_EINVAL = -1,       /* bad argument (NULL handle, NULL pointer, bad value) */
  IT_ENOTFOUND = -2,    /* key, field, commit, branch, tag, tree or store does not exist */
  IT_EMISSING = -3,     /* an object the data needs is not in the store */
  IT_ETRUNCATED = -4,   /* an object is shorter than it must be */
  IT_ECORRUPT = -5,     /* authentication or decoding failed: tampered or damaged data */
  IT_EIO = -6,          /* the operating system reported an I/O error */
  IT_EPERM = -7,        /* the operating system refused access; or a write key used to read */
  IT_ECREDENTIALS = -8, /* no tree opens with this user name and password */
  IT_EEXISTS = -9,      /* creating something that exists */
  IT_ELOCKED = -10,     /* another writer holds the tree */
  IT_ETOOLARGE = -11,   /* key or value over its limit (IT_MAX_KEY_SIZE, IT_MAX_VALUE_SIZE) */
  IT_ECLOSED = -12,     /* the tree of this handle was closed */
  IT_EVERSION = -13,    /* a format or struct version this library does not know */
  IT_ENOMEM = -14,      /* out of memory */
  IT_ENETWORK = -15,    /* connection failed or timed out after retries */
  IT_EREMOTEAUTH = -16, /* the remote store refused the credentials */
  IT_ECONFLICT = -17,   /* another writer committed first, or uncommitted changes block it */
  IT_EREADONLY = -18,   /* writing through a read-only tree or checkout */
  IT_EINTERNAL = -19,   /* a bug: an invariant did not hold */
  IT_EREMOTE = -20,     /* the remote store answered with an error that cannot be retried */
  IT_ENOSPC = -21       /* the device or quota is full */
} it_status;

/* Limits enforced on every write (IT_ETOOLARGE beyond them); capi/errors.cpp checks them
 * against the core's at compile time. */
#define IT_MAX_KEY_SIZE ((size_t)64 * 1024)
#define IT_MAX_VALUE_SIZE ((uint64_t)1 << 30)
/* User names, branch and tag names: 1 to this many bytes (IT_EINVAL otherwise). */
#define IT_MAX_NAME_SIZE 255

/* A short stable description of a status ("ok", "invalid argument", "corrupt", ...);
 * "unknown" for a code this library does not know. Static storage. Cannot fail. */
IT_API const char* it_error_string(int code);
/* The message of the last failing call on the calling thread; "" if none. Valid until the
 * next failing call on this thread; successful calls do not change it. Cannot fail. */
IT_API const char* it_error_message(void);
/* The status of the last failing call on the calling thread; IT_OK if none. Cannot fail. */
IT_API int it_error_code(void);
/* Forgets the last error of the calling thread (code IT_OK, message ""). */
IT_API void it_error_clear(void);

/* ------------------------------------------------------------------------------------------
 * Buffers returned by the library
 * ---------------------------------------------------------------------------------------- */
typedef struct it_buf {
  uint8_t* data; /* owned by the caller after a successful call; NUL-terminated */
  size_t size;   /* bytes, not counting the terminating NUL */
} it_buf;

/* Releases buf->data and sets *buf to {NULL, 0}. NULL or an empty buf is a no-op. */
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
typedef struct it_retention_policy it_retention_policy; /* which commits a forget keeps */
typedef struct it_prune_options it_prune_options; /* repack threshold, grace periods, dry run */

/* ------------------------------------------------------------------------------------------
 * Backends
 * ---------------------------------------------------------------------------------------- */
/* A backend keeping objects in memory, gone when the last handle using it is freed. */
IT_API int it_backend_new_memory(it_backend** out);
/* A backend storing one file per object under `path` (created if missing). IT_EINVAL for an
 * empty path; IT_EIO / IT_EPERM if the folder cannot be made. */
IT_API int it_backend_new_directory(const char* path, it_backend** out);
/* A backend on an S3-compatible bucket with the given settings (the handle copies them). */
IT_API int it_backend_new_s3(const it_s3_options* options, it_backend** out);
/* A local directory cache of at most `byte_budget` bytes in front of `remote` (which stays
 * usable and may be freed first). Reads fill the cache (least-recently-used objects are
 * evicted); writes go to both. Several processes may share `folder`. */
IT_API int it_backend_new_cache(const it_backend* remote, const char* folder,
                                uint64_t byte_budget, it_backend** out);
/* A short description of the backend ("memory", "dir:/path", "s3://bucket/prefix"). */
IT_API int it_backend_describe(const it_backend* backend, it_buf* out);
/* Releases the handle; trees opened on it keep their own reference. */
IT_API void it_backend_free(it_backend* backend);

/* How S3 requests name the bucket. */
typedef enum it_s3_addressing {
  IT_S3_ADDRESSING_AUTO = 1,    /* virtual-hosted for AWS, path-style for other endpoints */
  IT_S3_ADDRESSING_PATH = 2,    /* https://endpoint/bucket/key */
  IT_S3_ADDRESSING_VIRTUAL = 3  /* https://bucket.endpoint/key */
} it_s3_addressing;

/* New S3 settings with the defaults (region us-east-1, 8 parallel uploads, 8 attempts,
 * 50 ms retry base, 60 s retry budget, 10 s connect timeout, 30 s stall timeout). */
IT_API int it_s3_options_new(it_s3_options** out);
/* Sets bucket and prefix from "s3://bucket/prefix" (IT_EINVAL for another form). */
IT_API int it_s3_options_set_url(it_s3_options* options, const char* url);
/* The endpoint, e.g. "https://s3.eu-west-1.amazonaws.com" or "http://127.0.0.1:9000". */
IT_API int it_s3_options_set_endpoint(it_s3_options* options, const char* endpoint);
/* The signing region (default "us-east-1"). */
IT_API int it_s3_options_set_region(it_s3_options* options, const char* region);
/* The bucket name. */
IT_API int it_s3_options_set_bucket(it_s3_options* options, const char* bucket);
/* The key prefix of every object ("" for none; a '/' is appended if missing). */
IT_API int it_s3_options_set_prefix(it_s3_options* options, const char* prefix);
/* One of it_s3_addressing; IT_EINVAL for another value. */
IT_API int it_s3_options_set_addressing(it_s3_options* options, it_s3_addressing addressing);
/* The access key id. */
IT_API int it_s3_options_set_access_key_id(it_s3_options* options, const char* access_key_id);
/* The secret access key. */
IT_API int it_s3_options_set_secret_access_key(it_s3_options* options,
                                               const char* secret_access_key);
/* The session token of temporary credentials ("" for none). */
IT_API int it_s3_options_set_session_token(it_s3_options* options, const char* session_token);
/* An extra CA bundle for HTTPS ("" for none); certificates are always verified. */
IT_API int it_s3_options_set_ca_file(it_s3_options* options, const char* ca_file);
/* Upload worker threads, one each: 1 to 1024. IT_EINVAL for 0 here, for more than 1024 from
 * it_backend_new_s3 (the core's limit). */
IT_API int it_s3_options_set_parallel_uploads(it_s3_options* options, uint32_t parallel_uploads);
/* Attempts per request, the first one included: 1 or more (IT_EINVAL otherwise). */
IT_API int it_s3_options_set_max_attempts(it_s3_options* options, uint32_t max_attempts);
/* Retry backoff base: base * 2^attempt milliseconds (capped at 5 s), with jitter; 0 is fine. */
IT_API int it_s3_options_set_retry_base_ms(it_s3_options* options, uint32_t retry_base_ms);
/* Total time a request may spend retrying, in seconds (0 or more). */
IT_API int it_s3_options_set_max_retry_seconds(it_s3_options* options,
                                               uint32_t max_retry_seconds);
/* Connection timeout in milliseconds, 1 or more. */
IT_API int it_s3_options_set_connect_timeout_ms(it_s3_options* options,
                                                uint32_t connect_timeout_ms);
/* A transfer slower than 1 KiB/s for this many seconds (1 or more) is cut and retried. */
IT_API int it_s3_options_set_stall_timeout_seconds(it_s3_options* options,
                                                   uint32_t stall_timeout_seconds);
/* Releases the settings. */
IT_API void it_s3_options_free(it_s3_options* options);

/* ------------------------------------------------------------------------------------------
 * Open options: KDF costs and tuning. A NULL it_options* means the defaults.
 * ---------------------------------------------------------------------------------------- */
/* How chunks written by a handle are compressed. */
typedef enum it_compression {
  IT_COMPRESSION_NONE = 1,
  IT_COMPRESSION_LZ4 = 2,
  IT_COMPRESSION_ZSTD = 3
} it_compression;

/* The default Argon2id costs (KiB of memory, passes, lanes). */
#define IT_KDF_DEFAULT_MEMORY_KIB 65536u
#define IT_KDF_DEFAULT_ITERATIONS 3u
#define IT_KDF_DEFAULT_PARALLELISM 4u

/* New options with the defaults (default KDF costs, read-write, LZ4, 256 MiB node cache). */
IT_API int it_options_new(it_options** out);
/* Argon2id costs. Open with the costs you created with: other costs give other keys
 * (IT_ECREDENTIALS). IT_EINVAL unless iterations >= 1, parallelism >= 1 and
 * memory_kib >= 8 * parallelism. */
IT_API int it_options_set_kdf(it_options* options, uint32_t memory_kib, uint32_t iterations,
                              uint32_t parallelism);
/* Trivially brute-forced costs (64 KiB, 1, 1): for tests and examples only. */
IT_API int it_options_set_insecure_fast_kdf(it_options* options);
/* Nonzero: open without the writer lock; writes and commits fail with IT_EREADONLY. */
IT_API int it_options_set_read_only(it_options* options, int read_only);
/* Compression of the chunks written from now on: one of it_compression; IT_EINVAL for another
 * value. Unset: LZ4 for it_tree_create, and for it_tree_open whatever the tree last used. Set on a
 * writable open, it becomes the tree's choice (recorded in the sealed root at the next root write). */
IT_API int it_options_set_compression(it_options* options, it_compression method);
/* Bytes of decoded B-tree nodes kept in memory (default 256 MiB). */
IT_API int it_options_set_node_cache_bytes(it_options* options, uint64_t bytes);
/* B-tree node size in bytes; 0 = the library's default. */
IT_API int it_options_set_node_bytes(it_options* options, uint64_t bytes);
/* Warm start: after it_tree_open, a background thread reads up to `nodes` inner B-tree nodes
 * of the head commit's fields into the node cache (top levels first, several in parallel), so
 * the first lookups on a remote store cost about one leaf read each; leaves are never read
 * ahead; 0 turns it off; closing the tree stops it. Unset: 1024 on S3 (directly or behind a
 * cache backend), 0 on local stores. */
IT_API int it_options_set_warm_start_nodes(it_options* options, uint64_t nodes);
/* Releases the options. */
IT_API void it_options_free(it_options* options);

/* ------------------------------------------------------------------------------------------
 * Trees
 * ---------------------------------------------------------------------------------------- */
/* Creates a tree in `backend` and opens it for writing (it takes the writer lock and keeps
 * its own reference to the backend). The user name is 1 to IT_MAX_NAME_SIZE bytes; the
 * password may hold any bytes. IT_EEXISTS if a tree with these credentials is there,
 * IT_EINVAL for a bad user name or read-only options. */
IT_API int it_tree_create(const it_backend* backend, const char* username, const void* password,
                          size_t password_len, const it_options* options, it_tree** out);
/* Opens the tree these credentials (and KDF costs) open. IT_ENOTFOUND if the store is empty
 * (no tree at all; for S3 also a missing bucket), IT_ECREDENTIALS if the store holds objects
 * but none opens with these credentials, IT_ELOCKED if another writer holds it (unless the
 * options are read-only). A writer takes over the objects the last writer handed over when
 * it closed (docs/space.md): closing hands them on again. */
IT_API int it_tree_open(const it_backend* backend, const char* username, const void* password,
                        size_t password_len, const it_options* options, it_tree** out);
/* Releases the writer lock and discards uncommitted changes; every later use of the tree
 * and of anything made from it returns IT_ECLOSED. Closing twice is fine. Waits for field
 * operations running on other threads. */
IT_API int it_tree_close(it_tree* tree);
/* Closes the tree (if still open) and releases the handle. */
IT_API void it_tree_free(it_tree* tree);
/* *out = 1 if the tree was opened read-only, 0 if not. */
IT_API int it_tree_is_read_only(const it_tree* tree, int* out);

/* A handle on map field `name` of the working tree, created (empty) on first use.
 * IT_EINVAL if the field exists with another type. */
IT_API int it_tree_map(it_tree* tree, const char* name, it_map** out);
/* A handle on set field `name` of the working tree; as it_tree_map. */
IT_API int it_tree_set(it_tree* tree, const char* name, it_set** out);
/* A handle on list field `name` of the working tree; as it_tree_map. */
IT_API int it_tree_list(it_tree* tree, const char* name, it_list** out);
/* A handle on value field `name` of the working tree; as it_tree_map. */
IT_API int it_tree_value(it_tree* tree, const char* name, it_value** out);

/* The type of a field. */
typedef enum it_field_type {
  IT_FIELD_MAP = 1,
  IT_FIELD_SET = 2,
  IT_FIELD_LIST = 3,
  IT_FIELD_VALUE = 4
} it_field_type;

/* The fields of the working tree, by name, with it_names_type giving each one's type. */
IT_API int it_tree_fields(const it_tree* tree, it_names** out);
/* *out = 1 if the working tree has a field `name`, 0 if not. */
IT_API int it_tree_contains_field(const it_tree* tree, const char* name, int* out);
/* Renames a field (persisted by the next commit). IT_ENOTFOUND if `from` does not exist,
 * IT_EINVAL for a bad new name. */
IT_API int it_tree_rename_field(it_tree* tree, const char* from, const char* to);
/* Deletes a field and its contents (persisted by the next commit). IT_ENOTFOUND if absent. */
IT_API int it_tree_delete_field(it_tree* tree, const char* name);

/* Commits every field's changes on the current branch; durable on return. `custom` is
 * stored as given; `options` may be NULL (defaults). *out (optional) is the new commit, or
 * NULL if nothing changed and force was not set (then no commit was made). IT_ECONFLICT if
 * another writer committed first, IT_EREADONLY for a read-only tree. */
IT_API int it_tree_commit(it_tree* tree, const char* message, const void* custom,
                          size_t custom_len, const it_commit_options* options, it_commit** out);
/* Discards every uncommitted change. */
IT_API int it_tree_rollback(it_tree* tree);
/* *out = 1 if there are uncommitted changes, 0 if not. */
IT_API int it_tree_is_modified(const it_tree* tree, int* out);

/* New commit options: no force, not an orphan, no extra parents. */
IT_API int it_commit_options_new(it_commit_options** out);
/* Nonzero: commit even if nothing changed. */
IT_API int it_commit_options_set_force(it_commit_options* options, int force);
/* Nonzero: no first parent (a disjoint line of history). */
IT_API int it_commit_options_set_orphan(it_commit_options* options, int orphan);
/* Adds a merge parent. `ref` is resolved when the commit is made (NULL: the head then). */
IT_API int it_commit_options_add_parent(it_commit_options* options, const char* ref);
/* Releases the options. */
IT_API void it_commit_options_free(it_commit_options* options);

/* Which commits it_tree_log lists, newest first, following first parents. */
typedef enum it_log_filter {
  IT_LOG_ALL = 1,    /* every commit of the current branch (the refs are ignored) */
  IT_LOG_SINGLE = 2, /* only from_ref */
  IT_LOG_UP_TO = 3,  /* from_ref and everything before it */
  IT_LOG_RANGE = 4   /* from to_ref (newest) back to from_ref (oldest, an ancestor), both in */
} it_log_filter;
/* The commits `filter` selects. IT_EINVAL for an unknown filter, IT_ENOTFOUND for a ref
 * that resolves to nothing. */
IT_API int it_tree_log(const it_tree* tree, it_log_filter filter, const char* from_ref,
                       const char* to_ref, it_log** out);
/* The commit `ref` resolves to (NULL: the head). */
IT_API int it_tree_get_commit(const it_tree* tree, const char* ref, it_commit** out);
/* A read-only checkout of the commit `ref` resolves to (NULL: the head). */
IT_API int it_tree_checkout(const it_tree* tree, const char* ref, it_view** out);
/* The changes of map or set `field` from commit from_ref to commit to_ref, in key order.
 * IT_ENOTFOUND for a ref that resolves to nothing. */
IT_API int it_tree_diff(const it_tree* tree, const char* field, const char* from_ref,
                        const char* to_ref, it_diff** out);

/* The name of the current branch. */
IT_API int it_tree_current_branch(const it_tree* tree, it_buf* out);
/* Creates branch `name` at the commit `ref` resolves to (NULL: the head). IT_EEXISTS if it
 * exists. A branch moves with commits. */
IT_API int it_tree_create_branch(it_tree* tree, const char* name, const char* ref);
/* Makes `name` the current branch. IT_ECONFLICT if there are uncommitted changes. */
IT_API int it_tree_switch_branch(it_tree* tree, const char* name);
/* Deletes branch `name` (not its commits). IT_EINVAL for the current branch. */
IT_API int it_tree_delete_branch(it_tree* tree, const char* name);
/* The branches, with it_names_target = the commit each points to. */
IT_API int it_tree_branches(const it_tree* tree, it_names** out);
/* Creates tag `name` at the commit `ref` resolves to (NULL: the head). IT_EEXISTS if it
 * exists. A tag does not move. */
IT_API int it_tree_create_tag(it_tree* tree, const char* name, const char* ref);
/* Deletes tag `name` (not its commit). */
IT_API int it_tree_delete_tag(it_tree* tree, const char* name);
/* The tags, with it_names_target = the commit each names. */
IT_API int it_tree_tags(const it_tree* tree, it_names** out);
/* The full commit id (32 hex digits) `ref` resolves to (NULL: the head). */
IT_API int it_tree_resolve(const it_tree* tree, const char* ref, it_buf* out);

/* Replaces the credentials with a new user name, password and Argon2id costs (as
 * it_options_set_kdf). The data is not re-encrypted. IT_EEXISTS if a tree with the new
 * credentials is already there. */
IT_API int it_tree_change_password(it_tree* tree, const char* username, const void* password,
                                   size_t password_len, uint32_t kdf_memory_kib,
                                   uint32_t kdf_iterations, uint32_t kdf_parallelism);

#define IT_STATS_VERSION 1
#define IT_STATS_INIT {IT_STATS_VERSION, 0, 0, 0, 0, 0, 0}
typedef struct it_stats {
  uint32_t version;           /* set by the caller: IT_STATS_VERSION */
  uint64_t objects;           /* objects in the store */
  uint64_t commits;
  uint64_t chunks_written;    /* by this handle */
  uint64_t bytes_written;     /* stored bytes of chunks written by this handle */
  uint64_t node_cache_hits;
  uint64_t node_cache_misses;
} it_stats;
/* Fills the figures of out->version. IT_EVERSION for a version this library does not know. */
IT_API int it_tree_stats(const it_tree* tree, it_stats* out);

/* ------------------------------------------------------------------------------------------
 * Space (docs/space.md): forget drops commits from the history, prune deletes and repacks
 * the objects no kept commit needs. Branch heads and tagged commits are never forgotten.
 * A kept commit keeps its id, content and parents; it_commit_forgotten_parent lists the
 * parents that were forgotten, and it_tree_log walks past them. Resolving, checking out or
 * getting a forgotten commit is IT_ENOTFOUND.
 * ---------------------------------------------------------------------------------------- */
/* A new retention policy with no rule (forgetting by it is IT_EINVAL until a rule is set).
 * A commit is kept if any rule keeps it; time buckets are UTC. */
IT_API int it_retention_policy_new(it_retention_policy** out);
/* Keeps the `n` newest commits (0: no such rule). IT_EINVAL above 2^32 - 1 (also for the
 * other keep_* counts). */
IT_API int it_retention_policy_set_keep_last(it_retention_policy* policy, uint64_t n);
/* Keeps the newest commit of each of the `n` newest hours that hold one (0: no such rule). */
IT_API int it_retention_policy_set_keep_hourly(it_retention_policy* policy, uint64_t n);
/* As keep_hourly, for days. */
IT_API int it_retention_policy_set_keep_daily(it_retention_policy* policy, uint64_t n);
/* As keep_hourly, for ISO weeks (Monday first). */
IT_API int it_retention_policy_set_keep_weekly(it_retention_policy* policy, uint64_t n);
/* As keep_hourly, for months. */
IT_API int it_retention_policy_set_keep_monthly(it_retention_policy* policy, uint64_t n);
/* As keep_hourly, for years. */
IT_API int it_retention_policy_set_keep_yearly(it_retention_policy* policy, uint64_t n);
/* Keeps every commit at most `ms` milliseconds older than the newest commit (0: no such
 * rule). IT_EINVAL for a negative duration. */
IT_API int it_retention_policy_set_keep_within_ms(it_retention_policy* policy, int64_t ms);
/* Releases the policy. */
IT_API void it_retention_policy_free(it_retention_policy* policy);

/* New prune options with the defaults: repack objects under 50% live, 15 minute grace
 * before deleting, 1 hour grace for orphaned temporary files, not a dry run. A NULL
 * it_prune_options* means these defaults. */
IT_API int it_prune_options_new(it_prune_options** out);
/* Objects whose live bytes are under this fraction of their capacity are repacked. IT_EINVAL
 * outside 0..1 (NaN included). */
IT_API int it_prune_options_set_repack_below(it_prune_options* options, double fraction);
/* How long deletions wait, so readers of an older root can finish (0: delete at once).
 * IT_EINVAL for a negative duration. */
IT_API int it_prune_options_set_grace_ms(it_prune_options* options, int64_t grace_ms);
/* Orphaned temporary files older than this are removed. IT_EINVAL for a negative duration. */
IT_API int it_prune_options_set_temp_grace_ms(it_prune_options* options, int64_t temp_grace_ms);
/* Nonzero: it_tree_prune reports what it would do and changes nothing. */
IT_API int it_prune_options_set_dry_run(it_prune_options* options, int dry_run);
/* Releases the options. */
IT_API void it_prune_options_free(it_prune_options* options);

#define IT_SPACE_REPORT_VERSION 1
#define IT_SPACE_REPORT_INIT {IT_SPACE_REPORT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
/* Byte figures are stored (compressed, sealed) bytes; an object is 4 MiB in the store. */
typedef struct it_space_report {
  uint32_t version;            /* set by the caller: IT_SPACE_REPORT_VERSION */
  uint64_t objects;            /* this tree's objects in the store (the root object aside) */
  uint64_t object_bytes;       /* objects * 4 MiB */
  uint64_t live_chunks;        /* chunks some kept commit (or the refs/history) needs */
  uint64_t live_bytes;
  uint64_t garbage_bytes;      /* object_bytes - live_bytes (padding included) */
  uint64_t objects_to_delete;  /* hold no live chunk */
  uint64_t objects_to_repack;  /* live fraction under the repack threshold */
  uint64_t objects_pending;    /* already scheduled for deletion by an earlier prune */
  /* Filled in by it_tree_prune (0 from it_tree_space and in a dry run): */
  uint64_t objects_deleted;    /* deleted by this call (their grace period is over) */
  uint64_t objects_deferred;   /* scheduled for deletion after the grace period */
  uint64_t chunks_moved;       /* live chunks copied out of repacked objects */
  uint64_t bytes_moved;
  uint64_t temp_files_removed;
} it_space_report;

/* Forgets the `count` commits `refs` names (each a ref as in rule 4, but not NULL; `refs`
 * may be NULL when count is 0). Nonzero dry_run: changes nothing and reports what would go.
 * *forgotten and *kept (both optional) are the commits forgotten and kept, newest first.
 * Deletes no data (that is it_tree_prune's job). IT_EINVAL for a branch head or a tagged
 * commit (then nothing is forgotten), IT_ENOTFOUND for a ref that resolves to nothing (a
 * forgotten commit included), IT_EREADONLY for a read-only tree unless dry_run. */
IT_API int it_tree_forget(it_tree* tree, const char* const* refs, uint64_t count, int dry_run,
                          it_log** forgotten, it_log** kept);
/* Forgets every commit `policy` does not keep (branch heads and tagged commits are always
 * kept); dry_run, *forgotten and *kept as it_tree_forget. IT_EINVAL for a policy without a
 * rule, IT_EREADONLY for a read-only tree unless dry_run. */
IT_API int it_tree_forget_by_policy(it_tree* tree, const it_retention_policy* policy,
                                    int dry_run, it_log** forgotten, it_log** kept);
/* Deletes the objects no kept commit needs and repacks sparse ones (`options` NULL: the
 * defaults); *out (optional; its version set by the caller) says what it found and did.
 * Safe against a crash at any point. IT_ECONFLICT if there are uncommitted changes,
 * IT_EREADONLY for a read-only tree, IT_EVERSION for an unknown out->version. */
IT_API int it_tree_prune(it_tree* tree, const it_prune_options* options, it_space_report* out);
/* What it_tree_prune would do now (`options` NULL: the defaults), for out->version; reads
 * every node of every kept commit. IT_EVERSION for an unknown version. */
IT_API int it_tree_space(const it_tree* tree, const it_prune_options* options,
                         it_space_report* out);

/* ------------------------------------------------------------------------------------------
 * Checkouts (read-only views of one commit). Writes through the field handles they give
 * fail with IT_EREADONLY.
 * ---------------------------------------------------------------------------------------- */
/* A handle on map field `name` of the commit. IT_ENOTFOUND if the commit has no such
 * field, IT_EINVAL if it has another type. */
IT_API int it_view_map(const it_view* view, const char* name, it_map** out);
/* A handle on set field `name` of the commit; as it_view_map. */
IT_API int it_view_set(const it_view* view, const char* name, it_set** out);
/* A handle on list field `name` of the commit; as it_view_map. */
IT_API int it_view_list(const it_view* view, const char* name, it_list** out);
/* A handle on value field `name` of the commit; as it_view_map. */
IT_API int it_view_value(const it_view* view, const char* name, it_value** out);
/* The fields of the commit, with their types. */
IT_API int it_view_fields(const it_view* view, it_names** out);
/* *out = 1 if the commit has a field `name`, 0 if not. */
IT_API int it_view_contains_field(const it_view* view, const char* name, int* out);
/* The commit this checkout shows. */
IT_API int it_view_get_commit(const it_view* view, it_commit** out);
/* Releases the checkout; field handles made from it stay usable. */
IT_API void it_view_free(it_view* view);

/* ------------------------------------------------------------------------------------------
 * Maps: bytes -> bytes, ordered bytewise
 * ---------------------------------------------------------------------------------------- */
/* The value of `key`. IT_ENOTFOUND if the key is absent. */
IT_API int it_map_get(const it_map* map, const void* key, size_t key_len, it_buf* out);
/* Stores `value` under `key`, replacing any value. IT_ETOOLARGE beyond the limits. */
IT_API int it_map_put(it_map* map, const void* key, size_t key_len, const void* value,
                      size_t value_len);
/* Stores `value` only if `key` is absent; *stored (optional) = 1 if it did, 0 if not. */
IT_API int it_map_put_if_absent(it_map* map, const void* key, size_t key_len, const void* value,
                                size_t value_len, int* stored);
/* Sets the value to `desired` (has_desired = 0: removes the key) only if the current value
 * is `expected` (has_expected = 0: the key must be absent), atomically with respect to
 * other writers of this map. *swapped (optional) = 1 if it did, 0 if not. */
IT_API int it_map_compare_and_swap(it_map* map, const void* key, size_t key_len,
                                   int has_expected, const void* expected, size_t expected_len,
                                   int has_desired, const void* desired, size_t desired_len,
                                   int* swapped);
/* Removes `key`; *removed (optional) = 1 if it was there, 0 if not. */
IT_API int it_map_remove(it_map* map, const void* key, size_t key_len, int* removed);
/* *out = 1 if `key` is present, 0 if not. */
IT_API int it_map_contains(const it_map* map, const void* key, size_t key_len, int* out);
/* The number of keys. */
IT_API int it_map_count(const it_map* map, uint64_t* out);
/* The number of keys in [from, to); an empty `to` means no upper bound. */
IT_API int it_map_count_range(const it_map* map, const void* from, size_t from_len,
                              const void* to, size_t to_len, uint64_t* out);
/* Removes the keys in [from, to) (empty `to`: no upper bound); *removed (optional) = how
 * many. */
IT_API int it_map_remove_range(it_map* map, const void* from, size_t from_len, const void* to,
                               size_t to_len, uint64_t* removed);
/* Removes every key. */
IT_API int it_map_clear(it_map* map);
/* A cursor over the keys in [from, to) (empty `to`: no upper bound), on the first one. */
IT_API int it_map_cursor(const it_map* map, const void* from, size_t from_len, const void* to,
                         size_t to_len, it_cursor** out);
/* A cursor over the keys starting with `prefix`, on the first one. */
IT_API int it_map_prefix_cursor(const it_map* map, const void* prefix, size_t prefix_len,
                                it_cursor** out);
/* Releases the handle (not the field). */
IT_API void it_map_free(it_map* map);

/* ------------------------------------------------------------------------------------------
 * Cursors. Valid until the tree is closed; if the map changes meanwhile the cursor
 * continues from its current key. The moves (first, last, seek, seek_for_prev, next, prev)
 * return IT_OK when the cursor is on an entry afterwards and IT_DONE when it is past either
 * end (or the range is empty), so a scan is
 *   for (rc = it_cursor_first(c); rc == IT_OK; rc = it_cursor_next(c)) { ... }
 *   if (rc != IT_DONE) { error }
 * IT_DONE is not a failure: it does not change it_error_message().
 * ---------------------------------------------------------------------------------------- */
/* *out = 1 if the cursor is on an entry, 0 if it is past either end. */
IT_API int it_cursor_is_valid(const it_cursor* cursor, int* out);
/* The current key. IT_ENOTFOUND if the cursor is not on an entry. */
IT_API int it_cursor_key(const it_cursor* cursor, it_buf* out);
/* The current value (empty for a set's cursor). IT_ENOTFOUND if not on an entry. */
IT_API int it_cursor_value(const it_cursor* cursor, it_buf* out);
/* Key and value in one call; both are required. IT_ENOTFOUND if not on an entry. */
IT_API int it_cursor_entry(const it_cursor* cursor, it_buf* key, it_buf* value);
/* To the first key of the range: IT_OK, or IT_DONE if the range is empty. */
IT_API int it_cursor_first(it_cursor* cursor);
/* To the last key of the range: IT_OK, or IT_DONE if the range is empty. */
IT_API int it_cursor_last(it_cursor* cursor);
/* To the first key >= `key` within the range: IT_OK, or IT_DONE if there is none. */
IT_API int it_cursor_seek(it_cursor* cursor, const void* key, size_t key_len);
/* To the last key <= `key` within the range: IT_OK, or IT_DONE if there is none. */
IT_API int it_cursor_seek_for_prev(it_cursor* cursor, const void* key, size_t key_len);
/* To the next key: IT_OK, or IT_DONE past the end (also when it already was). */
IT_API int it_cursor_next(it_cursor* cursor);
/* To the previous key: IT_OK, or IT_DONE before the start (also when it already was). */
IT_API int it_cursor_prev(it_cursor* cursor);
/* Releases the cursor. */
IT_API void it_cursor_free(it_cursor* cursor);

/* ------------------------------------------------------------------------------------------
 * Sets, lists, values
 * ---------------------------------------------------------------------------------------- */
/* Adds `key`; *inserted (optional) = 1 if it was new, 0 if it was there. */
IT_API int it_set_insert(it_set* set, const void* key, size_t key_len, int* inserted);
/* *out = 1 if `key` is in the set, 0 if not. */
IT_API int it_set_contains(const it_set* set, const void* key, size_t key_len, int* out);
/* Removes `key`; *removed (optional) = 1 if it was there, 0 if not. */
IT_API int it_set_remove(it_set* set, const void* key, size_t key_len, int* removed);
/* The number of keys. */
IT_API int it_set_count(const it_set* set, uint64_t* out);
/* A cursor over the keys in [from, to) (empty `to`: no bound), on the first; values are
 * empty. */
IT_API int it_set_cursor(const it_set* set, const void* from, size_t from_len, const void* to,
                         size_t to_len, it_cursor** out);
/* Releases the handle (not the field). */
IT_API void it_set_free(it_set* set);

/* Appends `value`; *index (optional) = its position. */
IT_API int it_list_push(it_list* list, const void* value, size_t value_len, uint64_t* index);
/* The element at `index`. IT_ENOTFOUND past the end. */
IT_API int it_list_get(const it_list* list, uint64_t index, it_buf* out);
/* Replaces the element at `index`. IT_ENOTFOUND past the end. */
IT_API int it_list_set(it_list* list, uint64_t index, const void* value, size_t value_len);
/* Removes the last element. IT_ENOTFOUND if the list is empty. */
IT_API int it_list_remove_last(it_list* list);
/* The number of elements. */
IT_API int it_list_count(const it_list* list, uint64_t* out);
/* Releases the handle (not the field). */
IT_API void it_list_free(it_list* list);

/* The value. IT_ENOTFOUND if it is not set. */
IT_API int it_value_get(const it_value* value, it_buf* out);
/* Sets the value. */
IT_API int it_value_set(it_value* value, const void* data, size_t data_len);
/* Unsets the value (it_value_get then returns IT_ENOTFOUND). */
IT_API int it_value_clear(it_value* value);
/* Releases the handle (not the field). */
IT_API void it_value_free(it_value* value);

/* ------------------------------------------------------------------------------------------
 * Commit information: immutable copies, freed with it_commit_free.
 * ---------------------------------------------------------------------------------------- */
/* The commit id, 32 hex digits. */
IT_API int it_commit_id(const it_commit* commit, it_buf* out);
/* The number of parents (0 for a first or orphan commit). */
IT_API int it_commit_parent_count(const it_commit* commit, uint64_t* out);
/* The id of parent `index` (0 = the first parent). IT_ENOTFOUND out of range. */
IT_API int it_commit_parent(const it_commit* commit, uint64_t index, it_buf* out);
/* The commit time in milliseconds since the Unix epoch, UTC. */
IT_API int it_commit_time_ms(const it_commit* commit, int64_t* out);
/* The sequence number: 1 for a first commit, 1 + the highest parent's otherwise. */
IT_API int it_commit_sequence(const it_commit* commit, uint64_t* out);
/* The branch the commit was made on. */
IT_API int it_commit_branch(const it_commit* commit, it_buf* out);
/* The message. */
IT_API int it_commit_message(const it_commit* commit, it_buf* out);
/* The custom bytes given to it_tree_commit. */
IT_API int it_commit_custom(const it_commit* commit, it_buf* out);
/* The number of parents that were forgotten (it_tree_forget); they are also counted by
 * it_commit_parent_count. */
IT_API int it_commit_forgotten_parent_count(const it_commit* commit, uint64_t* out);
/* The id of forgotten parent `index`. IT_ENOTFOUND out of range. */
IT_API int it_commit_forgotten_parent(const it_commit* commit, uint64_t index, it_buf* out);
/* Releases the commit. */
IT_API void it_commit_free(it_commit* commit);

/* The number of commits. */
IT_API int it_log_count(const it_log* log, uint64_t* out);
/* A copy of commit `index` (0 = newest), to free with it_commit_free. IT_ENOTFOUND out of
 * range. */
IT_API int it_log_get(const it_log* log, uint64_t index, it_commit** out);
/* Releases the log (commits taken from it stay valid). */
IT_API void it_log_free(it_log* log);

/* ------------------------------------------------------------------------------------------
 * Name lists (branches, tags, fields)
 * ---------------------------------------------------------------------------------------- */
/* The number of names. */
IT_API int it_names_count(const it_names* names, uint64_t* out);
/* Name `index`. IT_ENOTFOUND out of range. */
IT_API int it_names_name(const it_names* names, uint64_t index, it_buf* out);
/* For branches and tags, the commit id name `index` points to. IT_ENOTFOUND out of range,
 * for a branch without commits and for a field list. */
IT_API int it_names_target(const it_names* names, uint64_t index, it_buf* out);
/* For fields, the type of field `index`. IT_ENOTFOUND out of range and for branch and tag
 * lists. */
IT_API int it_names_type(const it_names* names, uint64_t index, it_field_type* out);
/* Releases the list. */
IT_API void it_names_free(it_names* names);

/* ------------------------------------------------------------------------------------------
 * Diffs
 * ---------------------------------------------------------------------------------------- */
/* The number of changed keys. */
IT_API int it_diff_count(const it_diff* diff, uint64_t* out);
/* Change `index`: its key, its old value and its new value. *has_old = 0 when the key was
 * added (old_value is then empty), *has_new = 0 when it was removed. All six outputs are
 * required. IT_ENOTFOUND out of range. */
IT_API int it_diff_get(const it_diff* diff, uint64_t index, it_buf* key, int* has_old,
                       it_buf* old_value, int* has_new, it_buf* new_value);
/* Releases the diff. */
IT_API void it_diff_free(it_diff* diff);

/* ------------------------------------------------------------------------------------------
 * Order-preserving keys (docs/format.md, "Key encoding"): encoded keys compare bytewise in
 * the order of the values they encode; tuples compare component by component. Python and
 * Go build their keys here so every language agrees.
 * ---------------------------------------------------------------------------------------- */
/* A new, empty key builder. */
IT_API int it_key_builder_new(it_key_builder** out);
/* Appends a signed integer. */
IT_API int it_key_builder_add_int(it_key_builder* builder, int64_t v);
/* Appends an unsigned integer (sorts with the signed ones by value). */
IT_API int it_key_builder_add_uint(it_key_builder* builder, uint64_t v);
/* Appends a double (NaN sorts after +infinity). */
IT_API int it_key_builder_add_double(it_key_builder* builder, double v);
/* Appends a UTF-8 string (sorts apart from bytes). */
IT_API int it_key_builder_add_str(it_key_builder* builder, const char* s, size_t len);
/* Appends a byte string. */
IT_API int it_key_builder_add_bytes(it_key_builder* builder, const void* p, size_t len);
/* Appends a boolean (nonzero: true). */
IT_API int it_key_builder_add_bool(it_key_builder* builder, int v);
/* Appends a null. */
IT_API int it_key_builder_add_null(it_key_builder* builder);
/* Appends a UTC time as microseconds since the Unix epoch (negative: before 1970); times
 * sort by instant and apart from integers. */
IT_API int it_key_builder_add_time(it_key_builder* builder, int64_t micros);
/* Nonzero: every component added from now on sorts in descending order (newest time,
 * largest number, last string first) until this is called again with 0. finish and clear
 * leave the setting as it is. */
IT_API int it_key_builder_set_descending(it_key_builder* builder, int descending);
/* The encoded key so far; the builder is then empty again, ready for the next key. */
IT_API int it_key_builder_finish(it_key_builder* builder, it_buf* out);
/* Empties the builder. */
IT_API int it_key_builder_clear(it_key_builder* builder);
/* Releases the builder. */
IT_API void it_key_builder_free(it_key_builder* builder);

/* The type of a decoded key part. */
typedef enum it_key_type {
  IT_KEY_NULL = 1,
  IT_KEY_BYTES = 2,
  IT_KEY_STR = 3,
  IT_KEY_INT = 4,    /* fits in int64 */
  IT_KEY_UINT = 5,   /* above INT64_MAX */
  IT_KEY_DOUBLE = 6,
  IT_KEY_BOOL = 7,
  IT_KEY_TIME = 8    /* microseconds since the Unix epoch, UTC */
} it_key_type;
/* Decodes a key made by a key builder. IT_EINVAL for bytes that are not a valid encoding. */
IT_API int it_key_decode(const void* key, size_t key_len, it_key_parts** out);
/* The number of parts. */
IT_API int it_key_parts_count(const it_key_parts* parts, uint64_t* out);
/* The type of part `index`. IT_ENOTFOUND out of range. */
IT_API int it_key_parts_type(const it_key_parts* parts, uint64_t index, it_key_type* out);
/* An IT_KEY_INT part. IT_EINVAL for another type, IT_ENOTFOUND out of range. */
IT_API int it_key_parts_int(const it_key_parts* parts, uint64_t index, int64_t* out);
/* An IT_KEY_UINT part, or an IT_KEY_INT part >= 0. IT_EINVAL otherwise. */
IT_API int it_key_parts_uint(const it_key_parts* parts, uint64_t index, uint64_t* out);
/* An IT_KEY_DOUBLE part. IT_EINVAL for another type. */
IT_API int it_key_parts_double(const it_key_parts* parts, uint64_t index, double* out);
/* An IT_KEY_BOOL part, as 1 or 0. IT_EINVAL for another type. */
IT_API int it_key_parts_bool(const it_key_parts* parts, uint64_t index, int* out);
/* An IT_KEY_BYTES or IT_KEY_STR part. IT_EINVAL for another type. */
IT_API int it_key_parts_bytes(const it_key_parts* parts, uint64_t index, it_buf* out);
/* An IT_KEY_TIME part (microseconds since the Unix epoch). IT_EINVAL for another type. */
IT_API int it_key_parts_time(const it_key_parts* parts, uint64_t index, int64_t* out);
/* *out = 1 if part `index` was added in descending order (its type is the wrapped one). */
IT_API int it_key_parts_is_descending(const it_key_parts* parts, uint64_t index, int* out);
/* Releases the decoded key. */
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
#define IT_STREAM_STATS_VERSION 1
#define IT_STREAM_STATS_INIT {IT_STREAM_STATS_VERSION, 0, 0, 0, 0, 0}
typedef struct it_stream_stats {
  uint32_t version;      /* set by the caller: IT_STREAM_STATS_VERSION */
  uint64_t bytes_in;     /* stream bytes written */
  uint64_t bytes_new;    /* bytes of chunks actually stored (the rest was deduplicated) */
  uint64_t bytes_stored; /* after compression and sealing */
  uint64_t chunks;
  uint64_t chunks_new;
} it_stream_stats;

/* A writer of a new stream, deduplicated against everything stored in the tree.
 * IT_EREADONLY for a read-only tree. */
IT_API int it_stream_writer_new(it_tree* tree, it_stream_writer** out);
/* Appends bytes (any amount, any number of calls). */
IT_API int it_stream_write(it_stream_writer* writer, const void* data, size_t len);
/* Stores what is left and returns the stream's ref (durable with the next commit).
 * Afterwards the writer only answers it_stream_writer_stats; writes return IT_ECLOSED. */
IT_API int it_stream_writer_finish(it_stream_writer* writer, it_buf* out);
/* The writer's figures so far, for out->version. IT_EVERSION for an unknown version. */
IT_API int it_stream_writer_stats(const it_stream_writer* writer, it_stream_stats* out);
/* Releases the writer; without finish, the stream is abandoned (its chunks become garbage). */
IT_API void it_stream_writer_free(it_stream_writer* writer);

/* A reader of the stream whose ref is given (a map value of the working tree or of any
 * commit). IT_ECORRUPT if the bytes are not a stream ref. */
IT_API int it_stream_reader_new(const it_tree* tree, const void* ref, size_t ref_len,
                                it_stream_reader** out);
/* A reader of a stream through a checkout; as it_stream_reader_new. */
IT_API int it_stream_reader_new_from_view(const it_view* view, const void* ref, size_t ref_len,
                                          it_stream_reader** out);
/* The stream's size in bytes. */
IT_API int it_stream_reader_size(const it_stream_reader* reader, uint64_t* out);
/* Reads up to `len` bytes at the current position into `buf`; *got = bytes read (0 only at
 * the end of the stream). */
IT_API int it_stream_read(it_stream_reader* reader, void* buf, size_t len, size_t* got);
/* Moves the position. IT_EINVAL past the end (pos == size is fine). */
IT_API int it_stream_reader_seek(it_stream_reader* reader, uint64_t pos);
/* The current position. */
IT_API int it_stream_reader_tell(const it_stream_reader* reader, uint64_t* out);
/* Reads up to `len` bytes at `pos` without moving the position; *got = bytes read.
 * Thread-safe: any number of threads may call it on one reader at once. */
IT_API int it_stream_read_at(const it_stream_reader* reader, uint64_t pos, void* buf, size_t len,
                             size_t* got);
/* Releases the reader. */
IT_API void it_stream_reader_free(it_stream_reader* reader);

/* *out = 1 if `value` is a stream ref (as it_stream_writer_finish returns), 0 if not. */
IT_API int it_stream_is_ref(const void* value, size_t len, int* out);

/* ------------------------------------------------------------------------------------------
 * Tuple spaces (docs/data-model.md): a map whose keys are built with it_key_builder is an
 * ordered space of items; the subspace under a tuple prefix is every key starting with the
 * prefix's encoding. Cursors (it_map_prefix_cursor) move through it.
 * ---------------------------------------------------------------------------------------- */
/* Removes every key starting with `prefix` (every key for an empty prefix) in one range
 * erase that drops whole B-tree subtrees without reading them; *removed = how many went. */
IT_API int it_map_remove_prefix(it_map* map, const void* prefix, size_t prefix_len,
                                uint64_t* removed);
/* How many keys start with `prefix` (O(log n) nodes read). */
IT_API int it_map_count_prefix(const it_map* map, const void* prefix, size_t prefix_len,
                               uint64_t* out);

/* ------------------------------------------------------------------------------------------
 * Multi-maps (docs/data-model.md): many values per key in a map field. Each (key, value) pair
 * is one map key, the tuple (bytes key, bytes value) in the order-preserving encoding, with an
 * empty map value; the encoded pair must fit in IT_MAX_KEY_SIZE (IT_ETOOLARGE otherwise).
 * ---------------------------------------------------------------------------------------- */
/* Adds the pair; *inserted = 1 if it was not there (optional). */
IT_API int it_map_insert_pair(it_map* map, const void* key, size_t key_len, const void* value,
                              size_t value_len, int* inserted);
/* Removes one pair; *removed = 1 if it was there (optional). */
IT_API int it_map_remove_pair(it_map* map, const void* key, size_t key_len, const void* value,
                              size_t value_len, int* removed);
/* Removes every value of `key` in one range erase; *removed = how many (optional). */
IT_API int it_map_remove_values(it_map* map, const void* key, size_t key_len, uint64_t* removed);
/* The number of values of `key` (O(log n) nodes read). */
IT_API int it_map_count_values(const it_map* map, const void* key, size_t key_len, uint64_t* out);
/* A cursor over the values of `key` in bytewise order, on the first. Its keys are the stored
 * pairs: part 1 of it_key_decode of a cursor key (it_key_parts_bytes) is the value. */
IT_API int it_map_cursor_values(const it_map* map, const void* key, size_t key_len,
                                it_cursor** out);

/* ------------------------------------------------------------------------------------------
 * JSON (docs/data-model.md, "JSON"): a document stored under a tuple prefix of a map, one
 * entry per scalar and per empty container, keyed by its path (member names as string
 * components, array positions as integer components).
 * ---------------------------------------------------------------------------------------- */
/* The document under `prefix` (empty: the whole map) as compact JSON, object members in
 * bytewise order of their names. IT_ENOTFOUND if nothing is stored there, IT_EINVAL if the
 * entries there are not a document. */
IT_API int it_map_get_json(const it_map* map, const void* prefix, size_t prefix_len, it_buf* out);
/* Replaces the document under `prefix` with the JSON text `json`; *written = entries stored
 * (optional). IT_EINVAL for text that is not JSON: the subspace may then hold part of it
 * (roll back, or import again). */
IT_API int it_map_put_json(it_map* map, const void* prefix, size_t prefix_len, const void* json,
                           size_t json_len, uint64_t* written);

/* ------------------------------------------------------------------------------------------
 * msgpack (docs/data-model.md, "Typed schema"): values of typed fields are msgpack, written by
 * the library's msgpack-cxx exactly as C++ (infinitree/typed.hpp) writes them. A binding
 * builds a value as JSON text and encodes it here, and decodes stored values back to JSON,
 * so every language stores the same bytes and none needs a msgpack package.
 * ---------------------------------------------------------------------------------------- */
/* The msgpack of the JSON text `json`, as msgpack-cxx packs the matching C++ value: null,
 * true/false, an integer (no fraction or exponent: int64, or uint64 above INT64_MAX) in its
 * shortest form, any other number as a double (float64, or the integer it equals if it is a
 * whole number within int64/uint64: msgpack-cxx packs 2.0 as 2), a string as str, an array as
 * an array, an object as a map in bytewise order of its keys.
 * IT_EINVAL for text that is not JSON, a number out of the float64 range, or nesting deeper
 * than 64 levels. */
IT_API int it_msgpack_encode(const void* json, size_t json_len, it_buf* out);
/* The compact JSON text of the one msgpack value in `msgpack` (it_msgpack_encode of the text
 * gives back the shortest form of the same value; map keys in bytewise order). IT_EINVAL for
 * bytes that are not exactly one msgpack value, or a value JSON cannot express: bin, ext
 * (e.g. a timestamp), a NaN or infinite float, a map key that is not a string or repeats, a
 * string that is not UTF-8. */
IT_API int it_msgpack_decode(const void* msgpack, size_t msgpack_len, it_buf* out);

/* ------------------------------------------------------------------------------------------
 * Transactions (docs/data-model.md, "Transactions"): reads and buffered writes to map fields of
 * the working state, applied all together or not at all. Optimistic: every key read is
 * recorded with what it returned and checked again when the transaction is applied; if one
 * changed, the apply fails with IT_ECONFLICT, writes nothing and leaves the transaction
 * empty, to run again. Serializable. A transaction is used by one thread at a time; any number
 * may run on one tree, next to plain field calls and commits.
 * ---------------------------------------------------------------------------------------- */
typedef struct it_transaction it_transaction; /* a group of writes applied atomically */
/* A new, empty transaction on the working state of `tree`. */
IT_API int it_transaction_new(it_tree* tree, it_transaction** out);
/* The value of `key` in map `field` as the transaction sees it (its own writes first, then
 * the working state); IT_ENOTFOUND if absent. The read is recorded for validation. */
IT_API int it_transaction_read(it_transaction* transaction, const char* field, const void* key,
                               size_t key_len, it_buf* out);
/* Buffers a write of `value` to `key` in map `field` (IT_ETOOLARGE now if over the limits). */
IT_API int it_transaction_put(it_transaction* transaction, const char* field, const void* key,
                              size_t key_len, const void* value, size_t value_len);
/* Buffers the removal of `key` from map `field`. */
IT_API int it_transaction_remove(it_transaction* transaction, const char* field, const void* key,
                                 size_t key_len);
/* Validates and applies the transaction to the working state (it_tree_commit persists it
 * with everything else). IT_ECONFLICT if a key it read changed meanwhile: nothing written,
 * the transaction is empty again. *sequence (optional): its place in the order of applied
 * transactions. */
IT_API int it_transaction_commit(it_transaction* transaction, uint64_t* sequence);
/* Forgets the transaction's reads and writes; nothing else is touched. */
IT_API int it_transaction_rollback(it_transaction* transaction);
/* Releases the transaction (its unapplied writes are dropped). */
IT_API void it_transaction_free(it_transaction* transaction);

/* ------------------------------------------------------------------------------------------
 * Key history (docs/data-model.md): the commits that changed one key of a map, newest first,
 * each with the value it left, following first parents from a ref back to the first commit.
 * Only the nodes that differ between consecutive commits are read.
 * ---------------------------------------------------------------------------------------- */
typedef struct it_key_history it_key_history; /* changes of one key, newest first */
/* The changes of `key` in map `field`, from `ref` (NULL: the head) back; at most `limit`
 * of them (0: all). An empty result (count 0) if the tree has no commits. */
IT_API int it_tree_log_key(const it_tree* tree, const char* field, const void* key,
                           size_t key_len, const char* ref, uint64_t limit, it_key_history** out);
/* The number of changes. */
IT_API int it_key_history_count(const it_key_history* history, uint64_t* out);
/* Change `index` (0 = newest): the commit (free with it_commit_free), *has_value = 0 if the
 * commit removed the key (value is then empty), else the value it left. All four outputs are
 * required. IT_ENOTFOUND out of range. */
IT_API int it_key_history_get(const it_key_history* history, uint64_t index, it_commit** commit,
                              int* has_value, it_buf* value);
/* Releases the history. */
IT_API void it_key_history_free(it_key_history* history);

/* Readers that follow a writer (docs/backends.md). For a read-only tree: moves it to the newest
 * commit in the store without reopening (no key derivation); handles on its fields stay valid
 * and show the new state. *moved = 1 if the head commit changed. An unchanged store costs one
 * small request. IT_EINVAL for a tree opened for writing; on failure (the store unreachable, the
 * root gone after a password change) the tree keeps the state it had. */
IT_API int it_tree_refresh(it_tree* tree, int* moved);
/* Follow mode for a read-only tree: a background thread refreshes it, first after
 * `interval_ms`, then waiting `backoff` times longer after each poll that finds nothing new
 * (or fails), up to `max_interval_ms`, and `interval_ms` again after a new root. interval_ms
 * = 0 stops following (closing the tree stops it too). IT_EINVAL for a tree opened for
 * writing, max_interval_ms < interval_ms or backoff outside 1..1000. */
IT_API int it_tree_follow(it_tree* tree, uint32_t interval_ms, uint32_t max_interval_ms,
                          double backoff);

/* ------------------------------------------------------------------------------------------
 * Item views (docs/data-model.md, "Views"): light, read-only, nestable windows onto maps. A
 * view of a map reads the working tree live (a cursor sees writes made after it was created)
 * or a checkout's commit; a prefix view shows the keys under a prefix with the prefix removed;
 * a range view the keys between two bounds; a union or an intersection merges several views
 * by key as its cursor moves. Nothing is copied (except by a diff view, which holds the
 * changed entries). A view's cursor is an it_cursor with the moves of map cursors (IT_OK on
 * an entry, IT_DONE past either end). An item view is immutable: any number of threads may
 * use it at once (each cursor by one thread at a time). It keeps the maps, checkouts and views
 * it was made from alive, and it and its cursors answer IT_ECLOSED once a tree it reads is
 * closed.
 * ---------------------------------------------------------------------------------------- */
typedef struct it_item_view it_item_view; /* a read-only view of ordered key-value entries */
/* One end of a range view. */
typedef enum it_bound {
  IT_BOUND_NONE = 1,   /* unbounded on that side (the key is ignored) */
  IT_BOUND_CLOSED = 2, /* the key itself is in the range */
  IT_BOUND_OPEN = 3    /* the key itself is not */
} it_bound;
/* A view of the map: live for a map of the working tree, that commit's for a checkout's. */
IT_API int it_item_view_new_map(const it_map* map, it_item_view** out);
/* The keys of `base` that start with `prefix`, with the prefix removed (keys given to
 * it_cursor_seek, it_item_view_get, ... are without it too). */
IT_API int it_item_view_new_prefix(const it_item_view* base, const void* prefix, size_t prefix_len,
                                   it_item_view** out);
/* The keys of `base` between the two bounds. IT_EINVAL for a kind outside it_bound. */
IT_API int it_item_view_new_range(const it_item_view* base, it_bound lo_kind, const void* lo,
                                  size_t lo_len, it_bound hi_kind, const void* hi, size_t hi_len,
                                  it_item_view** out);
/* The keys in any of the `count` views, in order; a key's value is the first view's that has
 * it. IT_EINVAL for count 0. */
IT_API int it_item_view_new_union(const it_item_view* const* views, uint64_t count,
                                  it_item_view** out);
/* The keys in every one of the `count` views; values from the first. The cursors leapfrog
 * with seeks, so the work follows the overlap, not the sizes. IT_EINVAL for count 0. */
IT_API int it_item_view_new_intersection(const it_item_view* const* views, uint64_t count,
                                         it_item_view** out);
/* The keys of map `field` that changed from commit from_ref to commit to_ref: those
 * added, removed and/or changed (nonzero flags; IT_EINVAL if all are 0), with the value at
 * to_ref (at from_ref for a removed key). Built once with it_tree_diff's skipping of shared
 * subtrees and held in memory. IT_ENOTFOUND for a ref that resolves to nothing. */
IT_API int it_item_view_new_diff(const it_tree* tree, const char* field, const char* from_ref,
                                 const char* to_ref, int added, int removed, int changed,
                                 it_item_view** out);
/* A new cursor over the view, on its first entry (it_cursor_is_valid says 0 if it is empty). */
IT_API int it_item_view_cursor(const it_item_view* view, it_cursor** out);
/* The value of `key` in the view. IT_ENOTFOUND if the key is not in it. */
IT_API int it_item_view_get(const it_item_view* view, const void* key, size_t key_len, it_buf* out);
/* *out = 1 if `key` is in the view, 0 if not. */
IT_API int it_item_view_contains(const it_item_view* view, const void* key, size_t key_len,
                                 int* out);
/* The number of entries (walks the view). */
IT_API int it_item_view_count(const it_item_view* view, uint64_t* out);
/* Releases the view; views and cursors made from it stay usable. */
IT_API void it_item_view_free(it_item_view* view);

/* ------------------------------------------------------------------------------------------
 * Key slots and raw keys (docs/security.md, "Key slots"; docs/keys.md). A tree opens with any
 * of its slots: a user name and password (Argon2id) or a raw 256-bit key from a KMS, a
 * secrets manager or a file. Every slot change is one version-checked root write:
 * IT_ECONFLICT if another writer changed the tree since it was opened.
 * ---------------------------------------------------------------------------------------- */
typedef struct it_key_slots it_key_slots; /* a list of a tree's key slots */

/* A raw key is exactly this many bytes (256 bits). */
#define IT_RAW_KEY_SIZE 32
/* A tree has at most this many key slots. */
#define IT_MAX_KEY_SLOTS 16
/* A slot label is at most this many bytes (UTF-8, no NUL). */
#define IT_MAX_KEY_SLOT_LABEL_SIZE 64

/* What kind of credential a slot holds. */
typedef enum it_key_slot_kind {
  IT_KEY_SLOT_PASSWORD = 1, /* a user name and password, under Argon2id */
  IT_KEY_SLOT_RAW_KEY = 2   /* a raw key of IT_RAW_KEY_SIZE bytes */
} it_key_slot_kind;

/* Creates a tree that opens with a raw key, as it_tree_create (the KDF costs of `options` do
 * not apply: the key is not stretched, so it must come from a random source). IT_EINVAL
 * unless key_len is IT_RAW_KEY_SIZE. */
IT_API int it_tree_create_with_key(const it_backend* backend, const void* key, size_t key_len,
                                   const it_options* options, it_tree** out);
/* Opens the tree a raw key opens, as it_tree_open. IT_ECREDENTIALS for a wrong key (the same
 * code as a wrong password) and for a removed slot; IT_EINVAL unless key_len is
 * IT_RAW_KEY_SIZE. */
IT_API int it_tree_open_with_key(const it_backend* backend, const void* key, size_t key_len,
                                 const it_options* options, it_tree** out);
/* Adds a slot for a user name and password under the given Argon2id costs (as
 * it_options_set_kdf) and writes its id (16 hex digits) to the optional `out`. IT_EEXISTS if
 * this credential already opens this tree or another tree in the store, IT_EINVAL for a label
 * over IT_MAX_KEY_SLOT_LABEL_SIZE bytes, IT_ETOOLARGE beyond IT_MAX_KEY_SLOTS, IT_EREADONLY
 * on a read-only tree. */
IT_API int it_tree_add_password_slot(it_tree* tree, const char* label, const char* username,
                                     const void* password, size_t password_len,
                                     uint32_t kdf_memory_kib, uint32_t kdf_iterations,
                                     uint32_t kdf_parallelism, it_buf* out);
/* Adds a slot for a raw key (IT_EINVAL unless key_len is IT_RAW_KEY_SIZE); otherwise as
 * it_tree_add_password_slot. */
IT_API int it_tree_add_key_slot(it_tree* tree, const char* label, const void* key,
                                size_t key_len, it_buf* out);
/* Removes slot `id` (as it_key_slots_id gives it): from then on its credential gets
 * IT_ECREDENTIALS. IT_ENOTFOUND for an unknown id, IT_EINVAL for a malformed one and for the
 * last slot. The tree handle stays usable even if it was opened with that slot. */
IT_API int it_tree_delete_key_slot(it_tree* tree, const char* id);
/* The tree's key slots, oldest first (never a secret). A tree that never had a slot change
 * lists the one credential it was created with (label "", time 0). */
IT_API int it_tree_key_slots(const it_tree* tree, it_key_slots** out);
/* The number of slots. */
IT_API int it_key_slots_count(const it_key_slots* slots, uint64_t* out);
/* The id of slot `index` (16 hex digits). IT_ENOTFOUND out of range. */
IT_API int it_key_slots_id(const it_key_slots* slots, uint64_t index, it_buf* out);
/* The label of slot `index`. IT_ENOTFOUND out of range. */
IT_API int it_key_slots_name(const it_key_slots* slots, uint64_t index, it_buf* out);
/* When slot `index` was added, in milliseconds since the Unix epoch (0: before the tree had
 * slots). IT_ENOTFOUND out of range. */
IT_API int it_key_slots_time(const it_key_slots* slots, uint64_t index, int64_t* out);
/* The kind of slot `index`. IT_ENOTFOUND out of range. */
IT_API int it_key_slots_type(const it_key_slots* slots, uint64_t index, it_key_slot_kind* out);
/* *out = 1 if slot `index` is the one the tree handle was opened with. IT_ENOTFOUND out of
 * range. */
IT_API int it_key_slots_is_current(const it_key_slots* slots, uint64_t index, int* out);
/* Releases the list. */
IT_API void it_key_slots_free(it_key_slots* slots);

/* ------------------------------------------------------------------------------------------
 * Write-only trees (docs/security.md, "Write-only trees"): an untrusted writer holding only a
 * write key adds data it cannot read back; the holder of the read key lists what every writer
 * added, opens it read-only and copies it into a tree of its own. Both keys are text:
 * "infinitree-read-key-1:" or "infinitree-write-key-1:" and 128 hex digits (trailing
 * whitespace, as read from a file, is ignored). A malformed key is IT_EINVAL; a write key
 * where reading is asked for is IT_EPERM.
 * ---------------------------------------------------------------------------------------- */
typedef struct it_write_session it_write_session;   /* a writer's session: writes only */
typedef struct it_write_sessions it_write_sessions; /* the inbox as the reader sees it */

/* A new key pair from the operating system's CSPRNG: the read key (keep it secret, it reads
 * everything) and the write key (give it to the writers). Both outputs are required. */
IT_API int it_write_only_keys_new(it_buf* read_key, it_buf* write_key);
/* The write key that goes with `read_key`. IT_EINVAL for a malformed key or a write key. */
IT_API int it_write_only_keys_get_write_key(const char* read_key, it_buf* out);

/* Starts a writer's session in the store: a fresh session tree under a key only the read
 * key's holder can derive, announced in the next free inbox entry (claimed with a
 * conditional create, so concurrent writers get distinct entries). `write_key` may also be
 * a read key. `options` may be NULL (defaults); IT_EINVAL if they are read-only. */
IT_API int it_write_session_open(const it_backend* backend, const char* write_key,
                                 const it_options* options, it_write_session** out);
/* The session's inbox entry, the index the reader opens it by. */
IT_API int it_write_session_get_index(const it_write_session* session, uint64_t* out);
/* Stores `value` under `key` in map `map` of the session (IT_ETOOLARGE beyond the limits,
 * IT_EINVAL if `map` is a field of another type). */
IT_API int it_write_session_put(it_write_session* session, const char* map, const void* key,
                                size_t key_len, const void* value, size_t value_len);
/* Sets value field `field` of the session; as it_write_session_put. */
IT_API int it_write_session_set(it_write_session* session, const char* field, const void* value,
                                size_t value_len);
/* A writer of a new stream of the session (it_stream_write, it_stream_writer_finish as for a
 * tree's); store the ref it finishes with through it_write_session_put or _set. The writer
 * returns IT_ECLOSED once the session is closed. */
IT_API int it_stream_writer_new_from_session(it_write_session* session, it_stream_writer** out);
/* Commits the session's writes; durable on return. *out (optional) is the new commit, or
 * NULL if nothing changed (then no commit was made). */
IT_API int it_write_session_commit(it_write_session* session, const char* message,
                                   it_commit** out);
/* Ends the session: uncommitted writes are discarded and the session key is forgotten, so
 * nothing (not even this process) can read the session any more without the read key. Every
 * later use of the session and of its stream writers returns IT_ECLOSED. Closing twice is
 * fine. */
IT_API int it_write_session_close(it_write_session* session);
/* Closes the session (if still open) and releases the handle. */
IT_API void it_write_session_free(it_write_session* session);

/* The entries of the store's inbox, oldest first. IT_EPERM for a write key (a writer cannot
 * read what was written), IT_EINVAL for a malformed key. An empty inbox is count 0. The list
 * is an immutable result handle (any number of threads may read it). */
IT_API int it_write_sessions_new(const it_backend* backend, const char* read_key,
                                 it_write_sessions** out);
/* The number of entries. */
IT_API int it_write_sessions_count(const it_write_sessions* sessions, uint64_t* out);
/* Entry `position` (0 = oldest): its inbox index and its status, an it_status code: IT_OK (a
 * session to open), IT_EMISSING (a gap: the entry was deleted from the store although a later
 * one exists), IT_ECORRUPT or IT_ETRUNCATED (the entry fails authentication or is short:
 * overwritten or damaged). Both outputs are required. IT_ENOTFOUND out of range. */
IT_API int it_write_sessions_get(const it_write_sessions* sessions, uint64_t position,
                                 uint64_t* index, it_status* status);
/* Releases the list. */
IT_API void it_write_sessions_free(it_write_sessions* sessions);

/* Opens write-only session `index` read-only with the read key (whatever `options` say about
 * read-only). IT_EPERM for a write key, IT_EINVAL for a malformed key, IT_ENOTFOUND if the
 * inbox has no such entry, IT_ECORRUPT if it fails authentication. */
IT_API int it_tree_open_write_session(const it_backend* backend, const char* read_key,
                                      uint64_t index, const it_options* options, it_tree** out);
/* Copies every field of the checkout `from` (of any tree: for a session, its head from
 * it_tree_checkout) into the working state of `tree`; the caller commits. Stream refs are
 * copied as new streams of `tree`, so the data is sealed under its keys. IT_EINVAL if a field
 * exists in `tree` with another type, IT_EREADONLY for a read-only tree; on failure the
 * fields copied so far stay (roll back to drop them). */
IT_API int it_tree_copy_fields(it_tree* tree, const it_view* from);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* INFINITREE_H */
