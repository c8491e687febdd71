// Space: forget (by name or by retention policy), prune and the space report, with the
// retention policy and prune option handles they take. See docs/space.md.
#include <cmath>
#include <limits>

#include "capi_internal.hpp"

using namespace capi;

struct it_retention_policy {
  infinitree::RetentionPolicy policy;
};

struct it_prune_options {
  infinitree::PruneOptions options;
};

namespace {

// The open tree behind a handle; throws invalid_argument for NULL, closed after close.
infinitree::Tree& open_tree(const it_tree* t) {
  need(t, "tree");
  check_open(*t->state);
  return *t->state->tree;
}

// The core keeps keep_* counts as uint32_t; a larger count is refused, not truncated.
uint32_t keep_count(uint64_t n) {
  if (n > std::numeric_limits<uint32_t>::max())
    throw Error(Errc::invalid_argument, "a keep count must be at most 2^32 - 1");
  return static_cast<uint32_t>(n);
}

int64_t duration(int64_t ms, const char* what) {
  if (ms < 0) throw Error(Errc::invalid_argument, std::string(what) + " must not be negative");
  return ms;
}

template <typename Set>
int set_policy(it_retention_policy* policy, Set&& set) {
  return guard([&]() -> int {
    need(policy, "policy");
    set(policy->policy);
    return IT_OK;
  });
}

template <typename Set>
int set_option(it_prune_options* options, Set&& set) {
  return guard([&]() -> int {
    need(options, "options");
    set(options->options);
    return IT_OK;
  });
}

const infinitree::PruneOptions& prune_options_of(const it_prune_options* o) {
  static const infinitree::PruneOptions defaults{};
  return o ? o->options : defaults;
}

// Hands the two lists of a forget to the optional out-parameters, all or nothing.
void report_forget(infinitree::ForgetReport&& r, it_log** forgotten, it_log** kept) {
  std::unique_ptr<it_log> f, k;
  if (forgotten) f.reset(new it_log{std::move(r.forgotten)});
  if (kept) k.reset(new it_log{std::move(r.kept)});
  if (forgotten) *forgotten = f.release();
  if (kept) *kept = k.release();
}

// Version 1 is every field there is; a later version fills its new fields below.
void fill(it_space_report* out, const infinitree::SpaceReport& r) {
  out->objects = r.objects;
  out->object_bytes = r.object_bytes;
  out->live_chunks = r.live_chunks;
  out->live_bytes = r.live_bytes;
  out->garbage_bytes = r.garbage_bytes;
  out->objects_to_delete = r.objects_to_delete;
  out->objects_to_repack = r.objects_to_repack;
  out->objects_pending = r.objects_pending;
  out->objects_deleted = r.objects_deleted;
  out->objects_deferred = r.objects_deferred;
  out->chunks_moved = r.chunks_moved;
  out->bytes_moved = r.bytes_moved;
  out->temp_files_removed = r.temp_files_removed;
}

}  // namespace

extern "C" {

int it_retention_policy_new(it_retention_policy** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_retention_policy{};
    return IT_OK;
  });
}
int it_retention_policy_set_keep_last(it_retention_policy* policy, uint64_t n) {
  return set_policy(policy, [&](auto& p) { p.keep_last = keep_count(n); });
}
int it_retention_policy_set_keep_hourly(it_retention_policy* policy, uint64_t n) {
  return set_policy(policy, [&](auto& p) { p.keep_hourly = keep_count(n); });
}
int it_retention_policy_set_keep_daily(it_retention_policy* policy, uint64_t n) {
  return set_policy(policy, [&](auto& p) { p.keep_daily = keep_count(n); });
}
int it_retention_policy_set_keep_weekly(it_retention_policy* policy, uint64_t n) {
  return set_policy(policy, [&](auto& p) { p.keep_weekly = keep_count(n); });
}
int it_retention_policy_set_keep_monthly(it_retention_policy* policy, uint64_t n) {
  return set_policy(policy, [&](auto& p) { p.keep_monthly = keep_count(n); });
}
int it_retention_policy_set_keep_yearly(it_retention_policy* policy, uint64_t n) {
  return set_policy(policy, [&](auto& p) { p.keep_yearly = keep_count(n); });
}
int it_retention_policy_set_keep_within_ms(it_retention_policy* policy, int64_t ms) {
  return set_policy(policy, [&](auto& p) { p.keep_within_ms = duration(ms, "keep_within_ms"); });
}
void it_retention_policy_free(it_retention_policy* policy) { delete policy; }

int it_prune_options_new(it_prune_options** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_prune_options{};
    return IT_OK;
  });
}
int it_prune_options_set_repack_below(it_prune_options* options, double fraction) {
  return set_option(options, [&](auto& o) {
    // Written so that NaN fails too.
    if (!(fraction >= 0.0 && fraction <= 1.0))
      throw Error(Errc::invalid_argument, "repack_below must be between 0 and 1");
    o.repack_below = fraction;
  });
}
int it_prune_options_set_grace_ms(it_prune_options* options, int64_t grace_ms) {
  return set_option(options, [&](auto& o) { o.grace_ms = duration(grace_ms, "grace_ms"); });
}
int it_prune_options_set_temp_grace_ms(it_prune_options* options, int64_t temp_grace_ms) {
  return set_option(options,
                    [&](auto& o) { o.temp_grace_ms = duration(temp_grace_ms, "temp_grace_ms"); });
}
int it_prune_options_set_dry_run(it_prune_options* options, int dry_run) {
  return set_option(options, [&](auto& o) { o.dry_run = dry_run != 0; });
}
void it_prune_options_free(it_prune_options* options) { delete options; }

int it_tree_forget(it_tree* tree, const char* const* refs, uint64_t count, int dry_run,
                   it_log** forgotten, it_log** kept) {
  return guard([&]() -> int {
    auto& t = open_tree(tree);
    if (count) need(refs, "refs");
    std::vector<std::string> names;
    names.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      // A NULL ref means the head elsewhere; the head can never be forgotten, so a NULL
      // here is a caller's mistake, reported as such.
      if (!refs[i]) throw Error(Errc::invalid_argument, "refs[" + std::to_string(i) + "] is NULL");
      names.emplace_back(refs[i]);
    }
    report_forget(t.forget(names, dry_run != 0), forgotten, kept);
    return IT_OK;
  });
}

int it_tree_forget_by_policy(it_tree* tree, const it_retention_policy* policy, int dry_run,
                             it_log** forgotten, it_log** kept) {
  return guard([&]() -> int {
    auto& t = open_tree(tree);
    need(policy, "policy");
    report_forget(t.forget(policy->policy, dry_run != 0), forgotten, kept);
    return IT_OK;
  });
}

int it_tree_prune(it_tree* tree, const it_prune_options* options, it_space_report* out) {
  return guard([&]() -> int {
    auto& t = open_tree(tree);
    // The version is checked first, so a caller's mistake never costs a prune.
    if (out) check_version(out, IT_SPACE_REPORT_VERSION, "it_space_report");
    auto r = t.prune(prune_options_of(options));
    if (out) fill(out, r);
    return IT_OK;
  });
}

int it_tree_space(const it_tree* tree, const it_prune_options* options, it_space_report* out) {
  return guard([&]() -> int {
    auto& t = open_tree(tree);
    check_version(out, IT_SPACE_REPORT_VERSION, "it_space_report");
    fill(out, t.space(prune_options_of(options)));
    return IT_OK;
  });
}

}  // extern "C"
