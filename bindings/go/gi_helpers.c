#include "gi_helpers.h"

#include <string.h>

int gi_map_get(const it_map* m, const void* key, size_t key_len, void* scratch, size_t cap,
               it_buf* big) {
  it_buf b = {NULL, 0};
  int rc = it_map_get(m, key, key_len, &b);
  if (rc < 0) return rc;
  if (b.size > (size_t)INT32_MAX) { /* over IT_MAX_VALUE_SIZE: cannot happen */
    it_buf_free(&b);
    return IT_EINTERNAL;
  }
  int n = (int)b.size;
  if (b.size <= cap) {
    if (b.size) memcpy(scratch, b.data, b.size);
    it_buf_free(&b);
  } else {
    *big = b;
  }
  return n;
}

int gi_cursor_fill(it_cursor* c, uint8_t* buf, size_t cap, size_t* lens, int max, int backward) {
  int n = 0;
  size_t used = 0;
  while (n < max) {
    int valid = 0;
    int rc = it_cursor_is_valid(c, &valid);
    if (rc < 0) return rc;
    if (valid == 0) break;
    it_buf k = {NULL, 0}, v = {NULL, 0};
    rc = it_cursor_entry(c, &k, &v);
    if (rc < 0) return rc;
    if (k.size + v.size > cap - used) {
      it_buf_free(&k);
      it_buf_free(&v);
      break;
    }
    memcpy(buf + used, k.data, k.size);
    used += k.size;
    memcpy(buf + used, v.data, v.size);
    used += v.size;
    lens[2 * n] = k.size;
    lens[2 * n + 1] = v.size;
    it_buf_free(&k);
    it_buf_free(&v);
    n++;
    rc = backward ? it_cursor_prev(c) : it_cursor_next(c);
    if (rc < 0) return rc;
    if (rc == IT_DONE) break; /* past the end: the next fill finds it invalid */
  }
  return n;
}

int gi_key_encode(const gi_key_part* parts, size_t n, const uint8_t* blob, void* scratch,
                  size_t cap, it_buf* big) {
  it_key_builder* b = NULL;
  int rc = it_key_builder_new(&b);
  if (rc < 0) return rc;
  for (size_t i = 0; i < n && rc >= 0; i++) {
    const gi_key_part* p = &parts[i];
    const uint8_t* data = p->len ? blob + p->off : NULL;
    rc = it_key_builder_set_descending(b, p->desc);
    if (rc < 0) break;
    switch (p->type) {
      case IT_KEY_NULL: rc = it_key_builder_add_null(b); break;
      case IT_KEY_BYTES: rc = it_key_builder_add_bytes(b, data, p->len); break;
      case IT_KEY_STR: rc = it_key_builder_add_str(b, (const char*)data, p->len); break;
      case IT_KEY_INT: rc = it_key_builder_add_int(b, p->i); break;
      case IT_KEY_UINT: rc = it_key_builder_add_uint(b, p->u); break;
      case IT_KEY_DOUBLE: rc = it_key_builder_add_double(b, p->d); break;
      case IT_KEY_BOOL: rc = it_key_builder_add_bool(b, (int)p->i); break;
      case IT_KEY_TIME: rc = it_key_builder_add_time(b, p->i); break;
      default: rc = IT_EINVAL; break;
    }
  }
  it_buf out = {NULL, 0};
  if (rc >= 0) rc = it_key_builder_finish(b, &out);
  it_key_builder_free(b);
  if (rc < 0) return rc;
  if (out.size > (size_t)INT32_MAX) {
    it_buf_free(&out);
    return IT_ETOOLARGE;
  }
  int size = (int)out.size;
  if (out.size <= cap) {
    if (out.size) memcpy(scratch, out.data, out.size);
    it_buf_free(&out);
  } else {
    *big = out;
  }
  return size;
}

int gi_tree_stats(const it_tree* tree, uint64_t* figures) {
  it_stats s = IT_STATS_INIT;
  int rc = it_tree_stats(tree, &s);
  if (rc < 0) return rc;
  figures[0] = s.objects;
  figures[1] = s.commits;
  figures[2] = s.chunks_written;
  figures[3] = s.bytes_written;
  figures[4] = s.node_cache_hits;
  figures[5] = s.node_cache_misses;
  return rc;
}
