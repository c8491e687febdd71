// TreeCore::forget: drops commits from the history. Each forgotten commit leaves the commit
// index and gets a stub in the forgotten-commit index (its parents, sequence and time), so
// log() can walk past it and report it as gone. Nothing is deleted here: prune() reclaims
// what only forgotten commits used.
#include <algorithm>
#include <map>
#include <set>

#include "tree/forgotten_commit.hpp"
#include "tree/retention.hpp"
#include "tree/tree_core.hpp"

namespace infinitree::detail {

namespace {

std::vector<CommitInfo> newest_first(std::vector<CommitInfo> v) {
  std::stable_sort(v.begin(), v.end(), [](const CommitInfo& a, const CommitInfo& b) {
    return a.time_ms != b.time_ms ? a.time_ms > b.time_ms : a.sequence > b.sequence;
  });
  return v;
}

// Why a commit can never be forgotten, or empty.
std::string protection(const Refs& refs, const std::string& raw) {
  for (const auto& [name, head] : refs.branches)
    if (head && *head == raw) return "it is the head of branch '" + name + "'";
  for (const auto& [name, id] : refs.tags)
    if (id == raw) return "it is tagged '" + name + "'";
  return {};
}

}  // namespace

// A kept commit's info as it reads once `victims` are forgotten (also for a dry run).
CommitInfo TreeCore::info_after(const CommitRecord& r, const std::set<std::string>& victims) const {
  CommitInfo info = r.info();
  for (const auto& p : r.parents)
    if (victims.count(p) || is_forgotten(p)) info.forgotten_parents.push_back(commit_id_hex(p));
  return info;
}

// A dry run only reads, so it works on a read-only tree too.
void TreeCore::require_forgettable(bool dry_run) const {
  if (dry_run)
    check_open();
  else
    require_writable("forget commits");
}

ForgetReport TreeCore::forget(const std::vector<std::string>& refs, bool dry_run) {
  require_forgettable(dry_run);
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  std::set<std::string> victims;
  for (const auto& ref : refs) {
    std::string raw = resolve(ref);
    std::string why = protection(refs_, raw);
    if (!why.empty())
      throw Error(Errc::invalid_argument, "cannot forget commit " + commit_id_hex(raw) + ": " + why);
    victims.insert(raw);
  }
  ForgetReport report;
  std::vector<CommitRecord> records, kept;
  commits_->scan(btree::Bound{}, btree::Bound{}, [&](std::string_view id, std::string_view) {
    CommitRecord r = load_commit(std::string(id));
    if (victims.count(r.id)) {
      report.forgotten.push_back(r.info());
      records.push_back(std::move(r));
    } else {
      kept.push_back(std::move(r));
    }
    return true;
  });
  if (!dry_run && !records.empty()) apply_forget(records);
  for (const auto& r : kept) report.kept.push_back(info_after(r, victims));
  report.forgotten = newest_first(std::move(report.forgotten));
  report.kept = newest_first(std::move(report.kept));
  return report;
}

ForgetReport TreeCore::forget(const RetentionPolicy& policy, bool dry_run) {
  if (policy.empty())
    throw Error(Errc::invalid_argument,
                "a retention policy needs at least one keep rule (keep_last, keep_daily, ...)");
  require_forgettable(dry_run);
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  std::vector<CommitRecord> records;
  commits_->scan(btree::Bound{}, btree::Bound{}, [&](std::string_view id, std::string_view) {
    records.push_back(load_commit(std::string(id)));
    return true;
  });
  std::vector<RetentionCandidate> candidates;
  for (const auto& r : records)
    candidates.push_back({r.id, r.time_ms, !protection(refs_, r.id).empty()});
  std::vector<bool> keep = apply_retention(candidates, policy);
  ForgetReport report;
  std::vector<CommitRecord> victims;
  std::set<std::string> victim_ids;
  for (size_t i = 0; i < records.size(); ++i)
    if (!keep[i]) victim_ids.insert(records[i].id);
  for (size_t i = 0; i < records.size(); ++i) {
    if (keep[i]) {
      report.kept.push_back(info_after(records[i], victim_ids));
    } else {
      report.forgotten.push_back(records[i].info());
      victims.push_back(std::move(records[i]));
    }
  }
  if (!dry_run && !victims.empty()) apply_forget(victims);
  report.forgotten = newest_first(std::move(report.forgotten));
  report.kept = newest_first(std::move(report.kept));
  return report;
}

void TreeCore::apply_forget(const std::vector<CommitRecord>& victims) {
  // Caller holds the exclusive commit lock and meta_mu_.
  std::optional<ChunkPointer> old_forgotten = root_.forgotten;
  try {
    for (const auto& r : victims) {
      ForgottenCommit stub{r.parents, r.sequence, r.time_ms};
      Bytes enc = stub.encode();
      commits_->erase(r.id);
      forgotten_->put(r.id, as_string_view(enc));
    }
    root_.forgotten = forgotten_->flush();
    publish_root(commits_->flush(), refs_);
  } catch (...) {
    root_.forgotten = old_forgotten;
    commits_ = std::make_unique<btree::BTree>(store_, cache_, root_.commits, btree_options_);
    forgotten_ = std::make_unique<btree::BTree>(store_, cache_, root_.forgotten, btree_options_);
    throw;
  }
}

}  // namespace infinitree::detail
