/* C helpers of the Go binding. Each one does in a single cgo call what would otherwise take
 * several (a cgo call costs tens of nanoseconds), and none keeps a pointer it was given. */
#ifndef INFINITREE_GO_HELPERS_H
#define INFINITREE_GO_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include <infinitree.h>

/* it_map_get into `scratch` (cap bytes, Go memory, written during the call only). Returns the
 * value's size (>= 0) or a negative code. A value longer than cap is left in *big for the
 * caller to copy and free. */
int gi_map_get(const it_map* m, const void* key, size_t key_len, void* scratch, size_t cap,
               it_buf* big);

/* Copies entries from the cursor's position into buf (each key then its value, back to back)
 * and their lengths into lens (2 per entry), moving the cursor past each one copied (towards
 * the start if `backward`). Stops at the end of the cursor, after max entries, or at an entry
 * that does not fit in what is left of buf. Returns the number of entries copied or a
 * negative code. */
int gi_cursor_fill(it_cursor* c, uint8_t* buf, size_t cap, size_t* lens, int max, int backward);

/* One part of an order-preserving key, described without pointers (cgo rules): bytes and
 * strings are at [off, off+len) of a separate blob. */
typedef struct gi_key_part {
  int type; /* IT_KEY_* */
  int desc; /* nonzero: a descending component */
  int64_t i;
  uint64_t u;
  double d;
  size_t off;
  size_t len;
} gi_key_part;

/* Encodes a tuple of n parts. Like gi_map_get: returns the encoded size (or a negative
 * code), the bytes in `scratch` if they fit in cap, else in *big. */
int gi_key_encode(const gi_key_part* parts, size_t n, const uint8_t* blob, void* scratch,
                  size_t cap, it_buf* big);

/* it_tree_stats into a caller-provided array of 6 figures (objects, commits, chunks_written,
 * bytes_written, node_cache_hits, node_cache_misses). */
int gi_tree_stats(const it_tree* tree, uint64_t* figures);

#endif
