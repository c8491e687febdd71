// Field handles (maps, sets, lists, values) and cursors. Every call first checks that the
// tree is still open, so a handle outliving its tree answers IT_ECLOSED, never touches
// freed state (the handle holds the tree and its checkout alive).
#include "capi_internal.hpp"

using namespace capi;

namespace {

template <typename H>
auto& open_handle(H* h, const char* what) {
  need(h, what);
  check_open(*h->state);
  return *h;
}

infinitree::Map& map_of(const it_map* m) {
  return const_cast<infinitree::Map&>(open_handle(m, "map").map);
}
infinitree::Set& set_of(const it_set* s) {
  return const_cast<infinitree::Set&>(open_handle(s, "set").set);
}
infinitree::List& list_of(const it_list* l) {
  return const_cast<infinitree::List&>(open_handle(l, "list").list);
}
infinitree::Value& value_of(const it_value* v) {
  return const_cast<infinitree::Value&>(open_handle(v, "value").value);
}
// Runs f on the cursor behind the handle: a map or set's Cursor, or an item view's
// ItemCursor (the two have the same moves).
template <typename F>
decltype(auto) on_cursor(const it_cursor* c, F&& f) {
  auto& h = const_cast<it_cursor&>(open_handle(c, "cursor"));
  if (h.deps) check_open(*h.deps);
  if (h.items) return f(*h.items);
  return f(h.cursor);
}

template <typename H>
it_cursor* new_cursor(const H* h, infinitree::Cursor c) {
  return new it_cursor{h->state, h->view, std::move(c)};
}

// Key and/or value of the current entry; a NULL buffer is not wanted (the public calls
// decide which are required).
int read_entry(const it_cursor* cursor, it_buf* key, it_buf* value) {
  return guard([&]() -> int {
    return on_cursor(cursor, [&](auto& c) -> int {
      if (!c.valid()) return fail(IT_ENOTFOUND, "cursor is not positioned on an entry");
      // Fill both or neither: a failure after the key buffer was made frees it.
      it_buf k{nullptr, 0}, v{nullptr, 0};
      try {
        if (key) to_buf(&k, c.key());
        if (value) to_buf(&v, c.value());
      } catch (...) {
        it_buf_free(&k);
        throw;
      }
      if (key) *key = k;
      if (value) *value = v;
      return IT_OK;
    });
  });
}

// Every move answers where the cursor ended up: IT_OK on an entry, IT_DONE past an end (not a
// failure, so the last error is left alone).
template <typename Move>
int move(it_cursor* cursor, Move&& step) {
  return guard([&]() -> int {
    return on_cursor(cursor, [&](auto& c) -> int {
      step(c);
      return c.valid() ? IT_OK : IT_DONE;
    });
  });
}

}  // namespace

extern "C" {

// ---- maps -------------------------------------------------------------------------------

int it_map_get(const it_map* map, const void* key, size_t key_len, it_buf* out) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    auto v = m.get(k);
    if (!v) return fail(IT_ENOTFOUND, "key not found");
    to_buf(out, *v);
    return IT_OK;
  });
}

int it_map_put(it_map* map, const void* key, size_t key_len, const void* value,
               size_t value_len) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    m.put(bytes(key, key_len, "key"), bytes(value, value_len, "value"));
    return IT_OK;
  });
}

int it_map_put_if_absent(it_map* map, const void* key, size_t key_len, const void* value,
                         size_t value_len, int* stored) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    put_flag(stored, m.put_if_absent(bytes(key, key_len, "key"), bytes(value, value_len, "value")));
    return IT_OK;
  });
}

int it_map_compare_and_swap(it_map* map, const void* key, size_t key_len, int has_expected,
                            const void* expected, size_t expected_len, int has_desired,
                            const void* desired, size_t desired_len, int* swapped) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    auto k = bytes(key, key_len, "key");
    std::optional<std::string> exp, des;
    if (has_expected) exp.emplace(bytes(expected, expected_len, "expected"));
    if (has_desired) des.emplace(bytes(desired, desired_len, "desired"));
    put_flag(swapped, m.compare_and_swap(k, exp, des));
    return IT_OK;
  });
}

int it_map_remove(it_map* map, const void* key, size_t key_len, int* removed) {
  return guard([&]() -> int {
    put_flag(removed, map_of(map).erase(bytes(key, key_len, "key")));
    return IT_OK;
  });
}

int it_map_contains(const it_map* map, const void* key, size_t key_len, int* out) {
  return guard([&]() -> int { return answer(out, map_of(map).contains(bytes(key, key_len, "key"))); });
}

int it_map_count(const it_map* map, uint64_t* out) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    need(out, "out");
    *out = m.size();
    return IT_OK;
  });
}

int it_map_count_range(const it_map* map, const void* from, size_t from_len, const void* to,
                       size_t to_len, uint64_t* out) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    auto f = bytes(from, from_len, "from");
    auto t = bytes(to, to_len, "to");
    need(out, "out");
    *out = m.count_range(f, t);
    return IT_OK;
  });
}

int it_map_remove_range(it_map* map, const void* from, size_t from_len, const void* to,
                        size_t to_len, uint64_t* removed) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    uint64_t n = m.erase_range(bytes(from, from_len, "from"), bytes(to, to_len, "to"));
    if (removed) *removed = n;
    return IT_OK;
  });
}

int it_map_clear(it_map* map) {
  return guard([&]() -> int {
    map_of(map).clear();
    return IT_OK;
  });
}

int it_map_cursor(const it_map* map, const void* from, size_t from_len, const void* to,
                  size_t to_len, it_cursor** out) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    auto f = bytes(from, from_len, "from");
    auto t = bytes(to, to_len, "to");
    need(out, "out");
    *out = new_cursor(map, m.cursor(f, t));
    return IT_OK;
  });
}

int it_map_prefix_cursor(const it_map* map, const void* prefix, size_t prefix_len,
                         it_cursor** out) {
  return guard([&]() -> int {
    auto& m = map_of(map);
    auto p = bytes(prefix, prefix_len, "prefix");
    need(out, "out");
    *out = new_cursor(map, m.prefix_cursor(p));
    return IT_OK;
  });
}

void it_map_free(it_map* map) { delete map; }

// ---- cursors ----------------------------------------------------------------------------

int it_cursor_is_valid(const it_cursor* cursor, int* out) {
  return guard([&]() -> int {
    return on_cursor(cursor, [&](auto& c) { return answer(out, c.valid()); });
  });
}

int it_cursor_entry(const it_cursor* cursor, it_buf* key, it_buf* value) {
  if (!key) return fail(IT_EINVAL, "key is NULL");
  if (!value) return fail(IT_EINVAL, "value is NULL");
  return read_entry(cursor, key, value);
}

int it_cursor_key(const it_cursor* cursor, it_buf* out) {
  if (!out) return fail(IT_EINVAL, "out is NULL");
  return read_entry(cursor, out, nullptr);
}

int it_cursor_value(const it_cursor* cursor, it_buf* out) {
  if (!out) return fail(IT_EINVAL, "out is NULL");
  return read_entry(cursor, nullptr, out);
}

int it_cursor_first(it_cursor* cursor) {
  return move(cursor, [](auto& c) { c.first(); });
}

int it_cursor_last(it_cursor* cursor) {
  return move(cursor, [](auto& c) { c.last(); });
}

int it_cursor_seek(it_cursor* cursor, const void* key, size_t key_len) {
  return move(cursor, [&](auto& c) { c.seek(bytes(key, key_len, "key")); });
}

int it_cursor_seek_for_prev(it_cursor* cursor, const void* key, size_t key_len) {
  return move(cursor, [&](auto& c) { c.seek_for_prev(bytes(key, key_len, "key")); });
}

int it_cursor_next(it_cursor* cursor) {
  return move(cursor, [](auto& c) {
    if (c.valid()) c.next();
  });
}

int it_cursor_prev(it_cursor* cursor) {
  return move(cursor, [](auto& c) {
    if (c.valid()) c.prev();
  });
}

void it_cursor_free(it_cursor* cursor) { delete cursor; }

// ---- sets -------------------------------------------------------------------------------

int it_set_insert(it_set* set, const void* key, size_t key_len, int* inserted) {
  return guard([&]() -> int {
    put_flag(inserted, set_of(set).insert(bytes(key, key_len, "key")));
    return IT_OK;
  });
}

int it_set_contains(const it_set* set, const void* key, size_t key_len, int* out) {
  return guard([&]() -> int { return answer(out, set_of(set).contains(bytes(key, key_len, "key"))); });
}

int it_set_remove(it_set* set, const void* key, size_t key_len, int* removed) {
  return guard([&]() -> int {
    put_flag(removed, set_of(set).erase(bytes(key, key_len, "key")));
    return IT_OK;
  });
}

int it_set_count(const it_set* set, uint64_t* out) {
  return guard([&]() -> int {
    auto& s = set_of(set);
    need(out, "out");
    *out = s.size();
    return IT_OK;
  });
}

int it_set_cursor(const it_set* set, const void* from, size_t from_len, const void* to,
                  size_t to_len, it_cursor** out) {
  return guard([&]() -> int {
    auto& s = set_of(set);
    auto f = bytes(from, from_len, "from");
    auto t = bytes(to, to_len, "to");
    need(out, "out");
    *out = new_cursor(set, s.cursor(f, t));
    return IT_OK;
  });
}

void it_set_free(it_set* set) { delete set; }

// ---- lists ------------------------------------------------------------------------------

int it_list_push(it_list* list, const void* value, size_t value_len, uint64_t* index) {
  return guard([&]() -> int {
    uint64_t i = list_of(list).push_back(bytes(value, value_len, "value"));
    if (index) *index = i;
    return IT_OK;
  });
}

int it_list_get(const it_list* list, uint64_t index, it_buf* out) {
  return guard([&]() -> int {
    auto& l = list_of(list);
    need(out, "out");
    to_buf(out, l.at(index));
    return IT_OK;
  });
}

int it_list_set(it_list* list, uint64_t index, const void* value, size_t value_len) {
  return guard([&]() -> int {
    list_of(list).set(index, bytes(value, value_len, "value"));
    return IT_OK;
  });
}

int it_list_remove_last(it_list* list) {
  return guard([&]() -> int {
    list_of(list).pop_back();
    return IT_OK;
  });
}

int it_list_count(const it_list* list, uint64_t* out) {
  return guard([&]() -> int {
    auto& l = list_of(list);
    need(out, "out");
    *out = l.size();
    return IT_OK;
  });
}

void it_list_free(it_list* list) { delete list; }

// ---- values -----------------------------------------------------------------------------

int it_value_get(const it_value* value, it_buf* out) {
  return guard([&]() -> int {
    auto& v = value_of(value);
    need(out, "out");
    auto got = v.get();
    if (!got) return fail(IT_ENOTFOUND, "value is not set");
    to_buf(out, *got);
    return IT_OK;
  });
}

int it_value_set(it_value* value, const void* data, size_t data_len) {
  return guard([&]() -> int {
    value_of(value).set(bytes(data, data_len, "data"));
    return IT_OK;
  });
}

int it_value_clear(it_value* value) {
  return guard([&]() -> int {
    value_of(value).reset();
    return IT_OK;
  });
}

void it_value_free(it_value* value) { delete value; }

}  // extern "C"
