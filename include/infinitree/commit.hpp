// Commits and history: what a commit records (CommitInfo), how one is made (CommitOptions)
// and which commits Tree::log lists (HistoryFilter).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace infinitree {

using CommitId = std::string;  // 32 lowercase hex digits (16 random bytes)

struct CommitInfo {
  CommitId id;
  std::vector<CommitId> parents;  // first parent, then any other (merge) parents
  int64_t time_ms = 0;            // milliseconds since the Unix epoch, UTC
  std::string message;
  std::string custom;             // caller's bytes, stored as given
  uint64_t sequence = 0;          // 1 for a first commit, parent's + 1 after
  std::string branch;             // the branch it was made on
  // Parents that were forgotten (Tree::forget): they are no longer in the history. log()
  // continues past them to their kept ancestors.
  std::vector<CommitId> forgotten_parents;
};

struct CommitOptions {
  bool force = false;                     // commit even when nothing changed
  std::vector<CommitId> extra_parents;    // merge parents, recorded after the first
  bool orphan = false;                    // no first parent: start a disjoint line
};

// Which commits log() lists, newest first, following first parents.
struct HistoryFilter {
  enum class Kind { all, single, up_to, range } kind = Kind::all;
  CommitId from;  // single: the commit; up_to: the newest listed; range: the oldest listed
  CommitId to;    // range: the newest listed
  static HistoryFilter all() { return {}; }
  static HistoryFilter single(CommitId id) { return {Kind::single, std::move(id), {}}; }
  // `id` and everything before it.
  static HistoryFilter up_to(CommitId id) { return {Kind::up_to, std::move(id), {}}; }
  // From `newest` back to `oldest`, both included; `oldest` must be an ancestor.
  static HistoryFilter range(CommitId oldest, CommitId newest) {
    return {Kind::range, std::move(oldest), std::move(newest)};
  }
};

}  // namespace infinitree
