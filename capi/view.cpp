// Checkouts: read-only views of one commit, with the same field getters as the tree.
#include "capi_internal.hpp"

using namespace capi;

namespace {

infinitree::TreeView& view_of(const it_view* v) {
  need(v, "view");
  check_open(*v->state);
  return *v->view;
}

}  // namespace

extern "C" {

int it_view_map(const it_view* view, const char* name_, it_map** out) {
  return guard([&]() -> int {
    auto& v = view_of(view);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_map{view->state, view->view, v.map(n)};
    return IT_OK;
  });
}

int it_view_set(const it_view* view, const char* name_, it_set** out) {
  return guard([&]() -> int {
    auto& v = view_of(view);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_set{view->state, view->view, v.set(n)};
    return IT_OK;
  });
}

int it_view_list(const it_view* view, const char* name_, it_list** out) {
  return guard([&]() -> int {
    auto& v = view_of(view);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_list{view->state, view->view, v.list(n)};
    return IT_OK;
  });
}

int it_view_value(const it_view* view, const char* name_, it_value** out) {
  return guard([&]() -> int {
    auto& v = view_of(view);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_value{view->state, view->view, v.value(n)};
    return IT_OK;
  });
}

int it_view_fields(const it_view* view, it_names** out) {
  return guard([&]() -> int {
    auto& v = view_of(view);
    need(out, "out");
    *out = make_field_names(v.fields());
    return IT_OK;
  });
}

int it_view_contains_field(const it_view* view, const char* name_, int* out) {
  return guard([&]() -> int { return answer(out, view_of(view).has_field(name(name_, "name"))); });
}

int it_view_get_commit(const it_view* view, it_commit** out) {
  return guard([&]() -> int {
    auto& v = view_of(view);
    need(out, "out");
    auto c = v.commit();
    if (!c) return fail(IT_ENOTFOUND, "this view shows no commit");
    *out = new it_commit{std::move(*c)};
    return IT_OK;
  });
}

void it_view_free(it_view* view) { delete view; }

}  // extern "C"
