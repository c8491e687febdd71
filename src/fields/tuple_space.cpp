// Whole-subspace operations on tuple-keyed maps: a subspace is the key range
// [prefix, prefix_end(prefix)), so both are one range operation on the B-tree.
#include "infinitree/tuple_space.hpp"

namespace infinitree {

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<uint8_t>(end.back()) != 0xff) {
      end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

uint64_t erase_subspace(Map& map, std::string_view prefix) {
  // An empty end is no upper bound, so the empty prefix erases the whole map.
  return map.erase_range(prefix, prefix_end(prefix));
}

uint64_t count_subspace(const Map& map, std::string_view prefix) {
  return map.count_range(prefix, prefix_end(prefix));
}

}  // namespace infinitree
