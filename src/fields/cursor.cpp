// Cursors over a live map. Each step runs under the field's read lock. A B-tree cursor
// is kept between steps while the map is unchanged; after any write to the map, the next
// step re-seeks from the current key, so a cursor never touches freed nodes and sees the
// map as it is now.
#include <optional>

#include "fields/field.hpp"

namespace infinitree::detail {

class CursorImpl {
 public:
  CursorImpl(std::shared_ptr<Field> field, std::string lo, std::string hi)
      : field_(std::move(field)), lo_(std::move(lo)), hi_(std::move(hi)) {}

  bool valid() const { return key_.has_value(); }
  const std::string& key() const { require(); return *key_; }
  const std::string& value() const { require(); return value_; }

  void first() { position([&](btree::Cursor& c) { c.seek(lo_); }); }
  void last() {
    position([&](btree::Cursor& c) {
      if (hi_.empty()) c.seek_to_last();
      else { c.seek(hi_); c.valid() ? c.prev() : c.seek_to_last(); }
    });
  }
  void seek(std::string_view key) {
    std::string target(key < std::string_view(lo_) ? std::string_view(lo_) : key);
    position([&](btree::Cursor& c) { c.seek(target); });
  }
  void seek_for_prev(std::string_view key) {
    std::string target(key);
    position([&](btree::Cursor& c) {
      c.seek(target);
      if (!c.valid()) c.seek_to_last();
      else if (c.key() != target) c.prev();
    });
  }
  void next() {
    require();
    std::string from = *key_;
    position([&](btree::Cursor& c) {
      if (!resumed(c, from)) {
        c.seek(from);
        if (c.valid() && c.key() == from) c.next();
        return;
      }
      c.next();
    });
  }
  void prev() {
    require();
    std::string from = *key_;
    position([&](btree::Cursor& c) {
      if (!resumed(c, from)) {
        c.seek(from);
        c.valid() ? c.prev() : c.seek_to_last();
        return;
      }
      c.prev();
    });
  }

 private:
  void require() const {
    if (!key_) throw Error(Errc::not_found, "cursor is not positioned on an entry");
  }
  // True if the kept B-tree cursor is still positioned on `key` of an unchanged map.
  bool resumed(btree::Cursor& c, const std::string& key) {
    return live_ && seen_ == field_->mutations.load() && c.valid() && c.key() == key;
  }
  template <typename Move>
  void position(Move&& move) {
    FieldReadGuard g(*field_);
    uint64_t now = field_->mutations.load();
    if (!live_ || seen_ != now) {
      live_.emplace(field_->tree->cursor());
      seen_ = now;
    }
    move(*live_);
    if (live_->valid() && live_->key() >= std::string_view(lo_) &&
        (hi_.empty() || live_->key() < std::string_view(hi_))) {
      key_ = std::string(live_->key());
      value_ = std::string(live_->value());
    } else {
      key_.reset();
      value_.clear();
    }
  }

  std::shared_ptr<Field> field_;
  std::string lo_, hi_;  // [lo, hi); empty hi: no upper bound
  std::optional<btree::Cursor> live_;
  uint64_t seen_ = 0;
  std::optional<std::string> key_;
  std::string value_;
};

}  // namespace infinitree::detail

namespace infinitree {

Cursor::Cursor() = default;
Cursor::~Cursor() = default;
Cursor::Cursor(Cursor&&) noexcept = default;
Cursor& Cursor::operator=(Cursor&&) noexcept = default;
Cursor::Cursor(std::unique_ptr<detail::CursorImpl> impl) : impl_(std::move(impl)) {}

namespace {
detail::CursorImpl& must(const std::unique_ptr<detail::CursorImpl>& impl) {
  if (!impl) throw Error(Errc::invalid_argument, "cursor is empty (moved from or default)");
  return *impl;
}
}  // namespace

bool Cursor::valid() const { return impl_ && impl_->valid(); }
std::string Cursor::key() const { return must(impl_).key(); }
std::string Cursor::value() const { return must(impl_).value(); }
void Cursor::first() { must(impl_).first(); }
void Cursor::last() { must(impl_).last(); }
void Cursor::seek(std::string_view key) { must(impl_).seek(key); }
void Cursor::seek_for_prev(std::string_view key) { must(impl_).seek_for_prev(key); }
void Cursor::next() { must(impl_).next(); }
void Cursor::prev() { must(impl_).prev(); }

Cursor Map::cursor(std::string_view from, std::string_view to) const {
  Cursor c(std::make_unique<detail::CursorImpl>(field_, std::string(from), std::string(to)));
  c.first();
  return c;
}

}  // namespace infinitree
