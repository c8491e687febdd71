// Key history (infinitree/history.hpp) as an immutable result handle.
#include "capi_internal.hpp"
#include "infinitree/history.hpp"

using namespace capi;

struct it_key_history {
  std::vector<infinitree::KeyChange> changes;
};

extern "C" {

int it_tree_log_key(const it_tree* tree, const char* field, const void* key, size_t key_len,
                    const char* ref_, uint64_t limit, it_key_history** out) {
  return guard([&]() -> int {
    need(tree, "tree");
    check_open(*tree->state);
    auto f = name(field, "field");
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    infinitree::KeyHistoryOptions o;
    o.newest = std::string(ref(ref_));
    o.limit = static_cast<size_t>(limit);
    *out = new it_key_history{infinitree::key_history(*tree->state->tree, f, k, o)};
    return IT_OK;
  });
}

int it_key_history_count(const it_key_history* history, uint64_t* out) {
  return guard([&]() -> int {
    need(history, "history");
    need(out, "out");
    *out = history->changes.size();
    return IT_OK;
  });
}

int it_key_history_get(const it_key_history* history, uint64_t index, it_commit** commit,
                       int* has_value, it_buf* value) {
  return guard([&]() -> int {
    need(history, "history");
    need(commit, "commit");
    need(has_value, "has_value");
    need(value, "value");
    if (index >= history->changes.size()) throw Error(Errc::not_found, "history index out of range");
    const auto& c = history->changes[index];
    auto info = std::make_unique<it_commit>(it_commit{c.commit});
    to_buf(value, c.value ? std::string_view(*c.value) : std::string_view());
    *has_value = c.value ? 1 : 0;
    *commit = info.release();
    return IT_OK;
  });
}

void it_key_history_free(it_key_history* history) { delete history; }

}  // extern "C"
