#include "btree/value_spill.hpp"

#include <msgpack.hpp>

#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

struct StringWriter {
  std::string& out;
  void write(const char* p, size_t n) { out.append(p, n); }
};

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(Errc::corrupt, "spilled value: " + what);
}

constexpr size_t kPtr = ChunkPointer::kEncodedSize;
// No real value comes near this; it bounds what a damaged descriptor can make us allocate.
constexpr uint64_t kMaxSpilledSize = uint64_t{1} << 40;

std::vector<ChunkPointer> decode_pointer_list(const char* p, size_t n, ChunkKind kind) {
  std::vector<ChunkPointer> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(ChunkPointer::decode(ByteView(reinterpret_cast<const uint8_t*>(p) + i * kPtr, kPtr)));
    if (out.back().kind != kind) corrupt("pointer of the wrong chunk kind");
  }
  return out;
}

}  // namespace

std::string encode_spill(const SpillDescriptor& d) {
  std::string out;
  StringWriter w{out};
  msgpack::packer<StringWriter> pk(w);
  uint8_t enc[kPtr];
  if (!d.list) {
    pk.pack_array(2);
    pk.pack_uint64(d.size);
    pk.pack_bin(static_cast<uint32_t>(d.pieces.size() * kPtr));
    for (const ChunkPointer& p : d.pieces) {
      p.encode_to(enc);
      pk.pack_bin_body(reinterpret_cast<const char*>(enc), kPtr);
    }
  } else {
    d.list->encode_to(enc);
    pk.pack_array(3);
    pk.pack_uint64(d.size);
    pk.pack_bin(kPtr);
    pk.pack_bin_body(reinterpret_cast<const char*>(enc), kPtr);
    pk.pack_uint64(d.list_count);
  }
  return out;
}

namespace {
Bytes encode_pointer_list(const std::vector<ChunkPointer>& ptrs) {
  Bytes out(ptrs.size() * kPtr);
  for (size_t i = 0; i < ptrs.size(); ++i) ptrs[i].encode_to(out.data() + i * kPtr);
  return out;
}
}  // namespace

std::string spill_value(ChunkStore& store, std::string_view value) {
  size_t piece = std::min(kSpillPieceBytes, ChunkStore::max_chunk_size(ChunkKind::storage));
  SpillDescriptor d;
  d.size = value.size();
  std::vector<ChunkPointer> ptrs;
  for (size_t off = 0; off < value.size(); off += piece) {
    size_t len = std::min(piece, value.size() - off);
    ptrs.push_back(store.write(ChunkKind::storage, as_bytes(value.substr(off, len))));
  }
  if (ptrs.size() <= kDirectPieces) {
    d.pieces = std::move(ptrs);
  } else {
    if (ptrs.size() * kPtr > ChunkStore::max_chunk_size(ChunkKind::index))
      throw Error(Errc::too_large, "value needs more chunk pointers than one chunk holds");
    d.list = store.write(ChunkKind::index, encode_pointer_list(ptrs));
    d.list_count = ptrs.size();
  }
  return encode_spill(d);
}

std::string rewrite_spill(ChunkStore& store, std::string_view descriptor,
                          const std::function<bool(const ChunkPointer&)>& moves,
                          const std::function<ChunkPointer(const ChunkPointer&)>& relocate) {
  SpillDescriptor d = parse_spill(descriptor);
  bool changed = false;
  if (!d.list) {
    for (ChunkPointer& p : d.pieces) {
      ChunkPointer np = relocate(p);
      changed |= !(np == p);
      p = np;
    }
  } else {
    std::vector<ChunkPointer> pieces = spill_pieces(store, d);
    bool list_changed = moves(*d.list);
    for (ChunkPointer& p : pieces) {
      ChunkPointer np = relocate(p);
      list_changed |= !(np == p);
      p = np;
    }
    if (list_changed) {
      d.list = store.write(ChunkKind::index, encode_pointer_list(pieces));
      changed = true;
    }
  }
  return changed ? encode_spill(d) : std::string(descriptor);
}

SpillDescriptor parse_spill(std::string_view descriptor) {
  SpillDescriptor d;
  try {
    size_t off = 0;
    msgpack::unpack_limit limit(4, 0, 0, 1u << 20, 0, 2);
    msgpack::object_handle oh = msgpack::unpack(descriptor.data(), descriptor.size(), off, nullptr,
                                                nullptr, limit);
    if (off != descriptor.size()) corrupt("trailing bytes");
    const msgpack::object& o = oh.get();
    if (o.type != msgpack::type::ARRAY || (o.via.array.size != 2 && o.via.array.size != 3))
      corrupt("descriptor is not an array of 2 or 3");
    const msgpack::object* e = o.via.array.ptr;
    if (e[0].type != msgpack::type::POSITIVE_INTEGER)
      corrupt("size is not an unsigned integer");
    d.size = e[0].via.u64;
    if (d.size > kMaxSpilledSize) corrupt("size out of range");
    if (e[1].type != msgpack::type::BIN) corrupt("pointers are not bin");
    const char* p = e[1].via.bin.ptr;
    size_t len = e[1].via.bin.size;
    if (o.via.array.size == 2) {
      if (len % kPtr != 0 || len / kPtr > kDirectPieces) corrupt("bad direct pointer list");
      d.pieces = decode_pointer_list(p, len / kPtr, ChunkKind::storage);
    } else {
      if (len != kPtr) corrupt("bad list pointer");
      if (e[2].type != msgpack::type::POSITIVE_INTEGER) corrupt("piece count is not an unsigned integer");
      d.list_count = e[2].via.u64;
      if (d.list_count == 0 || d.list_count > ChunkStore::max_chunk_size(ChunkKind::index) / kPtr)
        corrupt("piece count out of range");
      d.list = decode_pointer_list(p, 1, ChunkKind::index)[0];
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& ex) {
    corrupt(std::string("undecodable descriptor: ") + ex.what());
  }
  return d;
}

std::vector<ChunkPointer> spill_pieces(ChunkStore& store, const SpillDescriptor& d) {
  if (!d.list) return d.pieces;
  Bytes list = store.read(*d.list);
  if (list.size() != d.list_count * kPtr) corrupt("pointer list chunk has the wrong size");
  return decode_pointer_list(reinterpret_cast<const char*>(list.data()), d.list_count,
                             ChunkKind::storage);
}

std::string read_spilled(ChunkStore& store, std::string_view descriptor) {
  SpillDescriptor d = parse_spill(descriptor);
  std::vector<ChunkPointer> pieces = spill_pieces(store, d);
  uint64_t total = 0;
  for (const ChunkPointer& p : pieces) total += p.plain_size;
  if (total != d.size) corrupt("pieces do not add up to the recorded size");
  std::string out;
  out.reserve(d.size);
  for (const ChunkPointer& p : pieces) {
    Bytes b = store.read(p);
    if (b.size() != p.plain_size) corrupt("piece has the wrong size");
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
  }
  return out;
}

bool same_spilled_content(ChunkStore& store, std::string_view a, std::string_view b) {
  if (a == b) return true;
  SpillDescriptor da = parse_spill(a), db = parse_spill(b);
  if (da.size != db.size) return false;
  std::vector<ChunkPointer> pa = spill_pieces(store, da), pb = spill_pieces(store, db);
  if (pa.size() != pb.size()) return false;
  for (size_t i = 0; i < pa.size(); ++i)
    if (pa[i].hash != pb[i].hash || pa[i].plain_size != pb[i].plain_size) return false;
  return true;
}

void spill_chunks(ChunkStore& store, std::string_view descriptor,
                  const std::function<void(const ChunkPointer&)>& fn) {
  SpillDescriptor d = parse_spill(descriptor);
  if (d.list) fn(*d.list);
  for (const ChunkPointer& p : spill_pieces(store, d)) fn(p);
}

}  // namespace infinitree::btree
