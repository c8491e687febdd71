// Set, List and Value: thin layers over Map with their own key conventions
// (docs/format.md): a set stores keys with empty values; a list stores its elements
// under 8-byte big-endian positions; a value is the single entry under the empty key.
#include "fields/field.hpp"

namespace infinitree {

bool Set::insert(std::string_view key) { return map_.put_if_absent(key, {}); }
bool Set::contains(std::string_view key) const { return map_.contains(key); }
bool Set::erase(std::string_view key) { return map_.erase(key); }
uint64_t Set::size() const { return map_.size(); }
Cursor Set::cursor(std::string_view from, std::string_view to) const { return map_.cursor(from, to); }
void Set::scan(std::string_view from, std::string_view to,
               const std::function<bool(std::string_view)>& fn) const {
  map_.scan(from, to, [&](std::string_view k, std::string_view) { return fn(k); });
}

namespace {
std::string position_key(uint64_t index) {
  std::string key(8, '\0');
  for (int i = 0; i < 8; ++i) key[i] = static_cast<char>(index >> (8 * (7 - i)));
  return key;
}
uint64_t position_of(std::string_view key) {
  if (key.size() != 8) throw Error(Errc::corrupt, "list holds a key that is not a position");
  uint64_t v = 0;
  for (char c : key) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}
}  // namespace

uint64_t List::push_back(std::string_view value) {
  detail::check_value(value);
  detail::FieldWriteGuard g(*map_.field_);
  auto& tree = *map_.field_->tree;
  uint64_t index = tree.size();
  tree.put(position_key(index), value);
  map_.field_->mutations.fetch_add(1);
  return index;
}

std::string List::at(uint64_t index) const {
  auto v = map_.get(position_key(index));
  if (!v) throw Error(Errc::not_found, "list '" + map_.name() + "' has no element " + std::to_string(index));
  return *v;
}

void List::set(uint64_t index, std::string_view value) {
  detail::check_value(value);
  detail::FieldWriteGuard g(*map_.field_);
  auto& tree = *map_.field_->tree;
  if (index >= tree.size())
    throw Error(Errc::not_found, "list '" + map_.name() + "' has no element " + std::to_string(index));
  tree.put(position_key(index), value);
  map_.field_->mutations.fetch_add(1);
}

void List::pop_back() {
  detail::FieldWriteGuard g(*map_.field_);
  auto& tree = *map_.field_->tree;
  uint64_t n = tree.size();
  if (n == 0) throw Error(Errc::not_found, "list '" + map_.name() + "' is empty");
  tree.erase(position_key(n - 1));
  map_.field_->mutations.fetch_add(1);
}

uint64_t List::size() const { return map_.size(); }

void List::for_each(const std::function<bool(uint64_t, std::string_view)>& fn, uint64_t from) const {
  map_.scan(position_key(from), {}, [&](std::string_view k, std::string_view v) {
    return fn(position_of(k), v);
  });
}

std::optional<std::string> Value::get() const { return map_.get({}); }
void Value::set(std::string_view value) { map_.put({}, value); }
void Value::reset() { map_.erase({}); }

}  // namespace infinitree
