// Trees: create/open/close, fields of the working tree, commits, history, branches, tags,
// credentials and statistics.
#include "capi_internal.hpp"

using namespace capi;

namespace {

const infinitree::OpenOptions& options_of(const it_options* o) {
  static const infinitree::OpenOptions defaults{};
  return o ? o->options : defaults;
}

// The open tree behind a handle; throws invalid_argument for NULL, closed after close.
infinitree::Tree& tree_of(const it_tree* t) {
  need(t, "tree");
  check_open(*t->state);
  return *t->state->tree;
}

template <typename Open>
int open_tree(const it_backend* backend, const char* user_name, const void* password,
              size_t password_len, it_tree** out, Open&& open) {
  return guard([&]() -> int {
    need(backend, "backend");
    auto user = username(user_name, "username");
    auto pass = bytes(password, password_len, "password");
    need(out, "out");
    auto state = std::make_shared<TreeState>();
    state->tree = std::shared_ptr<infinitree::Tree>(open(backend->backend, user, pass));
    *out = new it_tree{std::move(state)};
    return IT_OK;
  });
}

// IT_FIELD_* equal FieldType (checked in errors.cpp); 0 marks a branch or tag entry.
int field_type_code(infinitree::FieldType t) { return static_cast<int>(t); }

it_names* field_names(const std::vector<infinitree::FieldInfo>& fields) {
  auto n = std::make_unique<it_names>();
  for (const auto& f : fields) n->entries.push_back({f.name, std::nullopt, field_type_code(f.type)});
  return n.release();
}

}  // namespace

it_names* capi::make_field_names(const std::vector<infinitree::FieldInfo>& fields) {
  return field_names(fields);
}

extern "C" {

int it_tree_create(const it_backend* backend, const char* username, const void* password,
                   size_t password_len, const it_options* options, it_tree** out) {
  return open_tree(backend, username, password, password_len, out,
                   [&](auto b, auto u, auto p) {
                     return infinitree::Tree::create(std::move(b), u, p, options_of(options));
                   });
}

int it_tree_open(const it_backend* backend, const char* username, const void* password,
                 size_t password_len, const it_options* options, it_tree** out) {
  return open_tree(backend, username, password, password_len, out,
                   [&](auto b, auto u, auto p) {
                     return infinitree::Tree::open(std::move(b), u, p, options_of(options));
                   });
}

int it_tree_close(it_tree* tree) {
  return guard([&]() -> int {
    need(tree, "tree");
    // Mark first: handles made from a checkout see it at once; the C++ close then waits for
    // running field operations and releases the writer lock.
    tree->state->closed.store(true, std::memory_order_release);
    tree->state->tree->close();
    return IT_OK;
  });
}

void it_tree_free(it_tree* tree) {
  if (!tree) return;
  it_tree_close(tree);
  delete tree;
}

int it_tree_is_read_only(const it_tree* tree, int* out) {
  return guard([&]() -> int { return answer(out, tree_of(tree).read_only()); });
}

int it_tree_map(it_tree* tree, const char* name_, it_map** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_map{tree->state, nullptr, t.map(n)};
    return IT_OK;
  });
}

int it_tree_set(it_tree* tree, const char* name_, it_set** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_set{tree->state, nullptr, t.set(n)};
    return IT_OK;
  });
}

int it_tree_list(it_tree* tree, const char* name_, it_list** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_list{tree->state, nullptr, t.list(n)};
    return IT_OK;
  });
}

int it_tree_value(it_tree* tree, const char* name_, it_value** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto n = name(name_, "name");
    need(out, "out");
    *out = new it_value{tree->state, nullptr, t.value(n)};
    return IT_OK;
  });
}

int it_tree_fields(const it_tree* tree, it_names** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    *out = field_names(t.fields());
    return IT_OK;
  });
}

int it_tree_contains_field(const it_tree* tree, const char* name_, int* out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    return answer(out, t.has_field(name(name_, "name")));
  });
}

int it_tree_rename_field(it_tree* tree, const char* from, const char* to) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    t.rename_field(name(from, "from"), name(to, "to"));
    return IT_OK;
  });
}

int it_tree_delete_field(it_tree* tree, const char* name_) {
  return guard([&]() -> int {
    tree_of(tree).drop_field(name(name_, "name"));
    return IT_OK;
  });
}

int it_tree_commit(it_tree* tree, const char* message, const void* custom, size_t custom_len,
                   const it_commit_options* options, it_commit** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto msg = name(message, "message");
    auto c = bytes(custom, custom_len, "custom");
    static const infinitree::CommitOptions defaults{};
    auto made = t.commit(msg, c, options ? options->options : defaults);
    if (out) *out = made ? new it_commit{std::move(*made)} : nullptr;
    return IT_OK;
  });
}

int it_tree_rollback(it_tree* tree) {
  return guard([&]() -> int {
    tree_of(tree).rollback();
    return IT_OK;
  });
}

int it_tree_is_modified(const it_tree* tree, int* out) {
  return guard([&]() -> int { return answer(out, tree_of(tree).has_changes()); });
}

int it_tree_log(const it_tree* tree, it_log_filter filter, const char* from_ref, const char* to_ref,
                it_log** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    using H = infinitree::HistoryFilter;
    H f;
    switch (enum_value(filter)) {
      case IT_LOG_ALL: f = H::all(); break;
      // The core's filters resolve their refs like Tree::resolve, where "" is the head.
      case IT_LOG_SINGLE: f = H::single(std::string(ref(from_ref))); break;
      case IT_LOG_UP_TO: f = H::up_to(std::string(ref(from_ref))); break;
      case IT_LOG_RANGE: f = H::range(std::string(ref(from_ref)), std::string(ref(to_ref))); break;
      default: throw Error(Errc::invalid_argument, "unknown history filter");
    }
    *out = new it_log{t.log(f)};
    return IT_OK;
  });
}

int it_tree_get_commit(const it_tree* tree, const char* ref_, it_commit** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    *out = new it_commit{t.commit_info(t.resolve(ref(ref_)))};
    return IT_OK;
  });
}

int it_tree_checkout(const it_tree* tree, const char* ref_, it_view** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto r = ref(ref_);
    need(out, "out");
    std::shared_ptr<infinitree::TreeView> view = t.checkout(r);
    *out = new it_view{tree->state, std::move(view)};
    return IT_OK;
  });
}

int it_tree_diff(const it_tree* tree, const char* field, const char* from_ref, const char* to_ref,
                 it_diff** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto f = name(field, "field");
    auto ra = ref(from_ref);
    auto rb = ref(to_ref);
    need(out, "out");
    *out = new it_diff{t.diff(f, ra, rb)};
    return IT_OK;
  });
}

int it_tree_current_branch(const it_tree* tree, it_buf* out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    to_buf(out, t.current_branch());
    return IT_OK;
  });
}

int it_tree_create_branch(it_tree* tree, const char* name_, const char* ref_) {
  return guard([&]() -> int {
    tree_of(tree).create_branch(name(name_, "name"), ref(ref_));
    return IT_OK;
  });
}

int it_tree_switch_branch(it_tree* tree, const char* name_) {
  return guard([&]() -> int {
    tree_of(tree).switch_branch(name(name_, "name"));
    return IT_OK;
  });
}

int it_tree_delete_branch(it_tree* tree, const char* name_) {
  return guard([&]() -> int {
    tree_of(tree).delete_branch(name(name_, "name"));
    return IT_OK;
  });
}

int it_tree_branches(const it_tree* tree, it_names** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    auto n = std::make_unique<it_names>();
    for (auto& [branch, id] : t.branches()) n->entries.push_back({branch, id, 0});
    *out = n.release();
    return IT_OK;
  });
}

int it_tree_create_tag(it_tree* tree, const char* name_, const char* ref_) {
  return guard([&]() -> int {
    tree_of(tree).create_tag(name(name_, "name"), ref(ref_));
    return IT_OK;
  });
}

int it_tree_delete_tag(it_tree* tree, const char* name_) {
  return guard([&]() -> int {
    tree_of(tree).delete_tag(name(name_, "name"));
    return IT_OK;
  });
}

int it_tree_tags(const it_tree* tree, it_names** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    auto n = std::make_unique<it_names>();
    for (auto& [tag, id] : t.tags()) n->entries.push_back({tag, id, 0});
    *out = n.release();
    return IT_OK;
  });
}

int it_tree_resolve(const it_tree* tree, const char* ref_, it_buf* out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto r = ref(ref_);
    need(out, "out");
    to_buf(out, t.resolve(r));
    return IT_OK;
  });
}

int it_tree_change_password(it_tree* tree, const char* user_name, const void* password,
                            size_t password_len, uint32_t kdf_memory_kib, uint32_t kdf_iterations,
                            uint32_t kdf_parallelism) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto user = username(user_name, "username");
    auto pass = bytes(password, password_len, "password");
    t.change_password(user, pass, kdf_params(kdf_memory_kib, kdf_iterations, kdf_parallelism));
    return IT_OK;
  });
}

int it_tree_stats(const it_tree* tree, it_stats* out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    check_version(out, IT_STATS_VERSION, "it_stats");
    auto s = t.stats();
    // Version 1 is every field there is; a later version fills its new fields below.
    out->objects = s.objects;
    out->commits = s.commits;
    out->chunks_written = s.chunks_written;
    out->bytes_written = s.bytes_written;
    out->node_cache_hits = s.node_cache_hits;
    out->node_cache_misses = s.node_cache_misses;
    return IT_OK;
  });
}

}  // extern "C"
