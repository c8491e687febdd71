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

using Buffer = msgpack::sbuffer;
using Packer = msgpack::packer<msgpack::sbuffer>;

// Parses one msgpack value occupying all of `data`. `what` names it in error messages.
msgpack::object_handle parse(ByteView data, const char* what);

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

inline ByteView view(const Buffer& b) {
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
