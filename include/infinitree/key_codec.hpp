// The order-preserving key encoding of typed maps (docs/format.md, "Key encoding").
// Encoded keys compare bytewise (memcmp) in the same order as the values they encode:
// integers by value, strings and byte strings bytewise, tuples component by component.
// Python and Go use the same encoding through the C ABI (it_key_*).
#pragma once

#include "infinitree/export.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace infinitree::keys {

// Type tags, chosen so that values of different types also sort in a fixed order.
enum Tag : uint8_t {
  kNull = 0x00,
  kBytes = 0x01,
  kString = 0x02,
  kNegInt = 0x13,   // int64 < 0: tag, then the value as big-endian u64 (two's complement)
  kNonNegInt = 0x14,// 0 <= int64, and uint64: tag, then big-endian u64
  kDouble = 0x21,
  kFalse = 0x26,
  kTrue = 0x27,
  kTime = 0x30,      // a point in time: microseconds since 1970-01-01 UTC, int64, sign bit flipped
  // A descending component: this tag, then the component's encoding with every byte
  // inverted (strings end in 0x00 0x01 instead of 0x00 so no encoding is a prefix of
  // another, which inversion needs). Sorts the wrapped values in reverse.
  kDescending = 0x40,
};

INFINITREE_EXPORT void append_null(std::string& out);
INFINITREE_EXPORT void append_bool(std::string& out, bool v);
INFINITREE_EXPORT void append_int(std::string& out, int64_t v);
INFINITREE_EXPORT void append_uint(std::string& out, uint64_t v);
INFINITREE_EXPORT void append_double(std::string& out, double v);
// Byte strings and strings: tag, bytes with every 0x00 written as 0x00 0xFF, then 0x00.
// The terminator sorts a prefix before its extensions, which is what makes tuples work.
INFINITREE_EXPORT void append_string(std::string& out, std::string_view s);
INFINITREE_EXPORT void append_bytes(std::string& out, std::string_view b);
// A UTC time as microseconds since the Unix epoch (negative: before 1970).
INFINITREE_EXPORT void append_time(std::string& out, int64_t micros_since_epoch);
// Appends `component` (exactly one ascending component, as the append_* functions make it)
// in descending order. Throws invalid_argument for anything else (several components, a
// descending one, bytes that do not decode).
INFINITREE_EXPORT void append_descending(std::string& out, std::string_view component);

// One decoded component.
using Component = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string>;
// A time is an int64_t (microseconds) whose tag is kTime.
struct Decoded {
  std::vector<Component> parts;
  std::vector<Tag> tags;  // distinguishes bytes from strings, times from integers, etc.
  std::vector<bool> descending;  // the part was wrapped (its tag is the wrapped type's)
};
// Throws Error(invalid_argument) on bytes that are not a valid encoding.
INFINITREE_EXPORT Decoded decode(std::string_view encoded);

// Encoding of C++ values, used by the typed fields (VersionedMap<K, V>, Set<K>).
inline void append(std::string& out, bool v) { append_bool(out, v); }
inline void append(std::string& out, std::string_view v) { append_string(out, v); }
inline void append(std::string& out, const std::string& v) { append_string(out, v); }
inline void append(std::string& out, const char* v) { append_string(out, v); }
inline void append(std::string& out, double v) { append_double(out, v); }
template <typename T>
  requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
inline void append(std::string& out, T v) {
  if constexpr (std::is_signed_v<T>) append_int(out, static_cast<int64_t>(v));
  else append_uint(out, static_cast<uint64_t>(v));
}
template <typename Duration>
inline void append(std::string& out, std::chrono::sys_time<Duration> t) {
  append_time(out, std::chrono::floor<std::chrono::microseconds>(t).time_since_epoch().count());
}

// A component in descending order: keys::encode(std::tuple{"log", keys::desc(time)}) lists
// the newest entry first.
template <typename T>
struct Desc {
  T value;
};
template <typename T>
Desc<T> desc(T value) {
  return Desc<T>{std::move(value)};
}
template <typename T>
inline void append(std::string& out, const Desc<T>& d) {
  std::string one;
  append(one, d.value);
  append_descending(out, one);
}

template <typename... Ts>
inline void append(std::string& out, const std::tuple<Ts...>& t) {
  std::apply([&](const auto&... parts) { (append(out, parts), ...); }, t);
}
template <typename A, typename B>
inline void append(std::string& out, const std::pair<A, B>& p) {
  append(out, p.first);
  append(out, p.second);
}

template <typename K>
std::string encode(const K& key) {
  std::string out;
  append(out, key);
  return out;
}

}  // namespace infinitree::keys
