// Map: the byte-string map every other field type is built on.
#include "fields/field.hpp"
#include "fields/stream_value.hpp"
#include "infinitree/tuple_space.hpp"  // prefix_end

namespace infinitree {

using detail::FieldReadGuard;
using detail::FieldWriteGuard;

namespace {
// An empty upper bound means "no upper bound" in the public API.
btree::Bound upper(std::string_view to) {
  return to.empty() ? btree::Bound{} : btree::Bound{to};
}
}  // namespace

const std::string& Map::name() const { return field_->name; }

std::optional<std::string> Map::get(std::string_view key) const {
  FieldReadGuard g(*field_);
  return field_->tree->get(key);
}

std::vector<std::optional<std::string>> Map::get_many(const std::vector<std::string>& keys) const {
  FieldReadGuard g(*field_);
  return field_->tree->multi_get(keys);
}

bool Map::contains(std::string_view key) const {
  FieldReadGuard g(*field_);
  return field_->tree->contains(key);
}

uint64_t Map::size() const {
  FieldReadGuard g(*field_);
  return field_->tree->size();
}

void Map::put(std::string_view key, std::string_view value) {
  detail::check_key(key);
  detail::check_value(value);
  FieldWriteGuard g(*field_);
  if (detail::is_stream_ref_value(value))
    field_->tree->put_stream_ref(key, value);
  else
    field_->tree->put(key, value);
  field_->mutations.fetch_add(1);
}

bool Map::put_if_absent(std::string_view key, std::string_view value) {
  detail::check_key(key);
  detail::check_value(value);
  FieldWriteGuard g(*field_);
  bool inserted;
  if (detail::is_stream_ref_value(value)) {
    inserted = !field_->tree->contains(key);
    if (inserted) field_->tree->put_stream_ref(key, value);
  } else {
    inserted = field_->tree->put_if_absent(key, value);
  }
  if (inserted) field_->mutations.fetch_add(1);
  return inserted;
}

bool Map::compare_and_swap(std::string_view key, const std::optional<std::string>& expected,
                           const std::optional<std::string>& desired) {
  detail::check_key(key);
  if (desired) detail::check_value(*desired);
  FieldWriteGuard g(*field_);
  bool swapped;
  if (desired && detail::is_stream_ref_value(*desired)) {
    swapped = field_->tree->get(key) == expected;
    if (swapped) field_->tree->put_stream_ref(key, *desired);
  } else {
    swapped = field_->tree->compare_and_swap(key, expected, desired);
  }
  if (swapped) field_->mutations.fetch_add(1);
  return swapped;
}

bool Map::erase(std::string_view key) {
  FieldWriteGuard g(*field_);
  bool erased = field_->tree->erase(key);
  if (erased) field_->mutations.fetch_add(1);
  return erased;
}

uint64_t Map::erase_range(std::string_view from, std::string_view to) {
  FieldWriteGuard g(*field_);
  uint64_t n = field_->tree->erase_range(from, upper(to));
  if (n) field_->mutations.fetch_add(1);
  return n;
}

void Map::clear() {
  FieldWriteGuard g(*field_);
  // Everything from the empty key up: an empty upper bound means "no bound" here.
  uint64_t n = field_->tree->erase_range(btree::Bound{}, btree::Bound{});
  if (n) field_->mutations.fetch_add(1);
}

uint64_t Map::count_range(std::string_view from, std::string_view to) const {
  FieldReadGuard g(*field_);
  return field_->tree->count_range(from, upper(to));
}

void Map::scan(std::string_view from, std::string_view to,
               const std::function<bool(std::string_view, std::string_view)>& fn) const {
  FieldReadGuard g(*field_);
  detail::ScanScope scope(*field_);
  field_->tree->scan(from, upper(to), fn);
}

void Map::scan_prefix(std::string_view prefix,
                      const std::function<bool(std::string_view, std::string_view)>& fn) const {
  FieldReadGuard g(*field_);
  detail::ScanScope scope(*field_);
  field_->tree->scan_prefix(prefix, fn);
}

Cursor Map::prefix_cursor(std::string_view prefix) const {
  return cursor(prefix, prefix_end(prefix));
}

}  // namespace infinitree
