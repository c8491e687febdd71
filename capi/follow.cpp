// Readers that follow a writer: it_tree_refresh and it_tree_follow (docs/backends.md).
#include "capi_internal.hpp"

using namespace capi;

namespace {

infinitree::Tree& open_tree_of(const it_tree* t) {
  need(t, "tree");
  check_open(*t->state);
  return *t->state->tree;
}

}  // namespace

int it_tree_refresh(it_tree* tree, int* moved) {
  return guard([&]() -> int {
    put_flag(moved, open_tree_of(tree).refresh());
    return IT_OK;
  });
}

int it_tree_follow(it_tree* tree, uint32_t interval_ms, uint32_t max_interval_ms, double backoff) {
  return guard([&]() -> int {
    auto& t = open_tree_of(tree);
    if (interval_ms == 0) {
      t.stop_following();
      return IT_OK;
    }
    infinitree::FollowOptions o;
    o.interval = std::chrono::milliseconds(interval_ms);
    o.max_interval = std::chrono::milliseconds(max_interval_ms);
    o.backoff = backoff;
    t.follow(o);
    return IT_OK;
  });
}
