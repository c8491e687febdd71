// The in-memory form of one B-tree node, shared by clean (decoded, immutable, cached) and
// dirty (owned and mutated in place by a writer) nodes.
//
// Leaves keep every key and value in one byte arena with a small slot per entry, so an
// insert appends bytes and shifts 16-byte slots instead of allocating strings; a decoded
// leaf's arena is simply the chunk's plaintext (slots point at the msgpack payloads).
// Inner nodes keep separators as strings (short: they are shortened on split) and one
// ChildRef per child with the child's entry count.
#pragma once

#include <cstdint>
#include <cstring>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "object/chunk_pointer.hpp"
#include "util/bytes.hpp"

namespace infinitree::btree {

// Bytewise three-way comparison (like memcmp, then shorter first), inlined: lookups do
// dozens of comparisons of short keys, where a libc call per comparison dominates.
inline int compare_bytes(std::string_view a, std::string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) {
      x = __builtin_bswap64(x);
      y = __builtin_bswap64(y);
      return x < y ? -1 : 1;
    }
  }
  for (; i < n; ++i) {
    uint8_t x = static_cast<uint8_t>(a[i]), y = static_cast<uint8_t>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// The first 8 bytes of a key as a big-endian integer, zero-padded. Comparing prefixes
// orders keys correctly whenever the prefixes differ (a shorter key padded with zeros
// differs from a longer one only where the longer has a non-zero byte, and then the
// shorter is also its prefix), so most comparisons need not touch the key bytes.
inline uint64_t key_prefix(std::string_view k) {
  uint8_t b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  if (!k.empty()) std::memcpy(b, k.data(), k.size() < 8 ? k.size() : 8);
  uint64_t x;
  std::memcpy(&x, b, 8);
  return __builtin_bswap64(x);
}

// What a leaf value's bytes are. The flags live in the top bits of LeafSlot::vinfo and
// travel to disk as msgpack ext types (docs/btree.md), so every walk over a tree (verify,
// stats, prune) knows which values point at chunks without trying to decode them.
//
// Entries of a delta layer (docs/btree.md, "Delta layers") also carry a mark: kNew (the key
// was not visible below this layer when written) or kTomb (an erased key; empty value).
// Marks travel to disk as the leaf's optional marks array. Plain trees have none.
struct LeafSlot {
  static constexpr uint32_t kSpilled = 0x80000000u;  // a spill descriptor (value_spill.hpp)
  static constexpr uint32_t kStream = 0x40000000u;   // a stream ref (stream/stream_ref.hpp)
  static constexpr uint32_t kNew = 0x20000000u;      // delta layers: key new to the layers below
  static constexpr uint32_t kTomb = 0x10000000u;     // delta layers: the key is erased
  static constexpr uint32_t kKindMask = kSpilled | kStream;
  static constexpr uint32_t kMarkMask = kNew | kTomb;
  static constexpr uint32_t kFlagMask = kKindMask | kMarkMask;
  // Inline values must leave the flag bits free; longer ones are always spilled.
  static constexpr uint32_t kMaxInline = ~kFlagMask;
  uint64_t prefix = 0;  // key_prefix(key): binary search reads the arena only on ties
  uint32_t koff = 0;
  uint32_t klen = 0;
  uint32_t voff = 0;
  uint32_t vinfo = 0;  // value length | flags (kSpilled or kStream)
  uint32_t vlen() const { return vinfo & ~kFlagMask; }
  uint32_t flags() const { return vinfo & kFlagMask; }
  uint32_t marks() const { return vinfo & kMarkMask; }
  bool tomb() const { return (vinfo & kTomb) != 0; }
  bool spilled() const { return (vinfo & kSpilled) != 0; }
  bool stream() const { return (vinfo & kStream) != 0; }
};

struct Node;
struct LayerList;
using NodePtr = std::shared_ptr<Node>;
using ConstNodePtr = std::shared_ptr<const Node>;

// A decoded child an immutable (clean) inner node keeps once some reader has loaded it,
// so later lookups walk the upper levels without cache lookups or reference counting.
// Only children that are themselves inner nodes are kept (parents at level >= 2): that
// is at most the inner nodes of a tree (~3% of it) beyond the node cache's budget.
// Copies start empty: a copy is a writer's dirty node, whose children may change.
struct HotChild {
  mutable std::atomic<const Node*> node{nullptr};
  mutable std::shared_ptr<const Node> owner;  // written once, under the parent's hot_mu
  HotChild() = default;
  HotChild(const HotChild&) {}
  HotChild& operator=(const HotChild&) {
    node.store(nullptr, std::memory_order_relaxed);
    owner.reset();
    return *this;
  }
};

struct ChildRef {
  ChunkPointer ptr;    // where the child is stored; stale while `mem` is set
  uint64_t count = 0;  // entries in the child's subtree
  NodePtr mem;         // the writer's dirty copy of the child; never set in clean nodes
  HotChild hot;        // clean nodes only
};

// Members that must not travel with a copy of a node: a copy is a new, dirty node.
struct CleanState {
  bool clean = false;          // immutable from now on (decoded, or flushed and cached)
  mutable std::mutex hot_mu;   // guards setting HotChild::owner
  CleanState() = default;
  CleanState(const CleanState&) {}
  CleanState& operator=(const CleanState&) {
    clean = false;
    return *this;
  }
};

struct Node {
  uint32_t level = 0;  // 0 = leaf; children of a level-L node are at level L-1

  // Leaf.
  std::vector<LeafSlot> slots;
  Bytes arena;
  size_t live_bytes = 0;  // arena bytes referenced by slots

  // Inner: seps[i] separates kids[i] and kids[i+1]:
  //   every key under kids[i] < seps[i] <= every key under kids[i+1].
  std::vector<std::string> seps;
  std::vector<ChildRef> kids;
  size_t sep_bytes = 0;

  CleanState state;

  // Set only for a version's layer-list node (layer_list.hpp), which is never a child:
  // its level is kLayerListLevel, above any real level, so it fails every level check.
  std::shared_ptr<const LayerList> layers;
  static constexpr uint32_t kLayerListLevel = 0xfffffff0u;

  bool leaf() const { return level == 0; }
  size_t fanout() const { return leaf() ? slots.size() : kids.size(); }
  bool empty() const { return fanout() == 0; }

  std::string_view key(size_t i) const {
    const LeafSlot& s = slots[i];
    return {reinterpret_cast<const char*>(arena.data()) + s.koff, s.klen};
  }
  std::string_view value_bytes(size_t i) const {
    const LeafSlot& s = slots[i];
    return {reinterpret_cast<const char*>(arena.data()) + s.voff, s.vlen()};
  }
  bool spilled(size_t i) const { return slots[i].spilled(); }
  bool stream(size_t i) const { return slots[i].stream(); }
  uint32_t value_flags(size_t i) const { return slots[i].flags(); }
  uint32_t marks(size_t i) const { return slots[i].marks(); }
  bool tomb(size_t i) const { return slots[i].tomb(); }

  // Leaf: index of the first key >= k; *found tells whether it equals k.
  size_t lower_bound(std::string_view k, bool* found) const;
  // Inner: index of the child whose range holds k.
  size_t child_for(std::string_view k) const;
  // Inner: number of separators < k (the last child that may hold keys < k).
  size_t child_before(std::string_view k) const;

  uint64_t count() const;
  size_t encoded_estimate() const;
  size_t memory_bytes() const;

  // ---- leaf mutation (dirty nodes only)
  // `flags`: 0, LeafSlot::kSpilled or LeafSlot::kStream.
  void leaf_insert(size_t at, std::string_view k, std::string_view v, uint32_t flags);
  void leaf_set_value(size_t at, std::string_view v, uint32_t flags);
  void leaf_erase(size_t from, size_t to);
  // Rewrites the arena with only the live bytes.
  void leaf_compact();
  // Appends entries [from, to) of `other` (a leaf) at the end of this leaf.
  void leaf_append_from(const Node& other, size_t from, size_t to);

  // ---- inner mutation
  void inner_insert(size_t at, std::string sep_before, ChildRef child);  // at >= 1
  // Removes kids[at] and the separator that bounds it (the left one, or the right one for
  // the first child).
  void inner_remove(size_t at);
  void inner_remove_range(size_t from, size_t to);  // kids [from, to), from >= 1

  // Splits an over-full node: the upper part moves into the returned node and *sep gets
  // the separator between the halves. `hint_append` splits at the very end (sequential
  // inserts then leave full nodes behind).
  NodePtr split(std::string* sep, bool hint_append);
  // Moves every entry of `right` (the next sibling, same level) into this node; `sep` is
  // the parent's separator between them.
  void merge_from(Node& right, const std::string& sep);
};

// The shortest string s with a < s <= b (a < b): the parent's separator between two nodes.
std::string shortest_separator(std::string_view a, std::string_view b);

}  // namespace infinitree::btree
