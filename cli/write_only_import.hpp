// The reader's side of write-only trees in the CLI: what a writer's session holds (for
// `write-only sessions`), and copying one into the owner's tree (`write-only import`).
//
// A session stored by `write-only store` is a folder snapshot like `store` makes: map
// fields F and F.streams (snapshot.hpp) and a commit whose custom bytes carry the
// CommitStats. Import copies every field of the session (copy_fields, which re-writes the
// streams under the owner's keys) and commits once per session, with the writer's
// CommitStats, so the snapshot shows in `snapshots` and `restore` reads it. A snapshot
// field replaces what the owner's field held, as `store` does: the owner's older snapshots
// stay in the history (restore --at). Which sessions were imported is recorded in the map
// kImportedField (a session's first commit id -> the head commit imported), so importing
// the same session again is skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common.hpp"
#include "infinitree/tree.hpp"

namespace infinitree::cli {

inline constexpr const char* kImportedField = "write-only.imported";

struct SessionSummary {
  uint64_t index = 0;
  // "ok"; "empty" (no commit: the writer stopped before committing); "incomplete" (the
  // last commit is a store checkpoint: the writer stopped during a store).
  std::string status;
  uint64_t commits = 0;
  std::optional<CommitInfo> head;
  CommitId first;                    // the session's first commit: its identity
  std::optional<CommitStats> stats;  // of the head, when the CLI wrote it
};

SessionSummary describe_session(const Tree& session, uint64_t index);

struct ImportResult {
  enum Outcome { imported, already_imported, not_importable } outcome = imported;
  SessionSummary summary;
  std::optional<CommitInfo> commit;  // imported: the owner's new commit
};

// Copies session `index` into the owner's working state and commits. Throws (with the
// owner's working state rolled back) when a field's type differs from the owner's, or
// when the session holds kImportedField (corrupt: a writer may not edit that record).
ImportResult import_session(Tree& owner, Tree& session, uint64_t index);

}  // namespace infinitree::cli
