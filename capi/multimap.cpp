// Multi-maps over map handles (infinitree/multimap.hpp): the pairs are tuple keys, so every
// call is one B-tree point or range operation on the map.
#include "capi_internal.hpp"
#include "infinitree/multimap.hpp"
#include "infinitree/tuple_space.hpp"

using namespace capi;
using infinitree::MultiMap;

namespace {

infinitree::Map& multi_of(const it_map* m) {
  need(m, "map");
  check_open(*m->state);
  return const_cast<infinitree::Map&>(m->map);
}

}  // namespace

extern "C" {

int it_map_insert_pair(it_map* map, const void* key, size_t key_len, const void* value,
                       size_t value_len, int* inserted) {
  return guard([&]() -> int {
    MultiMap mm(multi_of(map));
    put_flag(inserted, mm.put(bytes(key, key_len, "key"), bytes(value, value_len, "value")));
    return IT_OK;
  });
}

int it_map_remove_pair(it_map* map, const void* key, size_t key_len, const void* value,
                       size_t value_len, int* removed) {
  return guard([&]() -> int {
    MultiMap mm(multi_of(map));
    put_flag(removed, mm.remove_one(bytes(key, key_len, "key"), bytes(value, value_len, "value")));
    return IT_OK;
  });
}

int it_map_remove_values(it_map* map, const void* key, size_t key_len, uint64_t* removed) {
  return guard([&]() -> int {
    MultiMap mm(multi_of(map));
    uint64_t n = mm.remove_all(bytes(key, key_len, "key"));
    if (removed) *removed = n;
    return IT_OK;
  });
}

int it_map_count_values(const it_map* map, const void* key, size_t key_len, uint64_t* out) {
  return guard([&]() -> int {
    MultiMap mm(multi_of(map));
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    *out = mm.count(k);
    return IT_OK;
  });
}

int it_map_cursor_values(const it_map* map, const void* key, size_t key_len, it_cursor** out) {
  return guard([&]() -> int {
    auto& m = multi_of(map);
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    *out = new it_cursor{map->state, map->view, m.prefix_cursor(MultiMap::key_prefix(k))};
    return IT_OK;
  });
}

}  // extern "C"
