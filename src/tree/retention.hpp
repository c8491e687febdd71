// Which commits a RetentionPolicy keeps: a pure function of the commits' times, so it is
// tested on its own (tests/tree/retention_test.cpp) and gives the same answer on every
// machine (buckets are UTC).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "infinitree/space.hpp"

namespace infinitree {

struct RetentionCandidate {
  std::string id;
  int64_t time_ms = 0;
  bool always_keep = false;  // a branch head or a tagged commit
};

// Returns, for each candidate (in the given order), whether the policy keeps it.
// Candidates need not be sorted; ties in time are broken by the given order (earlier
// entries count as newer).
std::vector<bool> apply_retention(const std::vector<RetentionCandidate>& commits,
                                  const RetentionPolicy& policy);

}  // namespace infinitree
