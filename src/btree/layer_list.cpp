#include "btree/layer_list.hpp"

#include <algorithm>
#include <msgpack.hpp>

namespace infinitree::btree {

namespace {

// Orders range starts (nullopt = -infinity) and ends (nullopt = +infinity).
bool start_le(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return !a || (b && *a <= *b);
}
bool end_lt(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a && (!b || *a < *b);
}

struct VecWriter {
  Bytes& out;
  void write(const char* p, size_t n) { out.insert(out.end(), p, p + n); }
};

template <class Packer>
void pack_opt_bin(Packer& pk, const std::optional<std::string>& s) {
  if (!s) {
    pk.pack_nil();
    return;
  }
  pk.pack_bin(static_cast<uint32_t>(s->size()));
  pk.pack_bin_body(s->data(), static_cast<uint32_t>(s->size()));
}

template <class Packer>
void pack_opt_ptr(Packer& pk, const std::optional<ChunkPointer>& p) {
  if (!p) {
    pk.pack_nil();
    return;
  }
  uint8_t enc[ChunkPointer::kEncodedSize];
  p->encode_to(enc);
  pk.pack_bin(ChunkPointer::kEncodedSize);
  pk.pack_bin_body(reinterpret_cast<const char*>(enc), ChunkPointer::kEncodedSize);
}

}  // namespace

void add_range(RangeSet& set, const KeyRange& r) {
  if (r.from && r.to && !(*r.from < *r.to)) return;
  KeyRange merged = r;
  RangeSet out;
  out.reserve(set.size() + 1);
  bool placed = false;
  for (const KeyRange& x : set) {
    // x wholly before merged (not touching): x.to < merged.from
    if (x.to && merged.from && *x.to < *merged.from) {
      out.push_back(x);
      continue;
    }
    // x wholly after merged: merged.to < x.from
    if (merged.to && x.from && *merged.to < *x.from) {
      if (!placed) out.push_back(merged), placed = true;
      out.push_back(x);
      continue;
    }
    // Overlapping or touching: widen merged.
    if (!start_le(merged.from, x.from)) merged.from = x.from;
    if (end_lt(merged.to, x.to) || !x.to) merged.to = x.to;
  }
  if (!placed) out.push_back(merged);
  set = std::move(out);
}

const KeyRange* covering(const RangeSet& set, std::string_view k) {
  // The last range starting at or before k.
  auto it = std::upper_bound(set.begin(), set.end(), k, [](std::string_view key, const KeyRange& r) {
    return r.from && key < *r.from;
  });
  if (it == set.begin()) return nullptr;
  --it;
  return it->contains(k) ? &*it : nullptr;
}

void encode_layer_list(const LayerList& l, Bytes& out) {
  out.clear();
  VecWriter w{out};
  msgpack::packer<VecWriter> pk(w);
  pk.pack_array(5);
  pk.pack_uint64(2);
  pack_opt_ptr(pk, l.base);
  pk.pack_uint64(l.base_entries);
  pk.pack_uint64(l.size);
  pk.pack_array(static_cast<uint32_t>(l.deltas.size()));
  for (const DeltaRef& d : l.deltas) {
    pk.pack_array(4);
    pack_opt_ptr(pk, d.root);
    pk.pack_uint64(d.entries);
    pk.pack_array(static_cast<uint32_t>(d.erased.size() * 2));
    for (const KeyRange& r : d.erased) {
      pack_opt_bin(pk, r.from);
      pack_opt_bin(pk, r.to);
    }
    pack_opt_ptr(pk, d.filter);
  }
}

}  // namespace infinitree::btree
