// bulk_load: one pass over sorted input. Leaves fill to the target size and are written
// at once; each written node becomes a child of the open node one level up, which is
// written in turn when full. Only one open node per level is held in memory.
#include <vector>

#include "btree/btree.hpp"
#include "btree/node_codec.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

class Builder {
 public:
  Builder(ChunkStore& store, const BTreeOptions& opt) : store_(store), opt_(opt) {
    leaf_budget_ = static_cast<size_t>(static_cast<double>(opt_.leaf_target()) * fill());
    inner_budget_ = static_cast<size_t>(static_cast<double>(opt_.inner_target()) * fill());
    levels_.push_back(Level{std::make_shared<Node>(), {}, 0});
  }

  void add(const std::string& key, const std::string& value) {
    if (key.size() > kMaxKeySize)
      throw Error(Errc::too_large, "key of " + std::to_string(key.size()) + " bytes is over the limit");
    if (value.size() > opt_.max_value_bytes)
      throw Error(Errc::too_large, "value of " + std::to_string(value.size()) + " bytes is over the limit");
    if (have_prev_ && !(prev_key_ < key))
      throw Error(Errc::invalid_argument, "bulk_load input is not strictly ascending");
    std::string desc;
    std::string_view v = value;
    bool spilled = value.size() > opt_.inline_value_max;
    if (spilled) {
      desc = spill_value(store_, value);
      v = desc;
    }
    Node& leaf = *levels_[0].node;
    if (!leaf.empty() && leaf.encoded_estimate() + key.size() + v.size() + 5 > leaf_budget_) {
      std::string sep = shortest_separator(prev_key_, key);
      finish_node(0);
      levels_[0].sep_before = std::move(sep);
    }
    levels_[0].node->leaf_insert(levels_[0].node->slots.size(), key, v,
                                  spilled ? LeafSlot::kSpilled : 0u);
    prev_key_ = key;
    have_prev_ = true;
  }

  std::optional<ChunkPointer> finish() {
    if (levels_[0].node->empty()) return std::nullopt;
    // Close levels bottom-up; the first level that ends up holding the only node of its
    // level (nothing was ever sent above it) is the root.
    for (size_t l = 0;; ++l) {
      bool top = l + 1 >= levels_.size() || (levels_[l + 1].sent == 0 && levels_[l + 1].node->empty());
      if (top) {
        Node& root = *levels_[l].node;
        // An inner root with a single child collapses onto that child.
        if (!root.leaf() && root.kids.size() == 1) return root.kids[0].ptr;
        return write(root);
      }
      finish_node(l);
    }
  }

 private:
  struct Level {
    NodePtr node;            // the open node of this level
    std::string sep_before;  // separator between the previous node of this level and it
    uint64_t sent = 0;       // nodes of this level written so far
  };

  double fill() const { return opt_.bulk_fill > 0.1 && opt_.bulk_fill <= 1.0 ? opt_.bulk_fill : 1.0; }

  ChunkPointer write(const Node& n) {
    encode_node(n, buf_);
    return store_.write(ChunkKind::index, buf_);
  }

  // Writes the open node of level l and hands it to level l + 1.
  void finish_node(size_t l) {
    ChildRef ref;
    ref.count = levels_[l].node->count();
    ref.ptr = write(*levels_[l].node);
    std::string sep = std::move(levels_[l].sep_before);
    ++levels_[l].sent;
    auto fresh = std::make_shared<Node>();
    fresh->level = static_cast<uint32_t>(l);
    levels_[l].node = std::move(fresh);
    levels_[l].sep_before.clear();
    add_child(l + 1, std::move(sep), std::move(ref));
  }

  void add_child(size_t l, std::string sep, ChildRef ref) {
    if (l >= levels_.size()) {
      if (l > kMaxLevel) throw Error(Errc::too_large, "bulk_load: tree too deep");
      auto n = std::make_shared<Node>();
      n->level = static_cast<uint32_t>(l);
      levels_.push_back(Level{std::move(n), {}, 0});
    }
    Node* n = levels_[l].node.get();
    if (n->empty()) {
      n->kids.push_back(std::move(ref));
      levels_[l].sep_before = std::move(sep);
      return;
    }
    if (n->kids.size() >= 2 && n->encoded_estimate() + 73 + sep.size() > inner_budget_) {
      finish_node(l);
      n = levels_[l].node.get();
      n->kids.push_back(std::move(ref));
      levels_[l].sep_before = std::move(sep);
      return;
    }
    n->inner_insert(n->kids.size(), std::move(sep), std::move(ref));
  }

  ChunkStore& store_;
  const BTreeOptions& opt_;
  size_t leaf_budget_, inner_budget_;
  std::vector<Level> levels_;
  std::string prev_key_;
  bool have_prev_ = false;
  Bytes buf_;
};

}  // namespace

std::optional<ChunkPointer> BTree::bulk_load(const std::shared_ptr<ChunkStore>& store,
                                             const BTreeOptions& options, const BulkSource& next) {
  if (!store) throw Error(Errc::invalid_argument, "bulk_load needs a chunk store");
  Builder b(*store, options);
  std::string key, value;
  while (next(key, value)) b.add(key, value);
  return b.finish();
}

}  // namespace infinitree::btree
