// Result handles: commit information, logs, name lists and diffs. Read-only once built.
#include "capi_internal.hpp"

using namespace capi;

extern "C" {

const char* it_commit_id(const it_commit* commit) {
  return commit ? commit->info.id.c_str() : nullptr;
}
size_t it_commit_parent_count(const it_commit* commit) {
  return commit ? commit->info.parents.size() : 0;
}
const char* it_commit_parent(const it_commit* commit, size_t i) {
  if (!commit || i >= commit->info.parents.size()) return nullptr;
  return commit->info.parents[i].c_str();
}
int64_t it_commit_time_ms(const it_commit* commit) { return commit ? commit->info.time_ms : 0; }
uint64_t it_commit_sequence(const it_commit* commit) { return commit ? commit->info.sequence : 0; }
const char* it_commit_branch(const it_commit* commit) {
  return commit ? commit->info.branch.c_str() : nullptr;
}
const char* it_commit_message(const it_commit* commit, size_t* len) {
  if (!commit) {
    if (len) *len = 0;
    return nullptr;
  }
  if (len) *len = commit->info.message.size();
  return commit->info.message.c_str();
}
const uint8_t* it_commit_custom(const it_commit* commit, size_t* len) {
  if (!commit) {
    if (len) *len = 0;
    return nullptr;
  }
  if (len) *len = commit->info.custom.size();
  return reinterpret_cast<const uint8_t*>(commit->info.custom.c_str());
}
void it_commit_free(it_commit* commit) { delete commit; }

size_t it_log_count(const it_log* log) { return log ? log->commits.size() : 0; }
int it_log_get(const it_log* log, size_t i, it_commit** out) {
  return guard([&]() -> int {
    need(log, "log");
    need(out, "out");
    if (i >= log->commits.size()) return fail(IT_ENOTFOUND, "log index out of range");
    *out = new it_commit{log->commits[i]};
    return IT_OK;
  });
}
void it_log_free(it_log* log) { delete log; }

size_t it_names_count(const it_names* names) { return names ? names->entries.size() : 0; }
const char* it_names_name(const it_names* names, size_t i) {
  if (!names || i >= names->entries.size()) return nullptr;
  return names->entries[i].name.c_str();
}
const char* it_names_target(const it_names* names, size_t i) {
  if (!names || i >= names->entries.size() || !names->entries[i].target) return nullptr;
  return names->entries[i].target->c_str();
}
int it_names_type(const it_names* names, size_t i) {
  return guard([&]() -> int {
    need(names, "names");
    if (i >= names->entries.size()) return fail(IT_ENOTFOUND, "name index out of range");
    return names->entries[i].type;
  });
}
void it_names_free(it_names* names) { delete names; }

size_t it_diff_count(const it_diff* diff) { return diff ? diff->entries.size() : 0; }
int it_diff_get(const it_diff* diff, size_t i, const uint8_t** key, size_t* key_len,
                const uint8_t** old_value, size_t* old_len, const uint8_t** new_value,
                size_t* new_len) {
  return guard([&]() -> int {
    need(diff, "diff");
    if (i >= diff->entries.size()) return fail(IT_ENOTFOUND, "diff index out of range");
    const auto& e = diff->entries[i];
    auto ptr = [](const std::string& s) { return reinterpret_cast<const uint8_t*>(s.c_str()); };
    if (key) *key = ptr(e.key);
    if (key_len) *key_len = e.key.size();
    if (old_value) *old_value = e.old_value ? ptr(*e.old_value) : nullptr;
    if (old_len) *old_len = e.old_value ? e.old_value->size() : 0;
    if (new_value) *new_value = e.new_value ? ptr(*e.new_value) : nullptr;
    if (new_len) *new_len = e.new_value ? e.new_value->size() : 0;
    return IT_OK;
  });
}
void it_diff_free(it_diff* diff) { delete diff; }

}  // extern "C"
