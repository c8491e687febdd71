// Item views (infinitree/views.hpp) in the C ABI: a handle holds the C++ view and what it
// reads from; its cursors are ordinary it_cursor handles, so C, Python and Go walk a view
// exactly as they walk a map.
#include <algorithm>

#include "capi_internal.hpp"

using namespace capi;

namespace capi {

void check_open(const ViewDeps& d) {
  for (const auto& s : d.states) check_open(*s);
}

}  // namespace capi

struct it_item_view {
  std::shared_ptr<const capi::ViewDeps> deps;
  infinitree::ViewPtr view;
};

namespace {

const it_item_view& view_of(const it_item_view* v, const char* what) {
  need(v, what);
  check_open(*v->deps);
  return *v;
}

// The dependencies of a view made of several: the union of theirs, each once.
std::shared_ptr<const ViewDeps> merged(const std::vector<const it_item_view*>& parts) {
  auto d = std::make_shared<ViewDeps>();
  for (const auto* p : parts) {
    for (const auto& s : p->deps->states)
      if (std::find(d->states.begin(), d->states.end(), s) == d->states.end()) d->states.push_back(s);
    for (const auto& v : p->deps->views)
      if (std::find(d->views.begin(), d->views.end(), v) == d->views.end()) d->views.push_back(v);
  }
  return d;
}

// `kind` is read through enum_value (its bytes), never loaded as the enum: a C caller may
// pass any int, and loading one outside the enumerators is undefined (UBSan flags it).
std::optional<infinitree::ViewBound> bound(const it_bound& kind, const void* key, size_t len,
                                           const char* what) {
  auto k = bytes(key, len, what);
  switch (enum_value(kind)) {
    case IT_BOUND_NONE: return std::nullopt;
    case IT_BOUND_CLOSED: return infinitree::ViewBound::closed(std::string(k));
    case IT_BOUND_OPEN: return infinitree::ViewBound::open(std::string(k));
    default:
      throw Error(Errc::invalid_argument,
                  std::string(what) + " kind must be IT_BOUND_NONE, IT_BOUND_CLOSED or IT_BOUND_OPEN");
  }
}

template <typename Combine>
int combine(const it_item_view* const* views, uint64_t count, it_item_view** out, const char* what,
            Combine&& make) {
  return guard([&]() -> int {
    need(views, "views");
    need(out, "out");
    if (count == 0) return fail(IT_EINVAL, (std::string(what) + " of no views").c_str());
    std::vector<const it_item_view*> parts;
    std::vector<infinitree::ViewPtr> cxx;
    for (uint64_t i = 0; i < count; ++i) {
      parts.push_back(&view_of(views[i], "views[i]"));
      cxx.push_back(views[i]->view);
    }
    *out = new it_item_view{merged(parts), make(std::move(cxx))};
    return IT_OK;
  });
}

}  // namespace

extern "C" {

int it_item_view_new_map(const it_map* map, it_item_view** out) {
  return guard([&]() -> int {
    need(map, "map");
    check_open(*map->state);
    need(out, "out");
    auto d = std::make_shared<ViewDeps>();
    d->states.push_back(map->state);
    if (map->view) d->views.push_back(map->view);
    *out = new it_item_view{std::move(d), infinitree::map_view(map->map)};
    return IT_OK;
  });
}

int it_item_view_new_prefix(const it_item_view* base, const void* prefix, size_t prefix_len,
                            it_item_view** out) {
  return guard([&]() -> int {
    const auto& b = view_of(base, "base");
    auto p = bytes(prefix, prefix_len, "prefix");
    need(out, "out");
    *out = new it_item_view{b.deps, infinitree::prefix_view(b.view, std::string(p))};
    return IT_OK;
  });
}

int it_item_view_new_range(const it_item_view* base, it_bound lo_kind, const void* lo, size_t lo_len,
                           it_bound hi_kind, const void* hi, size_t hi_len, it_item_view** out) {
  return guard([&]() -> int {
    const auto& b = view_of(base, "base");
    auto l = bound(lo_kind, lo, lo_len, "lo");
    auto h = bound(hi_kind, hi, hi_len, "hi");
    need(out, "out");
    *out = new it_item_view{b.deps, infinitree::range_view(b.view, std::move(l), std::move(h))};
    return IT_OK;
  });
}

int it_item_view_new_union(const it_item_view* const* views, uint64_t count, it_item_view** out) {
  return combine(views, count, out, "a union",
                 [](std::vector<infinitree::ViewPtr> v) { return infinitree::union_view(std::move(v)); });
}

int it_item_view_new_intersection(const it_item_view* const* views, uint64_t count,
                                  it_item_view** out) {
  return combine(views, count, out, "an intersection", [](std::vector<infinitree::ViewPtr> v) {
    return infinitree::intersection_view(std::move(v));
  });
}

int it_item_view_new_diff(const it_tree* tree, const char* field, const char* from_ref,
                          const char* to_ref, int added, int removed, int changed,
                          it_item_view** out) {
  return guard([&]() -> int {
    need(tree, "tree");
    check_open(*tree->state);
    auto f = name(field, "field");
    need(out, "out");
    unsigned which = (added ? 1u : 0u) | (removed ? 2u : 0u) | (changed ? 4u : 0u);
    if (!which) return fail(IT_EINVAL, "a diff view needs at least one of added, removed, changed");
    auto d = std::make_shared<ViewDeps>();
    d->states.push_back(tree->state);
    auto v = infinitree::diff_view(*tree->state->tree, f, ref(from_ref), ref(to_ref),
                                   static_cast<infinitree::Change>(which));
    *out = new it_item_view{std::move(d), std::move(v)};
    return IT_OK;
  });
}

int it_item_view_cursor(const it_item_view* view, it_cursor** out) {
  return guard([&]() -> int {
    const auto& v = view_of(view, "view");
    need(out, "out");
    auto c = v.view->cursor();
    const auto& deps = *v.deps;
    *out = new it_cursor{deps.states.front(), nullptr, infinitree::Cursor(), std::move(c), v.deps};
    return IT_OK;
  });
}

int it_item_view_get(const it_item_view* view, const void* key, size_t key_len, it_buf* out) {
  return guard([&]() -> int {
    const auto& v = view_of(view, "view");
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    auto value = v.view->get(k);
    if (!value) return fail(IT_ENOTFOUND, "key not found in the view");
    to_buf(out, *value);
    return IT_OK;
  });
}

int it_item_view_contains(const it_item_view* view, const void* key, size_t key_len, int* out) {
  return guard([&]() -> int {
    const auto& v = view_of(view, "view");
    return answer(out, v.view->contains(bytes(key, key_len, "key")));
  });
}

int it_item_view_count(const it_item_view* view, uint64_t* out) {
  return guard([&]() -> int {
    const auto& v = view_of(view, "view");
    need(out, "out");
    *out = v.view->count();
    return IT_OK;
  });
}

void it_item_view_free(it_item_view* view) { delete view; }

}  // extern "C"
