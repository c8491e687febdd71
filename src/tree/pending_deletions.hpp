// Objects a prune has unlinked from the tree but not yet deleted: deletion waits for a
// grace period so that readers of an older root keep finding their objects. The list is an
// index chunk the root points at (msgpack array of [object id (bin 32), due time ms]).
#pragma once

#include <cstdint>
#include <vector>

#include "infinitree/backend.hpp"
#include "util/bytes.hpp"

namespace infinitree {

struct PendingDeletion {
  ObjectId id;
  int64_t due_ms = 0;  // may be deleted from this time on (ms since the Unix epoch)
};

Bytes encode_pending(const std::vector<PendingDeletion>& list);
std::vector<PendingDeletion> decode_pending(ByteView bytes);  // throws corrupt

// Splits `list` into the ids due at `now` (deleted once a root without them is stored)
// and the entries that must wait.
struct DueSplit {
  std::vector<ObjectId> due;
  std::vector<PendingDeletion> later;
};
DueSplit split_due(const std::vector<PendingDeletion>& list, int64_t now);

int64_t now_ms();

}  // namespace infinitree
