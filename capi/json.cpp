// JSON documents in maps (infinitree/json.hpp), through buffers.
#include <sstream>

#include "capi_internal.hpp"
#include "infinitree/json.hpp"

using namespace capi;

namespace {

infinitree::Map& doc_map(const it_map* m) {
  need(m, "map");
  check_open(*m->state);
  return const_cast<infinitree::Map&>(m->map);
}

}  // namespace

extern "C" {

int it_map_get_json(const it_map* map, const void* prefix, size_t prefix_len, it_buf* out) {
  return guard([&]() -> int {
    auto& m = doc_map(map);
    auto p = bytes(prefix, prefix_len, "prefix");
    need(out, "out");
    std::ostringstream text;
    infinitree::export_json(m, p, text);
    to_buf(out, text.str());
    return IT_OK;
  });
}

int it_map_put_json(it_map* map, const void* prefix, size_t prefix_len, const void* json,
                    size_t json_len, uint64_t* written) {
  return guard([&]() -> int {
    auto& m = doc_map(map);
    auto p = bytes(prefix, prefix_len, "prefix");
    std::istringstream in(std::string(bytes(json, json_len, "json")));
    uint64_t n = infinitree::import_json(m, p, in);
    if (written) *written = n;
    return IT_OK;
  });
}

}  // extern "C"
