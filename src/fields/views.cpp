// The single-source views: a map, a prefix of a view, a key range of a view. Each cursor
// wraps the cursor of what it reads and only translates positions, so views nest freely.
#include "infinitree/views.hpp"

#include "infinitree/tuple_space.hpp"

namespace infinitree {

namespace {

[[noreturn]] void not_positioned() {
  throw Error(Errc::not_found, "view cursor is not positioned on an entry");
}

class MapCursor final : public ItemCursor {
 public:
  explicit MapCursor(Cursor c) : c_(std::move(c)) {}
  bool valid() const override { return c_.valid(); }
  std::string key() const override { return c_.key(); }
  std::string value() const override { return c_.value(); }
  void first() override { c_.first(); }
  void last() override { c_.last(); }
  void seek(std::string_view k) override { c_.seek(k); }
  void seek_for_prev(std::string_view k) override { c_.seek_for_prev(k); }
  void next() override { c_.next(); }
  void prev() override { c_.prev(); }

 private:
  Cursor c_;
};

class MapView final : public ItemView {
 public:
  explicit MapView(Map m) : map_(std::move(m)) {}
  std::unique_ptr<ItemCursor> cursor() const override {
    return std::make_unique<MapCursor>(map_.cursor());
  }

 private:
  Map map_;
};

// The keys of a base cursor inside [lo, hi] (each bound closed, open or absent), with
// `strip` removed from the front of every key it shows and put back on every key it is
// given. A range view is this with nothing to strip; a prefix view is the range
// [prefix, prefix_end(prefix)) with the prefix stripped (every key in it starts with it).
class BoundedCursor final : public ItemCursor {
 public:
  BoundedCursor(std::unique_ptr<ItemCursor> base, std::optional<ViewBound> lo,
                std::optional<ViewBound> hi, std::string strip)
      : base_(std::move(base)), lo_(std::move(lo)), hi_(std::move(hi)), strip_(std::move(strip)) {}
  bool valid() const override { return in_; }
  std::string key() const override {
    if (!in_) not_positioned();
    return base_->key().substr(strip_.size());
  }
  std::string value() const override {
    if (!in_) not_positioned();
    return base_->value();
  }
  void first() override {
    if (lo_) {
      base_->seek(lo_->key);
      if (!lo_->inclusive && base_->valid() && base_->key() == lo_->key) base_->next();
    } else {
      base_->first();
    }
    check();
  }
  void last() override {
    if (hi_) {
      base_->seek_for_prev(hi_->key);
      if (!hi_->inclusive && base_->valid() && base_->key() == hi_->key) base_->prev();
    } else {
      base_->last();
    }
    check();
  }
  void seek(std::string_view k) override {
    std::string inner = strip_ + std::string(k);
    if (!above_lo(inner)) return first();
    base_->seek(inner);
    check();
  }
  void seek_for_prev(std::string_view k) override {
    std::string inner = strip_ + std::string(k);
    if (!below_hi(inner)) return last();
    base_->seek_for_prev(inner);
    check();
  }
  void next() override {
    if (!in_) not_positioned();
    base_->next();
    check();
  }
  void prev() override {
    if (!in_) not_positioned();
    base_->prev();
    check();
  }

 private:
  bool above_lo(std::string_view k) const {
    return !lo_ || k > lo_->key || (lo_->inclusive && k == lo_->key);
  }
  bool below_hi(std::string_view k) const {
    return !hi_ || k < hi_->key || (hi_->inclusive && k == hi_->key);
  }
  bool inside(std::string_view k) const { return above_lo(k) && below_hi(k); }
  void check() { in_ = base_->valid() && inside(base_->key()); }
  // Cursors copy what they need from their view, so they may outlive it.
  std::unique_ptr<ItemCursor> base_;
  std::optional<ViewBound> lo_;
  std::optional<ViewBound> hi_;
  std::string strip_;
  bool in_ = false;
};

class BoundedView final : public ItemView {
 public:
  BoundedView(ViewPtr base, std::optional<ViewBound> lo, std::optional<ViewBound> hi,
              std::string strip)
      : base_(std::move(base)), lo_(std::move(lo)), hi_(std::move(hi)), strip_(std::move(strip)) {}
  std::unique_ptr<ItemCursor> cursor() const override {
    auto c = std::make_unique<BoundedCursor>(base_->cursor(), lo_, hi_, strip_);
    c->first();
    return c;
  }

 private:
  ViewPtr base_;
  std::optional<ViewBound> lo_, hi_;
  std::string strip_;
};

void need(const ViewPtr& v, const char* what) {
  if (!v) throw Error(Errc::invalid_argument, std::string(what) + ": null view");
}

}  // namespace

std::optional<std::string> ItemView::get(std::string_view key) const {
  auto c = cursor();
  c->seek(key);
  if (c->valid() && c->key() == key) return c->value();
  return std::nullopt;
}

uint64_t ItemView::count() const {
  uint64_t n = 0;
  for (auto c = cursor(); c->valid(); c->next()) ++n;
  return n;
}

ViewPtr map_view(Map map) { return std::make_shared<MapView>(std::move(map)); }

ViewPtr prefix_view(ViewPtr base, std::string prefix) {
  need(base, "prefix_view");
  // prefix_end is empty when the prefix is empty or all 0xFF: nothing sorts above its keys.
  std::string end = prefix_end(prefix);
  std::optional<ViewBound> hi;
  if (!end.empty()) hi = ViewBound::open(std::move(end));
  auto lo = ViewBound::closed(prefix);
  return std::make_shared<BoundedView>(std::move(base), std::move(lo), std::move(hi),
                                       std::move(prefix));
}

ViewPtr range_view(ViewPtr base, std::optional<ViewBound> lo, std::optional<ViewBound> hi) {
  need(base, "range_view");
  return std::make_shared<BoundedView>(std::move(base), std::move(lo), std::move(hi), std::string());
}

}  // namespace infinitree
