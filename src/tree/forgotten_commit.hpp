// What remains of a forgotten commit: a stub in the tree's "forgotten" B-tree (commit id ->
// stub), so that history can be followed past it. It holds no field roots (prune reclaims
// everything the commit alone used) and no message: only its place in the history.
#pragma once

#include <string>
#include <vector>

#include "util/bytes.hpp"

namespace infinitree {

struct ForgottenCommit {
  std::vector<std::string> parents;  // raw ids, first parent first
  uint64_t sequence = 0;
  int64_t time_ms = 0;

  Bytes encode() const;                          // msgpack [parents, sequence, time_ms]
  static ForgottenCommit decode(ByteView bytes);  // throws corrupt
};

}  // namespace infinitree
