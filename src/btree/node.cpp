#include "btree/node.hpp"

#include <algorithm>

#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {
// Rough msgpack framing per entry: bin headers for key and value.
constexpr size_t kLeafEntryOverhead = 5;
constexpr size_t kLeafHeader = 12;
// Per child: 62 pointer bytes, an object index, a count, a separator header.
constexpr size_t kInnerChildBytes = 70;
constexpr size_t kInnerHeader = 48;

void check(bool ok, const char* what) {
  if (!ok) throw Error(Errc::internal, std::string("btree node invariant: ") + what);
}
}  // namespace

size_t Node::lower_bound(std::string_view k, bool* found) const {
  const uint64_t kp = key_prefix(k);
  size_t lo = 0, hi = slots.size();
  const char* base = reinterpret_cast<const char*>(arena.data());
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const LeafSlot& s = slots[mid];
    bool less = s.prefix != kp ? s.prefix < kp
                               : compare_bytes(std::string_view(base + s.koff, s.klen), k) < 0;
    if (less)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (found) {
    *found = lo < slots.size() && slots[lo].prefix == kp && slots[lo].klen == k.size() &&
             (k.empty() || std::memcmp(base + slots[lo].koff, k.data(), k.size()) == 0);
  }
  return lo;
}

size_t Node::child_for(std::string_view k) const {
  // upper_bound: separators <= k send k to the right.
  size_t lo = 0, hi = seps.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (compare_bytes(seps[mid], k) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

size_t Node::child_before(std::string_view k) const {
  size_t lo = 0, hi = seps.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (compare_bytes(seps[mid], k) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

uint64_t Node::count() const {
  if (leaf()) return slots.size();
  uint64_t n = 0;
  for (const ChildRef& c : kids) n += c.count;
  return n;
}

size_t Node::encoded_estimate() const {
  if (leaf()) return kLeafHeader + live_bytes + kLeafEntryOverhead * slots.size();
  return kInnerHeader + kInnerChildBytes * kids.size() + sep_bytes + 3 * seps.size();
}

size_t Node::memory_bytes() const {
  size_t n = sizeof(Node) + arena.capacity() + slots.capacity() * sizeof(LeafSlot) +
             kids.capacity() * sizeof(ChildRef) + seps.capacity() * sizeof(std::string);
  for (const std::string& s : seps)
    if (s.capacity() > 15) n += s.capacity() + 1;
  return n;
}

void Node::leaf_insert(size_t at, std::string_view k, std::string_view v, uint32_t flags) {
  if (arena.size() - live_bytes > 1024 && arena.size() - live_bytes > live_bytes) leaf_compact();
  LeafSlot s;
  s.prefix = key_prefix(k);
  s.koff = static_cast<uint32_t>(arena.size());
  s.klen = static_cast<uint32_t>(k.size());
  arena.insert(arena.end(), k.begin(), k.end());
  s.voff = static_cast<uint32_t>(arena.size());
  s.vinfo = static_cast<uint32_t>(v.size()) | flags;
  arena.insert(arena.end(), v.begin(), v.end());
  slots.insert(slots.begin() + static_cast<ptrdiff_t>(at), s);
  live_bytes += k.size() + v.size();
}

void Node::leaf_set_value(size_t at, std::string_view v, uint32_t flags) {
  LeafSlot& s = slots[at];
  size_t old = s.vlen();
  if (v.size() <= old) {
    // Overwrite in place: equal-sized updates (the common case) leave no garbage.
    // (memcpy with a null source is undefined even for 0 bytes: an empty view may be null)
    if (!v.empty()) std::memcpy(arena.data() + s.voff, v.data(), v.size());
  } else {
    if (arena.size() - live_bytes > 1024 && arena.size() - live_bytes > live_bytes) {
      leaf_compact();
      return leaf_set_value(at, v, flags);
    }
    slots[at].voff = static_cast<uint32_t>(arena.size());
    arena.insert(arena.end(), v.begin(), v.end());
  }
  slots[at].vinfo = static_cast<uint32_t>(v.size()) | flags;
  live_bytes = live_bytes - old + v.size();
}

void Node::leaf_erase(size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) live_bytes -= slots[i].klen + slots[i].vlen();
  slots.erase(slots.begin() + static_cast<ptrdiff_t>(from),
              slots.begin() + static_cast<ptrdiff_t>(to));
  if (slots.empty()) {
    arena.clear();
    live_bytes = 0;
  }
}

void Node::leaf_compact() {
  Bytes fresh;
  fresh.reserve(live_bytes + live_bytes / 4 + 64);
  for (LeafSlot& s : slots) {
    uint32_t k = static_cast<uint32_t>(fresh.size());
    fresh.insert(fresh.end(), arena.begin() + s.koff, arena.begin() + s.koff + s.klen);
    uint32_t v = static_cast<uint32_t>(fresh.size());
    fresh.insert(fresh.end(), arena.begin() + s.voff, arena.begin() + s.voff + s.vlen());
    s.koff = k;
    s.voff = v;
  }
  arena.swap(fresh);
}

void Node::leaf_append_from(const Node& other, size_t from, size_t to) {
  size_t bytes = 0;
  for (size_t i = from; i < to; ++i) bytes += other.slots[i].klen + other.slots[i].vlen();
  arena.reserve(arena.size() + bytes);
  slots.reserve(slots.size() + (to - from));
  for (size_t i = from; i < to; ++i) {
    const LeafSlot& o = other.slots[i];
    LeafSlot s;
    s.prefix = o.prefix;
    s.koff = static_cast<uint32_t>(arena.size());
    s.klen = o.klen;
    arena.insert(arena.end(), other.arena.begin() + o.koff, other.arena.begin() + o.koff + o.klen);
    s.voff = static_cast<uint32_t>(arena.size());
    s.vinfo = o.vinfo;
    arena.insert(arena.end(), other.arena.begin() + o.voff,
                 other.arena.begin() + o.voff + o.vlen());
    slots.push_back(s);
  }
  live_bytes += bytes;
}

void Node::inner_insert(size_t at, std::string sep_before, ChildRef child) {
  check(at >= 1 && at <= kids.size(), "inner_insert position");
  sep_bytes += sep_before.size();
  seps.insert(seps.begin() + static_cast<ptrdiff_t>(at - 1), std::move(sep_before));
  kids.insert(kids.begin() + static_cast<ptrdiff_t>(at), std::move(child));
}

void Node::inner_remove(size_t at) {
  check(at < kids.size(), "inner_remove position");
  if (!seps.empty()) {
    size_t s = at == 0 ? 0 : at - 1;
    sep_bytes -= seps[s].size();
    seps.erase(seps.begin() + static_cast<ptrdiff_t>(s));
  }
  kids.erase(kids.begin() + static_cast<ptrdiff_t>(at));
}

void Node::inner_remove_range(size_t from, size_t to) {
  check(from <= to && to <= kids.size(), "inner_remove_range bounds");
  if (from == to) return;
  // Removing kids [from, to) removes the separators left of each, except that for from == 0
  // the separators right of each go instead (the first child has no left separator).
  size_t s_from = from == 0 ? 0 : from - 1;
  size_t s_to = from == 0 ? std::min(to, seps.size()) : to - 1;
  for (size_t i = s_from; i < s_to; ++i) sep_bytes -= seps[i].size();
  seps.erase(seps.begin() + static_cast<ptrdiff_t>(s_from), seps.begin() + static_cast<ptrdiff_t>(s_to));
  kids.erase(kids.begin() + static_cast<ptrdiff_t>(from), kids.begin() + static_cast<ptrdiff_t>(to));
}

NodePtr Node::split(std::string* sep, bool hint_append) {
  auto right = std::make_shared<Node>();
  right->level = level;
  if (leaf()) {
    size_t n = slots.size();
    check(n >= 2, "split of a leaf with fewer than 2 entries");
    size_t cut = n - 1;
    if (!hint_append) {
      size_t total = 0;
      for (const LeafSlot& s : slots) total += s.klen + s.vlen() + kLeafEntryOverhead;
      size_t acc = 0;
      cut = 0;
      while (cut < n && acc < total / 2) {
        acc += slots[cut].klen + slots[cut].vlen() + kLeafEntryOverhead;
        ++cut;
      }
      cut = std::clamp<size_t>(cut, 1, n - 1);
    }
    right->leaf_append_from(*this, cut, n);
    *sep = shortest_separator(key(cut - 1), key(cut));
    leaf_erase(cut, n);
    leaf_compact();
    return right;
  }
  size_t n = kids.size();
  check(n >= 2, "split of an inner node with fewer than 2 children");
  size_t cut = n - 1;
  if (!hint_append) {
    size_t total = 0;
    for (size_t i = 0; i < n; ++i) total += kInnerChildBytes + (i ? seps[i - 1].size() : 0);
    size_t acc = 0;
    cut = 0;
    while (cut < n && acc < total / 2) {
      acc += kInnerChildBytes + (cut ? seps[cut - 1].size() : 0);
      ++cut;
    }
    cut = std::clamp<size_t>(cut, 1, n - 1);
  }
  // kids [cut, n) and seps [cut, n-1) move right; seps[cut-1] goes up.
  right->kids.assign(std::make_move_iterator(kids.begin() + static_cast<ptrdiff_t>(cut)),
                     std::make_move_iterator(kids.end()));
  right->seps.assign(std::make_move_iterator(seps.begin() + static_cast<ptrdiff_t>(cut)),
                     std::make_move_iterator(seps.end()));
  for (const std::string& s : right->seps) right->sep_bytes += s.size();
  *sep = std::move(seps[cut - 1]);
  kids.resize(cut);
  seps.resize(cut - 1);
  sep_bytes = 0;
  for (const std::string& s : seps) sep_bytes += s.size();
  return right;
}

void Node::merge_from(Node& right, const std::string& sep) {
  check(level == right.level, "merge of nodes at different levels");
  if (leaf()) {
    leaf_append_from(right, 0, right.slots.size());
    return;
  }
  seps.push_back(sep);
  sep_bytes += sep.size();
  for (std::string& s : right.seps) {
    sep_bytes += s.size();
    seps.push_back(std::move(s));
  }
  for (ChildRef& c : right.kids) kids.push_back(std::move(c));
  right.seps.clear();
  right.kids.clear();
  right.sep_bytes = 0;
}

std::string shortest_separator(std::string_view a, std::string_view b) {
  size_t p = 0;
  size_t n = std::min(a.size(), b.size());
  while (p < n && a[p] == b[p]) ++p;
  return std::string(b.substr(0, std::min(p + 1, b.size())));
}

}  // namespace infinitree::btree
