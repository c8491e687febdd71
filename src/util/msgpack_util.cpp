#include "util/msgpack_util.hpp"

#include <cstdint>
#include <new>

#include <openssl/crypto.h>

#include "infinitree/bounded_unpack.hpp"

#include "infinitree/error.hpp"

namespace infinitree::mp {

void corrupt(const char* what, const std::string& detail) {
  throw Error(Errc::corrupt, std::string(what) + " is corrupt: " + detail);
}

namespace {
// Strings and binaries stay in the caller's buffer instead of being copied into msgpack's
// zone: a root record's master key would otherwise sit in zone memory that is freed
// without being wiped. The caller keeps `data` alive while it reads the object (and wipes
// it when it held secrets).
bool reference_everything(msgpack::type::object_type, std::size_t, void*) { return true; }
}  // namespace

Buffer::~Buffer() { OPENSSL_cleanse(data(), size()); }

msgpack::object_handle parse(ByteView data, const char* what, uint32_t max_depth) {
  // All containers together declare no more elements than there are input bytes, and
  // records nest only a few levels: see infinitree/bounded_unpack.hpp for why msgpack's
  // per-container limits alone let a 64 KiB record allocate about 86 MiB.
  UnpackBounds bounds;
  bounds.max_depth = max_depth;
  try {
    std::size_t offset = 0;
    msgpack::object_handle oh =
        bounded_unpack(reinterpret_cast<const char*>(data.data()), data.size(), offset, bounds,
                       reference_everything);
    if (offset != data.size()) corrupt(what, "trailing bytes after the record");
    return oh;
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(Errc::out_of_memory, std::string(what) + ": out of memory while decoding");
  } catch (const std::exception& e) {
    corrupt(what, e.what());
  }
}

uint64_t as_u64(const msgpack::object& o, const char* what) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) corrupt(what, "expected an unsigned integer");
  return o.via.u64;
}

std::string as_bytes(const msgpack::object& o, const char* what) {
  if (o.type == msgpack::type::BIN) return std::string(o.via.bin.ptr, o.via.bin.size);
  if (o.type == msgpack::type::STR) return std::string(o.via.str.ptr, o.via.str.size);
  corrupt(what, "expected a byte string");
}

Reader::Reader(const msgpack::object& map, const char* what) : map_(map), what_(what) {
  if (map.type != msgpack::type::MAP) corrupt(what, "expected a map");
}

const msgpack::object* Reader::find(std::string_view key) const {
  for (uint32_t i = 0; i < map_.via.map.size; ++i) {
    const auto& kv = map_.via.map.ptr[i];
    if (kv.key.type == msgpack::type::STR &&
        std::string_view(kv.key.via.str.ptr, kv.key.via.str.size) == key)
      return &kv.val;
  }
  return nullptr;
}

const msgpack::object& Reader::at(std::string_view key) const {
  const msgpack::object* o = find(key);
  if (!o) corrupt(what_, "missing field '" + std::string(key) + "'");
  return *o;
}

uint64_t Reader::u64(std::string_view key) const { return as_u64(at(key), what_); }

int64_t Reader::i64(std::string_view key) const {
  const msgpack::object& o = at(key);
  if (o.type == msgpack::type::POSITIVE_INTEGER) {
    if (o.via.u64 > static_cast<uint64_t>(INT64_MAX)) corrupt(what_, "integer out of range");
    return static_cast<int64_t>(o.via.u64);
  }
  if (o.type == msgpack::type::NEGATIVE_INTEGER) return o.via.i64;
  corrupt(what_, "expected an integer for '" + std::string(key) + "'");
}

std::string Reader::str(std::string_view key) const { return as_bytes(at(key), what_); }
std::string Reader::bin(std::string_view key) const { return as_bytes(at(key), what_); }

std::optional<std::string> Reader::opt_bin(std::string_view key) const {
  const msgpack::object* o = find(key);
  if (!o || o->type == msgpack::type::NIL) return std::nullopt;
  return as_bytes(*o, what_);
}

}  // namespace infinitree::mp
