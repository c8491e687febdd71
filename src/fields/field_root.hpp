// Where one field's B-tree starts in a committed state: what a FieldSet is loaded from and
// what its flush returns. The tree layer stores these in its commit records (and owns that
// encoding); fields knows nothing of commits.
#pragma once

#include <optional>
#include <string>

#include "infinitree/tree.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

struct FieldRoot {
  std::string name;  // without the system prefix
  FieldType type = FieldType::map;
  std::optional<ChunkPointer> root;  // nullopt: empty
};

}  // namespace infinitree
