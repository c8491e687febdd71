// Cursor: a position in a map or set (Map::cursor, Set::cursor in infinitree/fields.hpp).
#pragma once

#include "infinitree/export.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace infinitree {

namespace detail {
class CursorImpl;
}  // namespace detail

// A position in a map (or set) between optional bounds. Valid until its map handle's tree
// is closed; if the map changes meanwhile, the cursor continues from its current key.
class INFINITREE_EXPORT Cursor {
 public:
  Cursor();
  ~Cursor();
  Cursor(Cursor&&) noexcept;
  Cursor& operator=(Cursor&&) noexcept;

  bool valid() const;
  std::string key() const;    // throws not_found if !valid()
  std::string value() const;
  void first();               // first key in bounds
  void last();                // last key in bounds
  void seek(std::string_view key);       // first key >= key (within bounds)
  void seek_for_prev(std::string_view key);  // last key <= key (within bounds)
  void next();
  void prev();

 private:
  friend class Map;
  friend class Set;
  explicit Cursor(std::unique_ptr<detail::CursorImpl> impl);
  std::unique_ptr<detail::CursorImpl> impl_;
};

}  // namespace infinitree
