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

int64_t now_ms();

}  // namespace infinitree
