// Key history: the commits in which a key (or any key of a range) of a map changed, with
// the value each of them left, newest first, over the first-parent history (as log()).
// In the spirit of nebari's revision history, done over the tree's commits. See
// docs/data-model.md ("Key history") for what it reads.
#pragma once

#include "infinitree/export.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/tree.hpp"

namespace infinitree {

struct KeyChange {
  CommitInfo commit;                 // the commit that made the change
  std::string key;
  std::optional<std::string> value;  // the value it left; nullopt: it removed the key
};

struct KeyHistoryOptions {
  std::string newest;   // a ref (branch, tag, id, id prefix); empty: the head
  std::string oldest;   // the oldest commit looked at (an ancestor of newest); empty: the root
  size_t limit = 0;     // stop after this many changes; 0: no limit
};

// The changes of one key of map `field`, newest first. A commit whose parent lacked the key
// (or the field) and that has it counts as a change, so does the first commit having it.
INFINITREE_EXPORT std::vector<KeyChange> key_history(const Tree& tree, std::string_view field, std::string_view key,
                                   const KeyHistoryOptions& options = {});

// The changes of every key in [from, to) (an empty `to`: no upper bound), newest commit
// first and by key within a commit.
INFINITREE_EXPORT std::vector<KeyChange> range_history(const Tree& tree, std::string_view field, std::string_view from,
                                     std::string_view to, const KeyHistoryOptions& options = {});

}  // namespace infinitree
