// Tuple spaces: whole-subspace operations on maps with tuple keys (infinitree/tuple_space.hpp).
#include "capi_internal.hpp"
#include "infinitree/tuple_space.hpp"

using namespace capi;

namespace {

infinitree::Map& space_of(const it_map* m) {
  need(m, "map");
  check_open(*m->state);
  return const_cast<infinitree::Map&>(m->map);
}

}  // namespace

extern "C" {

int it_map_remove_prefix(it_map* map, const void* prefix, size_t prefix_len, uint64_t* removed) {
  return guard([&]() -> int {
    auto& m = space_of(map);
    uint64_t n = infinitree::erase_subspace(m, bytes(prefix, prefix_len, "prefix"));
    if (removed) *removed = n;
    return IT_OK;
  });
}

int it_map_count_prefix(const it_map* map, const void* prefix, size_t prefix_len, uint64_t* out) {
  return guard([&]() -> int {
    auto& m = space_of(map);
    auto p = bytes(prefix, prefix_len, "prefix");
    need(out, "out");
    *out = infinitree::count_subspace(m, p);
    return IT_OK;
  });
}

}  // extern "C"
