/* Item views through C (it_item_view_*), against a reference model written here in C: two maps
 * take random writes over six commits; at every commit the views (map, prefix, range with
 * every bound kind, union, intersection and nestings of them) are compared with the model's
 * answer, live and through checkouts of every earlier commit. Keys are short strings over
 * {0x00, 'a', 'b', 0xFF}, so prefixes, bounds and all-0xFF prefixes are hit often. */
#include "harness.h"

#include <stdlib.h>

/* ---- the model: sorted arrays of entries ---------------------------------------------- */

typedef struct entry {
  unsigned char key[8];
  size_t klen;
  unsigned char val[8];
  size_t vlen;
} entry;

typedef struct model {
  entry* e;
  size_t n, cap;
} model;

static int key_cmp(const unsigned char* a, size_t an, const unsigned char* b, size_t bn) {
  size_t n = an < bn ? an : bn;
  int c = n ? memcmp(a, b, n) : 0;
  return c ? c : (an < bn ? -1 : an > bn);
}

/* First index whose key is >= k. */
static size_t lower(const model* m, const unsigned char* k, size_t kn) {
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (key_cmp(m->e[mid].key, m->e[mid].klen, k, kn) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Appends (callers append in key order). */
static void push(model* m, const entry* e) {
  if (m->n == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 16;
    m->e = realloc(m->e, m->cap * sizeof(entry));
  }
  m->e[m->n++] = *e;
}

static void model_put(model* m, const unsigned char* k, size_t kn, const unsigned char* v, size_t vn) {
  size_t i = lower(m, k, kn);
  if (i < m->n && key_cmp(m->e[i].key, m->e[i].klen, k, kn) == 0) {
    memcpy(m->e[i].val, v, vn);
    m->e[i].vlen = vn;
    return;
  }
  if (m->n == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 16;
    m->e = realloc(m->e, m->cap * sizeof(entry));
  }
  memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof(entry));
  m->n++;
  memcpy(m->e[i].key, k, kn);
  m->e[i].klen = kn;
  memcpy(m->e[i].val, v, vn);
  m->e[i].vlen = vn;
}

static void model_remove(model* m, const unsigned char* k, size_t kn) {
  size_t i = lower(m, k, kn);
  if (i < m->n && key_cmp(m->e[i].key, m->e[i].klen, k, kn) == 0) {
    memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof(entry));
    m->n--;
  }
}

static model copy(const model* m) {
  model c = {NULL, 0, 0};
  size_t i;
  for (i = 0; i < m->n; ++i) push(&c, &m->e[i]);
  return c;
}

static model prefix_of(const model* m, const unsigned char* p, size_t pn) {
  model out = {NULL, 0, 0};
  size_t i;
  for (i = 0; i < m->n; ++i) {
    entry e = m->e[i];
    if (e.klen < pn || (pn && memcmp(e.key, p, pn) != 0)) continue;
    memmove(e.key, e.key + pn, e.klen - pn);
    e.klen -= pn;
    push(&out, &e);
  }
  return out;
}

typedef struct bound {
  it_bound kind;
  unsigned char key[8];
  size_t klen;
} bound;

static model range_of(const model* m, const bound* lo, const bound* hi) {
  model out = {NULL, 0, 0};
  size_t i;
  for (i = 0; i < m->n; ++i) {
    const entry* e = &m->e[i];
    int cl = key_cmp(e->key, e->klen, lo->key, lo->klen);
    int ch = key_cmp(e->key, e->klen, hi->key, hi->klen);
    if (lo->kind == IT_BOUND_CLOSED && cl < 0) continue;
    if (lo->kind == IT_BOUND_OPEN && cl <= 0) continue;
    if (hi->kind == IT_BOUND_CLOSED && ch > 0) continue;
    if (hi->kind == IT_BOUND_OPEN && ch >= 0) continue;
    push(&out, e);
  }
  return out;
}

/* Union (values from a) or intersection (values from a) of two models. */
static model merge_of(const model* a, const model* b, int intersect) {
  model out = {NULL, 0, 0};
  size_t i = 0, j = 0;
  while (i < a->n || j < b->n) {
    int c = i == a->n ? 1 : j == b->n ? -1 : key_cmp(a->e[i].key, a->e[i].klen, b->e[j].key, b->e[j].klen);
    if (c == 0) {
      push(&out, &a->e[i]);
      ++i, ++j;
    } else if (c < 0) {
      if (!intersect) push(&out, &a->e[i]);
      ++i;
    } else {
      if (!intersect) push(&out, &b->e[j]);
      ++j;
    }
  }
  return out;
}

static int is(const char* s, const char* want) { return s && strcmp(s, want) == 0; }

/* ---- random keys ---------------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}

static size_t random_key(unsigned char* k, size_t min_len) {
  static const unsigned char alphabet[4] = {0x00, 'a', 'b', 0xFF};
  size_t n = min_len + rnd((uint32_t)(4 - min_len)), i;
  for (i = 0; i < n; ++i) k[i] = alphabet[rnd(4)];
  return n;
}

/* ---- comparing a view with a model ---------------------------------------------------- */

static int cursor_is(it_cursor* c, int rc, const model* m, size_t i) {
  it_buf k = {NULL, 0}, v = {NULL, 0};
  int ok;
  if (i >= m->n) return rc == IT_DONE && it_cursor_key(c, &k) == IT_ENOTFOUND;
  if (rc != IT_OK || it_cursor_entry(c, &k, &v) != IT_OK) return 0;
  ok = key_cmp(k.data, k.size, m->e[i].key, m->e[i].klen) == 0 &&
       key_cmp(v.data, v.size, m->e[i].val, m->e[i].vlen) == 0;
  it_buf_free(&k);
  it_buf_free(&v);
  return ok;
}

static void check_view(const it_item_view* view, const model* m) {
  it_cursor* c = NULL;
  size_t i, step;
  int rc, valid = -1;
  const size_t none = (size_t)-1;
  CHECK_RC(H_U64(it_item_view_count(view, &h_u64)), (int)m->n);
  CHECK_OK(it_item_view_cursor(view, &c));
  CHECK_OK(it_cursor_is_valid(c, &valid));
  CHECK(valid == (m->n > 0));
  /* Full walks both ways; stepping past either end is IT_DONE, again and again. */
  for (i = 0, rc = it_cursor_first(c); i < m->n; ++i, rc = it_cursor_next(c)) CHECK(cursor_is(c, rc, m, i));
  CHECK(cursor_is(c, rc, m, none));
  CHECK_RC(it_cursor_next(c), IT_DONE);
  CHECK_RC(it_cursor_prev(c), IT_DONE);
  rc = it_cursor_last(c);
  for (i = m->n; i-- > 0; rc = it_cursor_prev(c)) CHECK(cursor_is(c, rc, m, i));
  CHECK(cursor_is(c, rc, m, none));
  /* Random seeks and random walks that change direction. */
  for (step = 0; step < 60; ++step) {
    unsigned char k[8];
    size_t kn = random_key(k, 0), at = lower(m, k, kn), j;
    it_buf v = {NULL, 0};
    int exact = at < m->n && key_cmp(m->e[at].key, m->e[at].klen, k, kn) == 0;
    if (rnd(2)) {
      rc = it_cursor_seek(c, k, kn);
      CHECK(cursor_is(c, rc, m, at));
    } else {
      at = exact ? at : (at == 0 ? none : at - 1);
      rc = it_cursor_seek_for_prev(c, k, kn);
      CHECK(cursor_is(c, rc, m, at));
    }
    for (j = 0; j < 4 && at != none && at < m->n; ++j) {
      if (rnd(2)) {
        rc = it_cursor_next(c);
        at = at + 1 < m->n ? at + 1 : none;
      } else {
        rc = it_cursor_prev(c);
        at = at == 0 ? none : at - 1;
      }
      CHECK(cursor_is(c, rc, m, at));
    }
    CHECK_RC(H_YES(it_item_view_contains(view, k, kn, &h_flag)), exact);
    rc = it_item_view_get(view, k, kn, &v);
    CHECK_RC(rc, exact ? IT_OK : IT_ENOTFOUND);
    if (rc == IT_OK) {
      size_t e = lower(m, k, kn);
      CHECK(key_cmp(v.data, v.size, m->e[e].val, m->e[e].vlen) == 0);
      it_buf_free(&v);
    }
  }
  it_cursor_free(c);
}

/* The views under test, built on maps a and b, and the model of each. */
#define N_VIEWS 7
typedef struct bounds3 {
  unsigned char prefix[8];
  size_t plen;
  bound lo, hi;
} bounds3;

/* Half the time a key of the model, so closed and open bounds differ. */
static void random_bound(bound* b, const model* m) {
  b->kind = (it_bound)(1 + rnd(3));
  if (m->n && rnd(2)) {
    const entry* e = &m->e[rnd((uint32_t)m->n)];
    memcpy(b->key, e->key, e->klen);
    b->klen = e->klen;
  } else {
    b->klen = random_key(b->key, 0);
  }
}

static void check_views(it_map* a, it_map* b, const model* ma, const model* mb, const bounds3* r) {
  it_item_view *va = NULL, *vb = NULL, *v[N_VIEWS] = {NULL};
  model m[N_VIEWS], u, ra;
  const it_item_view* both[2];
  int i;
  CHECK_OK(it_item_view_new_map(a, &va));
  CHECK_OK(it_item_view_new_map(b, &vb));
  both[0] = va, both[1] = vb;
  CHECK_OK(it_item_view_new_prefix(va, r->prefix, r->plen, &v[0]));
  m[0] = prefix_of(ma, r->prefix, r->plen);
  CHECK_OK(it_item_view_new_range(vb, r->lo.kind, r->lo.key, r->lo.klen, r->hi.kind, r->hi.key, r->hi.klen, &v[1]));
  m[1] = range_of(mb, &r->lo, &r->hi);
  CHECK_OK(it_item_view_new_union(both, 2, &v[2]));
  m[2] = merge_of(ma, mb, 0);
  CHECK_OK(it_item_view_new_intersection(both, 2, &v[3]));
  m[3] = merge_of(ma, mb, 1);
  /* A prefix of the intersection of the union with a range of a. */
  {
    it_item_view *ra_v = NULL, *inter = NULL;
    const it_item_view* pair[2];
    CHECK_OK(it_item_view_new_range(va, r->lo.kind, r->lo.key, r->lo.klen, r->hi.kind, r->hi.key, r->hi.klen, &ra_v));
    pair[0] = v[2], pair[1] = ra_v;
    CHECK_OK(it_item_view_new_intersection(pair, 2, &inter));
    CHECK_OK(it_item_view_new_prefix(inter, r->prefix, r->plen, &v[4]));
    it_item_view_free(ra_v); /* the nested views keep what they read alive */
    it_item_view_free(inter);
    ra = range_of(ma, &r->lo, &r->hi);
    u = merge_of(&m[2], &ra, 1);
    m[4] = prefix_of(&u, r->prefix, r->plen);
    free(u.e);
    free(ra.e);
  }
  /* A union of a prefix view and a range view (keys of different shapes merged). */
  {
    const it_item_view* pair[2];
    pair[0] = v[1], pair[1] = v[0];
    CHECK_OK(it_item_view_new_union(pair, 2, &v[5]));
    m[5] = merge_of(&m[1], &m[0], 0);
  }
  CHECK_OK(it_item_view_new_map(a, &v[6]));
  m[6] = copy(ma);
  for (i = 0; i < N_VIEWS; ++i) {
    check_view(v[i], &m[i]);
    it_item_view_free(v[i]);
    free(m[i].e);
  }
  it_item_view_free(va);
  it_item_view_free(vb);
}

/* check_views with random prefixes and bounds, a few times. Prefixes are often the first
 * bytes of a key of a, bounds often keys of b. */
static void check_all(it_map* a, it_map* b, const model* ma, const model* mb) {
  int rep;
  for (rep = 0; rep < 4; ++rep) {
    bounds3 r;
    if (ma->n && rnd(2)) {
      const entry* e = &ma->e[rnd((uint32_t)ma->n)];
      r.plen = rnd((uint32_t)e->klen + 1);
      memcpy(r.prefix, e->key, r.plen);
    } else {
      r.plen = random_key(r.prefix, 0);
    }
    random_bound(&r.lo, mb);
    random_bound(&r.hi, mb);
    check_views(a, b, ma, mb, &r);
  }
}

static void test_views_against_model(void) {
  enum { COMMITS = 6 };
  it_tree* t = h_memory_tree();
  it_map *a = NULL, *b = NULL;
  model ma = {NULL, 0, 0}, mb = {NULL, 0, 0}, snap_a[COMMITS], snap_b[COMMITS];
  it_buf ids[COMMITS];
  int round, op, j;
  CHECK_OK(it_tree_map(t, "a", &a));
  CHECK_OK(it_tree_map(t, "b", &b));
  for (round = 0; round < COMMITS; ++round) {
    it_commit* c = NULL;
    for (op = 0; op < 60; ++op) {
      unsigned char k[8], val[2];
      size_t kn = random_key(k, 1);
      int in_a = rnd(3) != 0;
      val[0] = (unsigned char)('0' + round);
      val[1] = (unsigned char)('a' + rnd(26));
      if (rnd(4) == 0) {
        CHECK_OK(it_map_remove(in_a ? a : b, k, kn, NULL));
        model_remove(in_a ? &ma : &mb, k, kn);
      } else {
        CHECK_OK(it_map_put(in_a ? a : b, k, kn, val, 2));
        model_put(in_a ? &ma : &mb, k, kn, val, 2);
      }
    }
    check_all(a, b, &ma, &mb); /* live */
    CHECK_OK(it_tree_commit(t, "round", NULL, 0, NULL, &c));
    CHECK_OK(it_commit_id(c, &ids[round]));
    it_commit_free(c);
    snap_a[round] = copy(&ma);
    snap_b[round] = copy(&mb);
  }
  /* Every commit through a checkout, after the later writes. */
  for (j = 0; j < COMMITS; ++j) {
    it_view* co = NULL;
    it_map *ca = NULL, *cb = NULL;
    CHECK_OK(it_tree_checkout(t, (const char*)ids[j].data, &co));
    CHECK_OK(it_view_map(co, "a", &ca));
    CHECK_OK(it_view_map(co, "b", &cb));
    it_view_free(co);
    check_all(ca, cb, &snap_a[j], &snap_b[j]);
    it_map_free(ca);
    it_map_free(cb);
    free(snap_a[j].e);
    free(snap_b[j].e);
    it_buf_free(&ids[j]);
  }
  free(ma.e);
  free(mb.e);
  it_map_free(a);
  it_map_free(b);
  it_tree_free(t);
}

/* A live view's cursor sees a write made after it was created; a checkout's does not. */
static void test_live_and_fixed(void) {
  it_tree* t = h_memory_tree();
  it_map *m = NULL, *old = NULL;
  it_view* co = NULL;
  it_item_view *live = NULL, *fixed = NULL, *p = NULL;
  it_cursor *c = NULL, *f = NULL;
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_map_put(m, "u/1", 3, "one", 3));
  CHECK_OK(it_map_put(m, "u/3", 3, "three", 5));
  CHECK_OK(it_tree_commit(t, "c1", NULL, 0, NULL, NULL));
  CHECK_OK(it_tree_checkout(t, NULL, &co));
  CHECK_OK(it_view_map(co, "m", &old));
  CHECK_OK(it_item_view_new_map(m, &live));
  CHECK_OK(it_item_view_new_prefix(live, "u/", 2, &p));
  CHECK_OK(it_item_view_new_map(old, &fixed));
  CHECK_OK(it_item_view_cursor(p, &c));
  CHECK_OK(it_item_view_cursor(fixed, &f));
  CHECK(is(H_STR(it_cursor_key(c, &h_buf)), "1")); /* prefix removed */
  CHECK_OK(it_map_put(m, "u/2", 3, "two", 3));
  CHECK_OK(it_cursor_next(c));
  CHECK(is(H_STR(it_cursor_key(c, &h_buf)), "2"));
  CHECK(is(H_STR(it_cursor_value(c, &h_buf)), "two"));
  CHECK_OK(it_cursor_next(f));
  CHECK(is(H_STR(it_cursor_key(f, &h_buf)), "u/3"));
  CHECK_RC(H_U64(it_item_view_count(fixed, &h_u64)), 2);
  CHECK_RC(H_U64(it_item_view_count(live, &h_u64)), 3);
  /* Closing the tree: the views and their cursors answer IT_ECLOSED. */
  it_tree_close(t);
  CHECK_RC(it_cursor_next(c), IT_ECLOSED);
  CHECK_RC(it_cursor_first(f), IT_ECLOSED);
  CHECK_RC(it_item_view_count(p, &h_u64), IT_ECLOSED);
  CHECK_RC(it_item_view_cursor(fixed, &c), IT_ECLOSED);
  it_cursor_free(c);
  it_cursor_free(f);
  it_item_view_free(p);
  it_item_view_free(live);
  it_item_view_free(fixed);
  it_map_free(old);
  it_map_free(m);
  it_view_free(co);
  it_tree_free(t);
}

static void test_diff_view(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_item_view* d = NULL;
  it_cursor* c = NULL;
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_map_put(m, "keep", 4, "1", 1));
  CHECK_OK(it_map_put(m, "gone", 4, "1", 1));
  CHECK_OK(it_map_put(m, "edit", 4, "1", 1));
  CHECK_OK(it_tree_commit(t, "one", NULL, 0, NULL, NULL));
  CHECK_OK(it_tree_create_tag(t, "one", NULL));
  CHECK_OK(it_map_remove(m, "gone", 4, NULL));
  CHECK_OK(it_map_put(m, "edit", 4, "2", 1));
  CHECK_OK(it_map_put(m, "new", 3, "3", 1));
  CHECK_OK(it_tree_commit(t, "two", NULL, 0, NULL, NULL));
  CHECK_OK(it_item_view_new_diff(t, "m", "one", NULL, 1, 1, 1, &d));
  CHECK_RC(H_U64(it_item_view_count(d, &h_u64)), 3);
  CHECK_OK(it_item_view_cursor(d, &c));
  CHECK(is(H_STR(it_cursor_key(c, &h_buf)), "edit"));
  CHECK(is(H_STR(it_cursor_value(c, &h_buf)), "2"));
  CHECK_OK(it_cursor_next(c));
  CHECK(is(H_STR(it_cursor_value(c, &h_buf)), "1")); /* "gone": its old value */
  CHECK_OK(it_cursor_next(c));
  CHECK(is(H_STR(it_cursor_key(c, &h_buf)), "new"));
  CHECK_RC(it_cursor_next(c), IT_DONE);
  it_cursor_free(c);
  it_item_view_free(d);
  CHECK_OK(it_item_view_new_diff(t, "m", "one", NULL, 1, 0, 0, &d));
  CHECK_RC(H_U64(it_item_view_count(d, &h_u64)), 1);
  it_item_view_free(d);
  CHECK_RC(it_item_view_new_diff(t, "m", "one", NULL, 0, 0, 0, &d), IT_EINVAL);
  CHECK_RC(it_item_view_new_diff(t, "m", "no-such-ref", NULL, 1, 1, 1, &d), IT_ENOTFOUND);
  it_map_free(m);
  it_tree_free(t);
}

static void test_errors(void) {
  it_tree* t = h_memory_tree();
  it_map* m = NULL;
  it_item_view *v = NULL, *out = NULL;
  const it_item_view* list[2];
  it_buf b = {NULL, 0};
  CHECK_OK(it_tree_map(t, "m", &m));
  CHECK_OK(it_item_view_new_map(m, &v));
  CHECK_RC(it_item_view_new_map(NULL, &out), IT_EINVAL);
  CHECK_RC(it_item_view_new_map(m, NULL), IT_EINVAL);
  CHECK_RC(it_item_view_new_prefix(NULL, "a", 1, &out), IT_EINVAL);
  CHECK_RC(it_item_view_new_prefix(v, NULL, 1, &out), IT_EINVAL);
  CHECK_RC(it_item_view_new_range(v, (it_bound)0, "a", 1, IT_BOUND_NONE, NULL, 0, &out), IT_EINVAL);
  CHECK_RC(it_item_view_new_range(v, IT_BOUND_OPEN, "a", 1, (it_bound)4, NULL, 0, &out), IT_EINVAL);
  CHECK_RC(it_item_view_new_union(NULL, 1, &out), IT_EINVAL);
  list[0] = v, list[1] = NULL;
  CHECK_RC(it_item_view_new_union(list, 0, &out), IT_EINVAL);
  CHECK_RC(it_item_view_new_intersection(list, 2, &out), IT_EINVAL); /* a NULL view in it */
  CHECK(out == NULL);
  CHECK_RC(it_item_view_get(v, "a", 1, &b), IT_ENOTFOUND);
  CHECK(strlen(it_error_message()) > 0);
  CHECK_RC(it_item_view_get(v, "a", 1, NULL), IT_EINVAL);
  CHECK_RC(it_item_view_contains(v, "a", 1, NULL), IT_EINVAL);
  CHECK_RC(it_item_view_count(NULL, &h_u64), IT_EINVAL);
  CHECK_RC(it_item_view_cursor(v, NULL), IT_EINVAL);
  CHECK_RC(it_item_view_new_diff(NULL, "m", NULL, NULL, 1, 1, 1, &out), IT_EINVAL);
  it_item_view_free(NULL);
  it_item_view_free(v);
  it_map_free(m);
  it_tree_free(t);
}

int main(void) {
  static const h_test tests[] = {
      {"views_against_model", test_views_against_model},
      {"live_and_fixed", test_live_and_fixed},
      {"diff_view", test_diff_view},
      {"errors", test_errors},
  };
  return h_run(tests, sizeof tests / sizeof tests[0]);
}
