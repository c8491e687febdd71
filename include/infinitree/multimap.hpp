// A multi-map: many values under one key, over a map field. Each (key, value) pair is one
// map key, the tuple (bytes key, bytes value) in the order-preserving encoding
// (docs/format.md), with an empty map value; so a key's values are one subspace, kept in
// bytewise order, and every operation is a B-tree point or range operation. A pair's
// encoding must fit in kMaxKeySize (too_large otherwise). See docs/data-model.md.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/tree.hpp"
#include "infinitree/views.hpp"

namespace infinitree {

class INFINITREE_EXPORT MultiMap {
 public:
  // Over a working tree's map (writable) or a checkout's (read-only: writes throw read_only).
  explicit MultiMap(Map map) : map_(std::move(map)) {}

  // Adds the pair; false if it was already there (a multi-map holds each pair once).
  bool put(std::string_view key, std::string_view value);
  // Every value of `key`, in bytewise order.
  std::vector<std::string> get_all(std::string_view key) const;
  uint64_t count(std::string_view key) const;  // O(log n) nodes
  bool contains(std::string_view key, std::string_view value) const;
  // Removes one pair; false if it was not there.
  bool remove_one(std::string_view key, std::string_view value);
  // Removes every value of `key` (one range erase); returns how many.
  uint64_t remove_all(std::string_view key);
  // The values of `key` as a view (live or of the checkout, like the map) whose keys are
  // the encoded values, in order; value_of() gives the value back.
  ViewPtr values(std::string_view key) const;

  // The stored map key of a pair, and the key prefix of all pairs of `key`.
  static std::string pair_key(std::string_view key, std::string_view value);
  static std::string key_prefix(std::string_view key);
  // The value of a stored pair key or of a values() view key; invalid_argument for
  // anything else.
  static std::string value_of(std::string_view stored);

  Map& map() { return map_; }

 private:
  Map map_;
};

}  // namespace infinitree
