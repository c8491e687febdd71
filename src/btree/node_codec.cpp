#include "btree/node_codec.hpp"

#include <msgpack.hpp>

#include "btree/layer_list.hpp"
#include "btree/options.hpp"
#include "infinitree/bounded_unpack.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

constexpr uint64_t kLeafTag = 0;
constexpr uint64_t kInnerTag = 1;
constexpr uint64_t kLayersTag = 2;
// Per-entry marks of a delta layer's leaf (the optional fourth field).
constexpr uint8_t kMarkNew = 1;
constexpr uint8_t kMarkTomb = 2;
// A subtree count above this cannot come from a real tree (and keeps sums from overflowing).
constexpr uint64_t kMaxCount = uint64_t{1} << 56;

struct VecWriter {
  Bytes& out;
  void write(const char* p, size_t n) { out.insert(out.end(), p, p + n); }
};

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(Errc::corrupt, "b-tree node: " + what);
}

bool reference_all(msgpack::type::object_type, std::size_t, void*) { return true; }

const msgpack::object& at(const msgpack::object& arr, size_t i) { return arr.via.array.ptr[i]; }

void require_array(const msgpack::object& o, const char* what) {
  if (o.type != msgpack::type::ARRAY) corrupt(std::string(what) + " is not an array");
}

uint64_t require_uint(const msgpack::object& o, const char* what) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) corrupt(std::string(what) + " is not an unsigned integer");
  return o.via.u64;
}

// Offset of a referenced payload inside the plaintext buffer (unpack references every
// bin/ext into the buffer, so the arena can be the plaintext itself).
uint32_t offset_in(const Bytes& buf, const char* p, size_t len) {
  const char* base = reinterpret_cast<const char*>(buf.data());
  if (p < base || p + len > base + buf.size()) corrupt("payload outside the chunk");
  return static_cast<uint32_t>(p - base);
}

NodePtr decode_leaf(const msgpack::object& root, Bytes& buf) {
  if (root.via.array.size != 3 && root.via.array.size != 4) corrupt("leaf has a wrong number of fields");
  const msgpack::object& keys = at(root, 1);
  const msgpack::object& vals = at(root, 2);
  require_array(keys, "leaf keys");
  require_array(vals, "leaf values");
  size_t n = keys.via.array.size;
  if (n == 0) corrupt("empty leaf");
  if (vals.via.array.size != n) corrupt("leaf has different numbers of keys and values");
  const char* marks = nullptr;
  if (root.via.array.size == 4) {
    const msgpack::object& m = at(root, 3);
    if (m.type != msgpack::type::BIN || m.via.bin.size != n) corrupt("leaf marks are not n bytes");
    marks = m.via.bin.ptr;
  }
  auto node = std::make_shared<Node>();
  node->level = 0;
  node->slots.resize(n);
  std::string_view prev;
  for (size_t i = 0; i < n; ++i) {
    const msgpack::object& k = at(keys, i);
    if (k.type != msgpack::type::BIN) corrupt("leaf key is not bin");
    if (k.via.bin.size > kMaxKeySize) corrupt("leaf key over the size limit");
    std::string_view key(k.via.bin.ptr, k.via.bin.size);
    if (i > 0 && !(prev < key)) corrupt("leaf keys are not strictly ascending");
    prev = key;
    LeafSlot& s = node->slots[i];
    s.prefix = key_prefix(key);
    s.koff = offset_in(buf, k.via.bin.ptr, k.via.bin.size);
    s.klen = k.via.bin.size;
    const msgpack::object& v = at(vals, i);
    if (v.type == msgpack::type::BIN) {
      if (v.via.bin.size & LeafSlot::kFlagMask)
        corrupt("leaf value too large");
      s.voff = offset_in(buf, v.via.bin.ptr, v.via.bin.size);
      s.vinfo = v.via.bin.size;
    } else if (v.type == msgpack::type::EXT && v.via.ext.type() == kSpillExtType) {
      if (v.via.ext.size & LeafSlot::kFlagMask) corrupt("spill descriptor too large");
      s.voff = offset_in(buf, v.via.ext.data(), v.via.ext.size);
      s.vinfo = v.via.ext.size | LeafSlot::kSpilled;
    } else if (v.type == msgpack::type::EXT && v.via.ext.type() == kStreamExtType) {
      if (v.via.ext.size & LeafSlot::kFlagMask) corrupt("stream ref too large");
      s.voff = offset_in(buf, v.via.ext.data(), v.via.ext.size);
      s.vinfo = v.via.ext.size | LeafSlot::kStream;
    } else {
      corrupt("leaf value is neither bin, a spill descriptor nor a stream ref");
    }
    if (marks) {
      uint8_t m = static_cast<uint8_t>(marks[i]);
      if (m == kMarkNew) {
        s.vinfo |= LeafSlot::kNew;
      } else if (m == kMarkTomb) {
        if (s.vinfo != 0) corrupt("tombstone with a value");
        s.vinfo |= LeafSlot::kTomb;
      } else if (m != 0) {
        corrupt("unknown leaf mark");
      }
    }
    node->live_bytes += s.klen + s.vlen();
  }
  node->arena = std::move(buf);
  return node;
}

NodePtr decode_inner(const msgpack::object& root) {
  if (root.via.array.size != 7) corrupt("inner node has a wrong number of fields");
  uint64_t level = require_uint(at(root, 1), "level");
  if (level < 1 || level > kMaxLevel) corrupt("inner node level out of range");
  const msgpack::object& objects = at(root, 2);
  const msgpack::object& seps = at(root, 3);
  const msgpack::object& ptrs = at(root, 4);
  const msgpack::object& objidx = at(root, 5);
  const msgpack::object& counts = at(root, 6);
  require_array(objects, "object table");
  require_array(seps, "separators");
  require_array(objidx, "object indexes");
  require_array(counts, "counts");
  if (ptrs.type != msgpack::type::BIN) corrupt("child pointers are not bin");
  size_t n = objidx.via.array.size;
  if (n == 0) corrupt("inner node without children");
  if (counts.via.array.size != n || seps.via.array.size != n - 1 ||
      ptrs.via.bin.size != n * kChildPointerBytes)
    corrupt("inner node arrays disagree in length");
  size_t nobj = objects.via.array.size;
  for (size_t j = 0; j < nobj; ++j) {
    const msgpack::object& o = at(objects, j);
    if (o.type != msgpack::type::BIN || o.via.bin.size != 32) corrupt("object id is not 32 bytes");
  }
  auto node = std::make_shared<Node>();
  node->level = static_cast<uint32_t>(level);
  node->seps.reserve(n - 1);
  for (size_t i = 0; i + 1 < n; ++i) {
    const msgpack::object& s = at(seps, i);
    if (s.type != msgpack::type::BIN) corrupt("separator is not bin");
    if (s.via.bin.size > kMaxKeySize) corrupt("separator over the key size limit");
    std::string_view sep(s.via.bin.ptr, s.via.bin.size);
    if (i > 0 && !(std::string_view(node->seps.back()) < sep)) corrupt("separators are not strictly ascending");
    node->seps.emplace_back(sep);
    node->sep_bytes += sep.size();
  }
  node->kids.resize(n);
  uint64_t total = 0;
  uint8_t enc[ChunkPointer::kEncodedSize];
  for (size_t i = 0; i < n; ++i) {
    uint64_t idx = require_uint(at(objidx, i), "object index");
    if (idx >= nobj) corrupt("object index out of range");
    std::memcpy(enc, at(objects, idx).via.bin.ptr, 32);
    std::memcpy(enc + 32, ptrs.via.bin.ptr + i * kChildPointerBytes, kChildPointerBytes);
    ChildRef& c = node->kids[i];
    c.ptr = ChunkPointer::decode(ByteView(enc, sizeof enc));
    if (c.ptr.kind != ChunkKind::index) corrupt("child pointer is not an index chunk");
    c.count = require_uint(at(counts, i), "count");
    if (c.count == 0 || c.count > kMaxCount) corrupt("child count out of range");
    total += c.count;
    if (total > kMaxCount) corrupt("subtree count out of range");
  }
  return node;
}

std::optional<ChunkPointer> opt_pointer(const msgpack::object& o, const char* what) {
  if (o.type == msgpack::type::NIL) return std::nullopt;
  if (o.type != msgpack::type::BIN || o.via.bin.size != ChunkPointer::kEncodedSize)
    corrupt(std::string(what) + " is not a chunk pointer");
  ChunkPointer p = ChunkPointer::decode(ByteView(reinterpret_cast<const uint8_t*>(o.via.bin.ptr), o.via.bin.size));
  if (p.kind != ChunkKind::index) corrupt(std::string(what) + " is not an index chunk");
  return p;
}

std::optional<std::string> opt_key(const msgpack::object& o) {
  if (o.type == msgpack::type::NIL) return std::nullopt;
  if (o.type != msgpack::type::BIN || o.via.bin.size > kMaxKeySize) corrupt("range bound is not a key");
  return std::string(o.via.bin.ptr, o.via.bin.size);
}

NodePtr decode_layers(const msgpack::object& root) {
  if (root.via.array.size != 5) corrupt("layer list has a wrong number of fields");
  auto l = std::make_shared<LayerList>();
  l->base = opt_pointer(at(root, 1), "base");
  l->base_entries = require_uint(at(root, 2), "base entries");
  l->size = require_uint(at(root, 3), "size");
  if (l->base_entries > kMaxCount || l->size > kMaxCount) corrupt("layer counts out of range");
  const msgpack::object& deltas = at(root, 4);
  require_array(deltas, "deltas");
  if (deltas.via.array.size == 0 || deltas.via.array.size > 64) corrupt("layer list has no or too many deltas");
  for (size_t i = 0; i < deltas.via.array.size; ++i) {
    const msgpack::object& d = at(deltas, i);
    require_array(d, "delta");
    if (d.via.array.size != 4) corrupt("delta has a wrong number of fields");
    DeltaRef ref;
    ref.root = opt_pointer(at(d, 0), "delta root");
    ref.entries = require_uint(at(d, 1), "delta entries");
    if (ref.entries > kMaxCount || (ref.entries == 0) != !ref.root) corrupt("delta entries disagree with its root");
    const msgpack::object& r = at(d, 2);
    require_array(r, "erased ranges");
    if (r.via.array.size % 2) corrupt("erased ranges are not pairs");
    for (size_t j = 0; j < r.via.array.size; j += 2) {
      KeyRange kr{opt_key(at(r, j)), opt_key(at(r, j + 1))};
      if (kr.from && kr.to && !(*kr.from < *kr.to)) corrupt("empty erased range");
      // Sorted and disjoint: each range starts after the previous one ends.
      if (!ref.erased.empty() && (!ref.erased.back().to || !kr.from || !(*ref.erased.back().to < *kr.from)))
        corrupt("erased ranges overlap or are out of order");
      ref.erased.push_back(std::move(kr));
    }
    if (!ref.root && ref.erased.empty()) corrupt("empty delta");
    ref.filter = opt_pointer(at(d, 3), "delta key filter");
    if (ref.filter && !ref.root) corrupt("key filter of a delta without entries");
    l->deltas.push_back(std::move(ref));
  }
  auto node = std::make_shared<Node>();
  node->level = Node::kLayerListLevel;
  node->layers = std::move(l);
  return node;
}

}  // namespace

void encode_node(const Node& node, Bytes& out) {
  out.clear();
  VecWriter w{out};
  msgpack::packer<VecWriter> pk(w);
  if (node.leaf()) {
    out.reserve(node.encoded_estimate() + 16);
    size_t n = node.slots.size();
    bool marked = false;
    for (size_t i = 0; i < n && !marked; ++i) marked = node.marks(i) != 0;
    pk.pack_array(marked ? 4 : 3);
    pk.pack_uint64(kLeafTag);
    pk.pack_array(static_cast<uint32_t>(n));
    for (size_t i = 0; i < n; ++i) {
      std::string_view k = node.key(i);
      pk.pack_bin(static_cast<uint32_t>(k.size()));
      pk.pack_bin_body(k.data(), static_cast<uint32_t>(k.size()));
    }
    pk.pack_array(static_cast<uint32_t>(n));
    for (size_t i = 0; i < n; ++i) {
      std::string_view v = node.value_bytes(i);
      if (node.spilled(i) || node.stream(i)) {
        pk.pack_ext(v.size(), node.spilled(i) ? kSpillExtType : kStreamExtType);
        pk.pack_ext_body(v.data(), static_cast<uint32_t>(v.size()));
      } else {
        pk.pack_bin(static_cast<uint32_t>(v.size()));
        pk.pack_bin_body(v.data(), static_cast<uint32_t>(v.size()));
      }
    }
    if (marked) {
      pk.pack_bin(static_cast<uint32_t>(n));
      for (size_t i = 0; i < n; ++i) {
        char m = node.tomb(i) ? char(kMarkTomb) : (node.marks(i) & LeafSlot::kNew) ? char(kMarkNew) : char(0);
        pk.pack_bin_body(&m, 1);
      }
    }
    return;
  }
  size_t n = node.kids.size();
  out.reserve(node.encoded_estimate() + 64);
  // Children written in the same flush share an object: store each object id once.
  std::vector<const ObjectId*> objects;
  std::vector<uint32_t> objidx(n);
  for (size_t i = 0; i < n; ++i) {
    if (node.kids[i].mem) throw Error(Errc::internal, "encoding an inner node with a dirty child");
    const ObjectId& id = node.kids[i].ptr.object;
    size_t j = 0;
    while (j < objects.size() && !(*objects[j] == id)) ++j;
    if (j == objects.size()) objects.push_back(&id);
    objidx[i] = static_cast<uint32_t>(j);
  }
  pk.pack_array(7);
  pk.pack_uint64(kInnerTag);
  pk.pack_uint32(node.level);
  pk.pack_array(static_cast<uint32_t>(objects.size()));
  for (const ObjectId* id : objects) {
    pk.pack_bin(32);
    pk.pack_bin_body(reinterpret_cast<const char*>(id->bytes.data()), 32);
  }
  pk.pack_array(static_cast<uint32_t>(node.seps.size()));
  for (const std::string& s : node.seps) {
    pk.pack_bin(static_cast<uint32_t>(s.size()));
    pk.pack_bin_body(s.data(), static_cast<uint32_t>(s.size()));
  }
  pk.pack_bin(static_cast<uint32_t>(n * kChildPointerBytes));
  uint8_t enc[ChunkPointer::kEncodedSize];
  for (size_t i = 0; i < n; ++i) {
    node.kids[i].ptr.encode_to(enc);
    pk.pack_bin_body(reinterpret_cast<const char*>(enc + 32), kChildPointerBytes);
  }
  pk.pack_array(static_cast<uint32_t>(n));
  for (uint32_t j : objidx) pk.pack_uint32(j);
  pk.pack_array(static_cast<uint32_t>(n));
  for (const ChildRef& c : node.kids) pk.pack_uint64(c.count);
}

NodePtr decode_node(Bytes plaintext) {
  try {
    size_t off = 0;
    // Limits bound what a hostile chunk can make the parser allocate; real nodes are
    // far below them (the whole chunk is at most 4 MiB).
    // bounded_unpack first checks that all containers together declare no more elements
    // than there are input bytes: a small hostile node cannot make the parser allocate
    // far beyond its own size (per-container limits alone allowed ~100 MiB).
    UnpackBounds bounds;
    bounds.max_depth = 4;
    bounds.max_container = 1u << 22;
    msgpack::object_handle oh = bounded_unpack(reinterpret_cast<const char*>(plaintext.data()),
                                               plaintext.size(), off, bounds, reference_all);
    if (off != plaintext.size()) corrupt("trailing bytes after the node");
    const msgpack::object& root = oh.get();
    require_array(root, "node");
    if (root.via.array.size < 1) corrupt("empty node array");
    uint64_t tag = require_uint(at(root, 0), "node type");
    if (tag == kLeafTag) return decode_leaf(root, plaintext);
    if (tag == kInnerTag) return decode_inner(root);
    if (tag == kLayersTag) return decode_layers(root);
    corrupt("unknown node type");
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    corrupt(std::string("undecodable msgpack: ") + e.what());
  }
}

}  // namespace infinitree::btree
