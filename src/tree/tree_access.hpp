// The library's own way into a Tree (its constructor and core are private): for the
// create/open entry points that take any credential and for the key slot calls (keys.hpp).
#pragma once

#include <memory>

#include "infinitree/tree.hpp"
#include "tree/tree_core.hpp"

namespace infinitree::detail {

struct TreeAccess {
  static std::unique_ptr<Tree> make(std::shared_ptr<TreeCore> core) {
    return std::unique_ptr<Tree>(new Tree(std::move(core)));
  }
  static TreeCore& core(Tree& tree) { return *tree.core_; }
};

}  // namespace infinitree::detail
