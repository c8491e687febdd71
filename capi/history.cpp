// Result handles: commit information, logs, name lists and diffs. Read-only once built, so
// any number of threads may read one; every accessor copies its answer out (an it_buf), so
// no pointer into a handle ever reaches the caller.
#include "capi_internal.hpp"

using namespace capi;

namespace {

// Element `index` of a result list; not_found out of range.
template <typename Vec>
const auto& at(const Vec& v, uint64_t index, const char* what) {
  if (index >= v.size()) throw Error(Errc::not_found, std::string(what) + " index out of range");
  return v[index];
}

// The body of every string accessor of a commit.
template <typename Get>
int commit_string(const it_commit* commit, it_buf* out, Get&& get) {
  return guard([&]() -> int {
    need(commit, "commit");
    need(out, "out");
    to_buf(out, get(commit->info));
    return IT_OK;
  });
}

template <typename T, typename Get>
int commit_number(const it_commit* commit, T* out, Get&& get) {
  return guard([&]() -> int {
    need(commit, "commit");
    need(out, "out");
    *out = get(commit->info);
    return IT_OK;
  });
}

// The size of a result list, for the *_count calls.
template <typename H, typename Vec>
int count_of(const H* h, uint64_t* out, const Vec H::*list, const char* what) {
  return guard([&]() -> int {
    need(h, what);
    need(out, "out");
    *out = (h->*list).size();
    return IT_OK;
  });
}

using Info = infinitree::CommitInfo;

}  // namespace

extern "C" {

int it_commit_id(const it_commit* commit, it_buf* out) {
  return commit_string(commit, out, [](const Info& i) -> const std::string& { return i.id; });
}
int it_commit_parent_count(const it_commit* commit, uint64_t* out) {
  return commit_number(commit, out, [](const Info& i) { return uint64_t{i.parents.size()}; });
}
int it_commit_parent(const it_commit* commit, uint64_t index, it_buf* out) {
  return commit_string(commit, out, [&](const Info& i) -> const std::string& {
    return at(i.parents, index, "parent");
  });
}
int it_commit_time_ms(const it_commit* commit, int64_t* out) {
  return commit_number(commit, out, [](const Info& i) { return int64_t{i.time_ms}; });
}
int it_commit_sequence(const it_commit* commit, uint64_t* out) {
  return commit_number(commit, out, [](const Info& i) { return uint64_t{i.sequence}; });
}
int it_commit_branch(const it_commit* commit, it_buf* out) {
  return commit_string(commit, out, [](const Info& i) -> const std::string& { return i.branch; });
}
int it_commit_message(const it_commit* commit, it_buf* out) {
  return commit_string(commit, out, [](const Info& i) -> const std::string& { return i.message; });
}
int it_commit_custom(const it_commit* commit, it_buf* out) {
  return commit_string(commit, out, [](const Info& i) -> const std::string& { return i.custom; });
}
int it_commit_forgotten_parent_count(const it_commit* commit, uint64_t* out) {
  return commit_number(commit, out,
                       [](const Info& i) { return uint64_t{i.forgotten_parents.size()}; });
}
int it_commit_forgotten_parent(const it_commit* commit, uint64_t index, it_buf* out) {
  return commit_string(commit, out, [&](const Info& i) -> const std::string& {
    return at(i.forgotten_parents, index, "forgotten parent");
  });
}
void it_commit_free(it_commit* commit) { delete commit; }

int it_log_count(const it_log* log, uint64_t* out) {
  return count_of(log, out, &it_log::commits, "log");
}
int it_log_get(const it_log* log, uint64_t index, it_commit** out) {
  return guard([&]() -> int {
    need(log, "log");
    need(out, "out");
    *out = new it_commit{at(log->commits, index, "log")};
    return IT_OK;
  });
}
void it_log_free(it_log* log) { delete log; }

int it_names_count(const it_names* names, uint64_t* out) {
  return count_of(names, out, &it_names::entries, "names");
}
int it_names_name(const it_names* names, uint64_t index, it_buf* out) {
  return guard([&]() -> int {
    need(names, "names");
    need(out, "out");
    to_buf(out, at(names->entries, index, "name").name);
    return IT_OK;
  });
}
int it_names_target(const it_names* names, uint64_t index, it_buf* out) {
  return guard([&]() -> int {
    need(names, "names");
    need(out, "out");
    const auto& e = at(names->entries, index, "name");
    if (!e.target) return fail(IT_ENOTFOUND, ("'" + e.name + "' points to no commit").c_str());
    to_buf(out, *e.target);
    return IT_OK;
  });
}
int it_names_type(const it_names* names, uint64_t index, it_field_type* out) {
  return guard([&]() -> int {
    need(names, "names");
    need(out, "out");
    const auto& e = at(names->entries, index, "name");
    if (!e.type) return fail(IT_ENOTFOUND, ("'" + e.name + "' is not a field").c_str());
    *out = static_cast<it_field_type>(e.type);
    return IT_OK;
  });
}
void it_names_free(it_names* names) { delete names; }

int it_diff_count(const it_diff* diff, uint64_t* out) {
  return count_of(diff, out, &it_diff::entries, "diff");
}
int it_diff_get(const it_diff* diff, uint64_t index, it_buf* key, int* has_old, it_buf* old_value,
                int* has_new, it_buf* new_value) {
  return guard([&]() -> int {
    need(diff, "diff");
    need(key, "key");
    need(has_old, "has_old");
    need(old_value, "old_value");
    need(has_new, "has_new");
    need(new_value, "new_value");
    const auto& e = at(diff->entries, index, "diff");
    // All three buffers or none: a failure part-way frees what was made.
    it_buf k{nullptr, 0}, o{nullptr, 0}, n{nullptr, 0};
    try {
      to_buf(&k, e.key);
      to_buf(&o, e.old_value ? std::string_view(*e.old_value) : std::string_view());
      to_buf(&n, e.new_value ? std::string_view(*e.new_value) : std::string_view());
    } catch (...) {
      it_buf_free(&k);
      it_buf_free(&o);
      throw;
    }
    *key = k;
    *old_value = o;
    *new_value = n;
    *has_old = e.old_value ? 1 : 0;
    *has_new = e.new_value ? 1 : 0;
    return IT_OK;
  });
}
void it_diff_free(it_diff* diff) { delete diff; }

}  // extern "C"
