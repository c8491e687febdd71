#include "util/msgpack_util.hpp"

#include <cstdint>

#include "infinitree/error.hpp"

namespace infinitree::mp {

void corrupt(const char* what, const std::string& detail) {
  throw Error(Errc::corrupt, std::string(what) + " is corrupt: " + detail);
}

msgpack::object_handle parse(ByteView data, const char* what) {
  // No container can hold more elements than there are input bytes.
  size_t n = data.size() + 1;
  msgpack::unpack_limit limit(n, n, n, n, n, 64);
  try {
    std::size_t offset = 0;
    msgpack::object_handle oh = msgpack::unpack(reinterpret_cast<const char*>(data.data()),
                                                data.size(), offset, nullptr, nullptr, limit);
    if (offset != data.size()) corrupt(what, "trailing bytes after the record");
    return oh;
  } catch (const Error&) {
    throw;
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
