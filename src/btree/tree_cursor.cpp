#include "btree/tree_cursor.hpp"

#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

TreeCursor::TreeCursor(std::shared_ptr<ChunkStore> store, std::shared_ptr<NodeCache> cache, ConstNodePtr root)
    : store_(std::move(store)), cache_(std::move(cache)), root_(std::move(root)) {}

ConstNodePtr TreeCursor::child(const ConstNodePtr& n, size_t i) const {
  return shared_child(*store_, cache_.get(), n, i);
}

void TreeCursor::require_valid() const {
  if (!valid_) throw Error(Errc::invalid_argument, "cursor is not positioned on an entry");
}

// Pushes the path to the first entry under `n`; the last frame is a leaf (maybe empty
// only for the empty tree's root).
void TreeCursor::descend_first(ConstNodePtr n) {
  while (!n->leaf()) {
    stack_.push_back({n, 0});
    ConstNodePtr c = child(n, 0);
    n = std::move(c);
  }
  stack_.push_back({n, 0});
  valid_ = !n->slots.empty();
  if (!valid_) stack_.clear();
}

void TreeCursor::descend_last(ConstNodePtr n) {
  while (!n->leaf()) {
    size_t i = n->kids.size() - 1;
    stack_.push_back({n, i});
    ConstNodePtr c = child(n, i);
    n = std::move(c);
  }
  valid_ = !n->slots.empty();
  if (valid_)
    stack_.push_back({n, n->slots.size() - 1});
  else
    stack_.clear();
}

void TreeCursor::seek_to_first() {
  stack_.clear();
  valid_ = false;
  if (root_) descend_first(root_);
}

void TreeCursor::seek_to_last() {
  stack_.clear();
  valid_ = false;
  if (root_) descend_last(root_);
}

void TreeCursor::seek(std::string_view key) {
  stack_.clear();
  valid_ = false;
  if (!root_) return;
  ConstNodePtr n = root_;
  while (!n->leaf()) {
    size_t i = n->child_for(key);
    stack_.push_back({n, i});
    ConstNodePtr c = child(n, i);
    n = std::move(c);
  }
  size_t idx = n->lower_bound(key, nullptr);
  stack_.push_back({n, idx});
  valid_ = true;
  if (idx >= n->slots.size()) {
    // Past this leaf's last key: the answer is the first entry of the next leaf.
    stack_.back().idx = n->slots.size() ? n->slots.size() - 1 : 0;
    if (n->slots.empty()) {
      stack_.clear();
      valid_ = false;
      return;
    }
    next();
  }
}

void TreeCursor::next() {
  require_valid();
  Frame& leaf = stack_.back();
  if (++leaf.idx < leaf.node->slots.size()) return;
  stack_.pop_back();
  valid_ = false;  // until the next leaf is loaded (a load may throw)
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    if (f.idx + 1 < f.node->kids.size()) {
      ++f.idx;
      ConstNodePtr c = child(f.node, f.idx);
      descend_first(std::move(c));
      return;
    }
    stack_.pop_back();
  }
  valid_ = false;
}

void TreeCursor::prev() {
  require_valid();
  Frame& leaf = stack_.back();
  if (leaf.idx > 0) {
    --leaf.idx;
    return;
  }
  stack_.pop_back();
  valid_ = false;
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    if (f.idx > 0) {
      --f.idx;
      ConstNodePtr c = child(f.node, f.idx);
      descend_last(std::move(c));
      return;
    }
    stack_.pop_back();
  }
  valid_ = false;
}

std::string_view TreeCursor::key() const {
  require_valid();
  const Frame& f = stack_.back();
  return f.node->key(f.idx);
}

std::string_view TreeCursor::raw_value() const {
  require_valid();
  const Frame& f = stack_.back();
  return f.node->value_bytes(f.idx);
}

bool TreeCursor::value_spilled() const {
  require_valid();
  const Frame& f = stack_.back();
  return f.node->spilled(f.idx);
}

std::string TreeCursor::value() const {
  require_valid();
  const Frame& f = stack_.back();
  if (f.node->spilled(f.idx)) return read_spilled(*store_, f.node->value_bytes(f.idx));
  return std::string(f.node->value_bytes(f.idx));
}

}  // namespace infinitree::btree
