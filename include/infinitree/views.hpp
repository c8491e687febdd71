// Views: light, nestable, read-only windows onto ordered key-value data, all with one cursor
// interface. A view reads through to what it was made from (a live map, a checkout's map,
// or other views) at the moment a cursor moves; it copies nothing, except the difference of
// two commits, which is the (changed keys only) result of Tree::diff. See docs/data-model.md.
//
// Thread-safety: a view may be shared by any number of threads; each cursor is used by one
// thread at a time.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/tree.hpp"

namespace infinitree {

// A position in a view. Every move leaves it on an entry (valid()) or past either end.
// key()/value() throw not_found when !valid(); next()/prev() too (there is no "from" then).
class INFINITREE_EXPORT ItemCursor {
 public:
  virtual ~ItemCursor() = default;
  virtual bool valid() const = 0;
  virtual std::string key() const = 0;
  virtual std::string value() const = 0;
  virtual void first() = 0;
  virtual void last() = 0;
  virtual void seek(std::string_view key) = 0;           // first key >= key
  virtual void seek_for_prev(std::string_view key) = 0;  // last key <= key
  virtual void next() = 0;
  virtual void prev() = 0;
};

class INFINITREE_EXPORT ItemView {
 public:
  virtual ~ItemView() = default;
  // A new cursor, positioned on the first entry (or invalid if the view is empty).
  virtual std::unique_ptr<ItemCursor> cursor() const = 0;
  std::optional<std::string> get(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }
  uint64_t count() const;  // walks the view
};

using ViewPtr = std::shared_ptr<const ItemView>;

// A map: the working tree's (live: a cursor sees writes made after it was created) or a
// checkout's (fixed).
INFINITREE_EXPORT ViewPtr map_view(Map map);

// The keys of `base` that start with `prefix`, with the prefix removed from them (seek
// takes keys without it too).
INFINITREE_EXPORT ViewPtr prefix_view(ViewPtr base, std::string prefix);

// A bound of a range view: the key, and whether the key itself is in the range.
struct ViewBound {
  std::string key;
  bool inclusive = true;
  static ViewBound closed(std::string k) { return {std::move(k), true}; }
  static ViewBound open(std::string k) { return {std::move(k), false}; }
};
// The keys of `base` between the bounds (nullopt: unbounded on that side).
INFINITREE_EXPORT ViewPtr range_view(ViewPtr base, std::optional<ViewBound> lo, std::optional<ViewBound> hi);

// The keys in any of the views, in order; a key's value is the one of the first view that
// has it. Merged as the cursor moves (no copy).
INFINITREE_EXPORT ViewPtr union_view(std::vector<ViewPtr> views);
// The keys in every view; values from the first view. Cursors leapfrog with seeks, so the
// cost follows the smaller view and the overlap, not the sum of the sizes.
INFINITREE_EXPORT ViewPtr intersection_view(std::vector<ViewPtr> views);

// The difference of map `field` between commits a and b (refs as Tree::resolve takes
// them): keys added, removed or changed from a to b, as chosen. The value is the key's
// value at b (at a for a removed key). Built on Tree::diff: subtrees both commits share
// are skipped unread; the changed entries are kept in memory.
enum class Change : unsigned { added = 1, removed = 2, changed = 4, any = 7 };
INFINITREE_EXPORT ViewPtr diff_view(const Tree& tree, std::string_view field, std::string_view commit_a,
                  std::string_view commit_b, Change which = Change::any);
inline Change operator|(Change a, Change b) {
  return static_cast<Change>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

}  // namespace infinitree
