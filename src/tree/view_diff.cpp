// The difference of one map between two commits as a view: Tree::diff's changed entries
// (found by skipping the subtrees both versions share), filtered by kind, in key order.
#include <algorithm>

#include "infinitree/views.hpp"

namespace infinitree {

namespace {

struct Entry {
  std::string key, value;
};

class DiffCursor final : public ItemCursor {
 public:
  explicit DiffCursor(std::shared_ptr<const std::vector<Entry>> e) : e_(std::move(e)) {}
  bool valid() const override { return i_ < e_->size(); }
  std::string key() const override { return at().key; }
  std::string value() const override { return at().value; }
  void first() override { i_ = 0; }
  void last() override { i_ = e_->empty() ? npos : e_->size() - 1; }
  void seek(std::string_view k) override { i_ = lower(k); }
  void seek_for_prev(std::string_view k) override {
    size_t up = std::upper_bound(e_->begin(), e_->end(), k,
                                 [](std::string_view a, const Entry& b) { return a < b.key; }) -
                e_->begin();
    i_ = up == 0 ? npos : up - 1;
  }
  void next() override {
    at();
    ++i_;
  }
  void prev() override {
    at();
    i_ = i_ == 0 ? npos : i_ - 1;
  }

 private:
  static constexpr size_t npos = static_cast<size_t>(-1);
  const Entry& at() const {
    if (i_ >= e_->size()) throw Error(Errc::not_found, "view cursor is not positioned on an entry");
    return (*e_)[i_];
  }
  size_t lower(std::string_view k) const {
    return std::lower_bound(e_->begin(), e_->end(), k,
                            [](const Entry& a, std::string_view b) { return a.key < b; }) -
           e_->begin();
  }
  std::shared_ptr<const std::vector<Entry>> e_;
  size_t i_ = 0;
};

class DiffView final : public ItemView {
 public:
  explicit DiffView(std::shared_ptr<const std::vector<Entry>> e) : e_(std::move(e)) {}
  std::unique_ptr<ItemCursor> cursor() const override { return std::make_unique<DiffCursor>(e_); }

 private:
  std::shared_ptr<const std::vector<Entry>> e_;
};

}  // namespace

ViewPtr diff_view(const Tree& tree, std::string_view field, std::string_view a, std::string_view b,
                  Change which) {
  auto wants = [&](Change c) { return (static_cast<unsigned>(which) & static_cast<unsigned>(c)) != 0; };
  auto entries = std::make_shared<std::vector<Entry>>();
  for (auto& d : tree.diff(field, a, b)) {
    if (!d.old_value) {
      if (wants(Change::added)) entries->push_back({std::move(d.key), std::move(*d.new_value)});
    } else if (!d.new_value) {
      if (wants(Change::removed)) entries->push_back({std::move(d.key), std::move(*d.old_value)});
    } else if (wants(Change::changed)) {
      entries->push_back({std::move(d.key), std::move(*d.new_value)});
    }
  }
  return std::make_shared<DiffView>(std::move(entries));
}

}  // namespace infinitree
