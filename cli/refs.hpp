// git's ways of naming commits, on top of Tree::resolve (a branch, a tag, HEAD, a full id
// or a unique prefix of 4+ hex digits):
//   REF~N   the N-th first-parent ancestor (REF~ is REF~1), walked as `log` walks, so a
//           forgotten parent is passed over to its kept ancestor;
//   REF^    the first parent; REF^N the N-th parent of a merge (REF^0 is REF itself);
//   suffixes chain: HEAD~2^ is the parent of HEAD's grandparent.
//   A..B    (log, diff) from A (excluded in log, as in git) to B; an empty side is HEAD.
// A branch or tag whose name contains ~ or ^ is found by its whole name first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "infinitree/tree.hpp"

namespace infinitree::cli {

// The full id REF names. Throws not_found (no such commit or ancestor), or UsageError for
// a malformed suffix.
CommitId resolve_ref(const Tree& tree, std::string_view ref);

struct RefRange {
  std::string from, to;  // as written (empty: HEAD)
};
// Splits "A..B"; nullopt when `text` has no "..".
std::optional<RefRange> split_range(std::string_view text);

}  // namespace infinitree::cli
