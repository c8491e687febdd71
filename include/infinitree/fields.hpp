// Fields: the named, versioned collections of a tree, over byte strings. A handle (Map,
// Set, List, Value) comes from TreeView::map() ... (infinitree/tree.hpp) and is cheap to
// copy; every copy refers to the same field. Typed handles over these are in
// infinitree/typed.hpp.
//
// Keys and values are byte strings of at most kMaxKeySize and kMaxValueSize bytes
// (infinitree/limits.hpp); a write beyond them fails with too_large.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/cursor.hpp"
#include "infinitree/limits.hpp"

namespace infinitree {

namespace detail {
class FieldSet;
struct Field;
}  // namespace detail

enum class FieldType : uint8_t { map = 1, set = 2, list = 3, value = 4 };
// "map", "set", "list", "value" ("?" for a value outside the enum).
INFINITREE_EXPORT const char* to_string(FieldType type) noexcept;

struct FieldInfo {
  std::string name;
  FieldType type;
};

// An ordered map from byte-string keys to byte-string values (keys compare bytewise).
class INFINITREE_EXPORT Map {
 public:
  std::optional<std::string> get(std::string_view key) const;
  // get() of each key, as one read: no write to this map lands between two of the lookups.
  // The result is in the order of `keys` (nullopt for an absent key).
  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) const;
  bool contains(std::string_view key) const;
  uint64_t size() const;
  void put(std::string_view key, std::string_view value);
  bool put_if_absent(std::string_view key, std::string_view value);
  // Sets the value to `desired` (nullopt: delete) only if it is `expected` (nullopt: absent).
  bool compare_and_swap(std::string_view key, const std::optional<std::string>& expected,
                        const std::optional<std::string>& desired);
  bool erase(std::string_view key);
  uint64_t erase_range(std::string_view from, std::string_view to);  // [from, to)
  void clear();

  // Cursors over [from, to) (an empty `to` means no upper bound), or over a prefix.
  Cursor cursor(std::string_view from = {}, std::string_view to = {}) const;
  Cursor prefix_cursor(std::string_view prefix) const;
  uint64_t count_range(std::string_view from, std::string_view to) const;
  // Calls fn for each entry in [from, to) in order, without loading the map, until fn
  // returns false.
  void scan(std::string_view from, std::string_view to,
            const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  void scan_prefix(std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) const;

  const std::string& name() const;

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  friend class Set;
  friend class List;
  friend class Value;
  friend class Tree;
  explicit Map(std::shared_ptr<detail::Field> f) : field_(std::move(f)) {}
  std::shared_ptr<detail::Field> field_;
};

// Keys without values.
class INFINITREE_EXPORT Set {
 public:
  bool insert(std::string_view key);  // true if it was not there
  bool contains(std::string_view key) const;
  bool erase(std::string_view key);
  uint64_t size() const;
  Cursor cursor(std::string_view from = {}, std::string_view to = {}) const;
  void scan(std::string_view from, std::string_view to,
            const std::function<bool(std::string_view key)>& fn) const;

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  explicit Set(std::shared_ptr<detail::Field> f) : map_(std::move(f)) {}
  Map map_;
};

// A sequence addressed by position (0-based), stored as a map from big-endian positions.
class INFINITREE_EXPORT List {
 public:
  uint64_t push_back(std::string_view value);  // returns the new element's position
  std::string at(uint64_t index) const;        // throws not_found past the end
  void set(uint64_t index, std::string_view value);
  void pop_back();
  uint64_t size() const;
  void for_each(const std::function<bool(uint64_t index, std::string_view value)>& fn,
                uint64_t from = 0) const;

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  explicit List(std::shared_ptr<detail::Field> f) : map_(std::move(f)) {}
  Map map_;
};

// One value, snapshotted by each commit.
class INFINITREE_EXPORT Value {
 public:
  std::optional<std::string> get() const;
  void set(std::string_view value);
  void reset();

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  explicit Value(std::shared_ptr<detail::Field> f) : map_(std::move(f)) {}
  Map map_;
};

// What a change between two versions of a map looks like (Tree::diff).
struct DiffEntry {
  std::string key;
  std::optional<std::string> old_value;  // nullopt: added
  std::optional<std::string> new_value;  // nullopt: removed
};

}  // namespace infinitree
