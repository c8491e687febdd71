// Union and intersection of views, merged as the cursor moves. Each child cursor's key is
// cached after every move (a key() call may copy out of a B-tree node under a lock).
#include "infinitree/views.hpp"

namespace infinitree {

namespace {

struct Child {
  std::unique_ptr<ItemCursor> c;
  bool valid = false;
  std::string key;
  void refresh() {
    valid = c->valid();
    if (valid) key = c->key();
  }
};

[[noreturn]] void not_positioned() {
  throw Error(Errc::not_found, "view cursor is not positioned on an entry");
}

std::vector<Child> open_children(const std::vector<ViewPtr>& views) {
  std::vector<Child> out;
  out.reserve(views.size());
  for (const auto& v : views) out.push_back(Child{v->cursor()});
  return out;
}

// Every valid child is at a key >= the current one when moving forward (<= backward); the
// current key is the smallest (largest) of them. A change of direction re-seeks every
// child to the current key first.
class UnionCursor final : public ItemCursor {
 public:
  explicit UnionCursor(std::vector<Child> kids) : kids_(std::move(kids)) {}
  bool valid() const override { return cur_.has_value(); }
  std::string key() const override {
    if (!cur_) not_positioned();
    return *cur_;
  }
  std::string value() const override {
    if (!cur_) not_positioned();
    for (const auto& k : kids_)
      if (k.valid && k.key == *cur_) return k.c->value();
    throw Error(Errc::internal, "union cursor lost its key");
  }
  void first() override { all([](Child& k) { k.c->first(); }, true); }
  void last() override { all([](Child& k) { k.c->last(); }, false); }
  void seek(std::string_view key) override { all([&](Child& k) { k.c->seek(key); }, true); }
  void seek_for_prev(std::string_view key) override {
    all([&](Child& k) { k.c->seek_for_prev(key); }, false);
  }
  void next() override {
    if (!cur_) not_positioned();
    std::string at = *cur_;
    if (!forward_) {
      for (auto& k : kids_) k.c->seek(at), k.refresh();
      forward_ = true;
    }
    for (auto& k : kids_)
      if (k.valid && k.key == at) k.c->next(), k.refresh();
    pick();
  }
  void prev() override {
    if (!cur_) not_positioned();
    std::string at = *cur_;
    if (forward_) {
      for (auto& k : kids_) k.c->seek_for_prev(at), k.refresh();
      forward_ = false;
    }
    for (auto& k : kids_)
      if (k.valid && k.key == at) k.c->prev(), k.refresh();
    pick();
  }

 private:
  template <typename Move>
  void all(Move&& move, bool forward) {
    for (auto& k : kids_) move(k), k.refresh();
    forward_ = forward;
    pick();
  }
  void pick() {
    cur_.reset();
    for (const auto& k : kids_)
      if (k.valid && (!cur_ || (forward_ ? k.key < *cur_ : k.key > *cur_))) cur_ = k.key;
  }
  std::vector<Child> kids_;
  std::optional<std::string> cur_;
  bool forward_ = true;
};

// After every move all children sit on the same key (or the cursor is invalid): a move
// steps the first child, then brings the others to it (a step, then a seek if still behind)
// until they agree (leapfrog).
class IntersectionCursor final : public ItemCursor {
 public:
  explicit IntersectionCursor(std::vector<Child> kids) : kids_(std::move(kids)) {}
  bool valid() const override { return valid_; }
  std::string key() const override {
    if (!valid_) not_positioned();
    return kids_[0].key;
  }
  std::string value() const override {
    if (!valid_) not_positioned();
    return kids_[0].c->value();
  }
  void first() override {
    for (auto& k : kids_) k.c->first(), k.refresh();
    align(true);
  }
  void last() override {
    for (auto& k : kids_) k.c->last(), k.refresh();
    align(false);
  }
  void seek(std::string_view key) override {
    for (auto& k : kids_) k.c->seek(key), k.refresh();
    align(true);
  }
  void seek_for_prev(std::string_view key) override {
    for (auto& k : kids_) k.c->seek_for_prev(key), k.refresh();
    align(false);
  }
  void next() override {
    if (!valid_) not_positioned();
    kids_[0].c->next();
    kids_[0].refresh();
    align(true);
  }
  void prev() override {
    if (!valid_) not_positioned();
    kids_[0].c->prev();
    kids_[0].refresh();
    align(false);
  }

 private:
  void align(bool forward) {
    for (;;) {
      const std::string* target = nullptr;
      for (const auto& k : kids_) {
        if (!k.valid) {
          valid_ = false;
          return;
        }
        if (!target || (forward ? k.key > *target : k.key < *target)) target = &k.key;
      }
      std::string t = *target;
      bool agreed = true;
      for (auto& k : kids_) {
        if (k.key == t) continue;
        agreed = false;
        // One step first: where the views interleave, the target is usually the child's
        // next key, and a step costs less than a seek (which descends from the root).
        forward ? k.c->next() : k.c->prev();
        k.refresh();
        if (k.valid && (forward ? k.key < t : k.key > t)) {
          forward ? k.c->seek(t) : k.c->seek_for_prev(t);
          k.refresh();
        }
      }
      if (agreed) {
        valid_ = true;
        return;
      }
    }
  }
  std::vector<Child> kids_;
  bool valid_ = false;
};

class MergeView final : public ItemView {
 public:
  MergeView(std::vector<ViewPtr> views, bool intersect)
      : views_(std::move(views)), intersect_(intersect) {}
  std::unique_ptr<ItemCursor> cursor() const override {
    std::unique_ptr<ItemCursor> c;
    if (intersect_) c = std::make_unique<IntersectionCursor>(open_children(views_));
    else c = std::make_unique<UnionCursor>(open_children(views_));
    c->first();
    return c;
  }

 private:
  std::vector<ViewPtr> views_;
  bool intersect_;
};

std::vector<ViewPtr> checked(std::vector<ViewPtr> views, const char* what) {
  if (views.empty()) throw Error(Errc::invalid_argument, std::string(what) + " of no views");
  for (const auto& v : views)
    if (!v) throw Error(Errc::invalid_argument, std::string(what) + ": null view");
  return views;
}

}  // namespace

ViewPtr union_view(std::vector<ViewPtr> views) {
  return std::make_shared<MergeView>(checked(std::move(views), "union_view"), false);
}

ViewPtr intersection_view(std::vector<ViewPtr> views) {
  return std::make_shared<MergeView>(checked(std::move(views), "intersection_view"), true);
}

}  // namespace infinitree
