// Safe decoding of msgpack records (root, commit, refs): limits sized to the input so
// malformed bytes cannot make the parser allocate without bound, and typed accessors that
// throw Error(corrupt) instead of msgpack's own exceptions.
#pragma once

#include <msgpack.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace infinitree::mp {

// A packing buffer wiped when it is destroyed: records such as the root record carry key
// material. (It grows by realloc, which frees the old block unwiped; the records that hold
// keys stay far below the initial 8 KiB, so they never move.)
class Buffer : public msgpack::sbuffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t initial) : msgpack::sbuffer(initial) {}
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
};
using Packer = msgpack::packer<msgpack::sbuffer>;

// The deepest nesting of any record (a commit: map > fields array > field entry), with room.
constexpr uint32_t kRecordDepth = 4;

// Parses one msgpack value occupying all of `data`. `what` names it in error messages.
// Memory stays proportional to data.size() (infinitree::bounded_unpack); nesting deeper
// than `max_depth` is corrupt. Strings and binaries in the result point into `data`, which
// must outlive the handle.
msgpack::object_handle parse(ByteView data, const char* what, uint32_t max_depth = kRecordDepth);

// Accessors: each throws Error(corrupt, "<what>: ...") if the type is wrong.
class Reader {
 public:
  Reader(const msgpack::object& map, const char* what);  // `map` must be a map
  // nullptr if absent.
  const msgpack::object* find(std::string_view key) const;
  const msgpack::object& at(std::string_view key) const;  // required
  uint64_t u64(std::string_view key) const;
  int64_t i64(std::string_view key) const;
  std::string str(std::string_view key) const;   // str or bin
  std::string bin(std::string_view key) const;   // bin or str
  std::optional<std::string> opt_bin(std::string_view key) const;  // nil or absent -> nullopt
  const char* what() const { return what_; }

 private:
  const msgpack::object& map_;
  const char* what_;
};

[[noreturn]] void corrupt(const char* what, const std::string& detail);
uint64_t as_u64(const msgpack::object& o, const char* what);
std::string as_bytes(const msgpack::object& o, const char* what);  // str or bin

inline ByteView view(const msgpack::sbuffer& b) {
  return {reinterpret_cast<const uint8_t*>(b.data()), b.size()};
}
inline void pack_bin(Packer& pk, std::string_view bytes) {
  pk.pack_bin(static_cast<uint32_t>(bytes.size()));
  pk.pack_bin_body(bytes.data(), static_cast<uint32_t>(bytes.size()));
}
inline void pack_bin(Packer& pk, ByteView bytes) { pack_bin(pk, as_string_view(bytes)); }
inline void pack_str(Packer& pk, std::string_view s) {
  pk.pack_str(static_cast<uint32_t>(s.size()));
  pk.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
}

}  // namespace infinitree::mp
