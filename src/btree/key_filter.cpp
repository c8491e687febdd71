#include "btree/key_filter.hpp"

#include <cstring>
#include <msgpack.hpp>

#include "infinitree/bounded_unpack.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

constexpr uint64_t kFilterTag = 3;
constexpr uint32_t kHashes = 7;
constexpr uint64_t kBitsPerKey = 10;

uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

struct VecWriter {
  Bytes& out;
  void write(const char* p, size_t n) { out.insert(out.end(), p, p + n); }
};

bool reference_all(msgpack::type::object_type, std::size_t, void*) { return true; }

[[noreturn]] void corrupt(const char* what) { throw Error(Errc::corrupt, std::string("b-tree key filter: ") + what); }

}  // namespace

uint64_t KeyFilter::hash(std::string_view key) {
  // 8-byte little-endian words, each mixed into the state; the length goes in first.
  uint64_t h = mix(key.size() ^ 0x9e3779b97f4a7c15ull);
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = mix(h ^ w) + 0x9e3779b97f4a7c15ull;
  }
  uint64_t tail = 0;
  for (size_t j = 0; i < key.size(); ++i, ++j) tail |= uint64_t(static_cast<uint8_t>(key[i])) << (8 * j);
  return mix(h ^ tail ^ 0x632be59bd9b4e019ull);
}

Bytes KeyFilter::build(const std::vector<uint64_t>& hashes) {
  uint64_t words = (hashes.size() * kBitsPerKey + 63) / 64;
  if (words == 0) words = 1;
  std::vector<uint64_t> bits(words, 0);
  uint64_t nbits = words * 64;
  for (uint64_t h : hashes) {
    uint64_t a = h, b = (h >> 33) | (h << 31) | 1;
    for (uint32_t i = 0; i < kHashes; ++i, a += b) bits[(a % nbits) / 64] |= uint64_t{1} << (a % 64);
  }
  Bytes out;
  VecWriter w{out};
  msgpack::packer<VecWriter> pk(w);
  pk.pack_array(3);
  pk.pack_uint64(kFilterTag);
  pk.pack_uint32(kHashes);
  Bytes raw(words * 8);
  for (uint64_t i = 0; i < words; ++i)
    for (int j = 0; j < 8; ++j) raw[i * 8 + j] = static_cast<uint8_t>(bits[i] >> (8 * j));
  pk.pack_bin(static_cast<uint32_t>(raw.size()));
  pk.pack_bin_body(reinterpret_cast<const char*>(raw.data()), static_cast<uint32_t>(raw.size()));
  return out;
}

std::shared_ptr<const KeyFilter> KeyFilter::decode(const Bytes& plaintext) {
  try {
    size_t off = 0;
    UnpackBounds bounds;
    bounds.max_depth = 2;
    bounds.max_container = 8;
    msgpack::object_handle oh = bounded_unpack(reinterpret_cast<const char*>(plaintext.data()), plaintext.size(),
                                               off, bounds, reference_all);
    if (off != plaintext.size()) corrupt("trailing bytes");
    const msgpack::object& o = oh.get();
    if (o.type != msgpack::type::ARRAY || o.via.array.size != 3) corrupt("not a 3-element array");
    const msgpack::object* f = o.via.array.ptr;
    if (f[0].type != msgpack::type::POSITIVE_INTEGER || f[0].via.u64 != kFilterTag) corrupt("wrong node type");
    if (f[1].type != msgpack::type::POSITIVE_INTEGER || f[1].via.u64 < 1 || f[1].via.u64 > 16)
      corrupt("hash count out of range");
    if (f[2].type != msgpack::type::BIN || f[2].via.bin.size == 0 || f[2].via.bin.size % 8)
      corrupt("bits are not whole words");
    auto kf = std::make_shared<KeyFilter>();
    kf->hashes_ = static_cast<uint32_t>(f[1].via.u64);
    kf->bits_.resize(f[2].via.bin.size / 8);
    const auto* p = reinterpret_cast<const uint8_t*>(f[2].via.bin.ptr);
    for (size_t i = 0; i < kf->bits_.size(); ++i)
      for (int j = 0; j < 8; ++j) kf->bits_[i] |= uint64_t(p[i * 8 + j]) << (8 * j);
    return kf;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    corrupt(e.what());
  }
}

bool KeyFilter::may_contain(uint64_t h) const {
  uint64_t nbits = bits_.size() * 64;
  uint64_t a = h, b = (h >> 33) | (h << 31) | 1;
  for (uint32_t i = 0; i < hashes_; ++i, a += b)
    if (!(bits_[(a % nbits) / 64] >> (a % 64) & 1)) return false;
  return true;
}

}  // namespace infinitree::btree
