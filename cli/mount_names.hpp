// File names for keys under `infinitree mount` (docs/cli.md, "mount"): a map key, a field,
// branch or tag name is any byte string, a file name is not ('/' and NUL are impossible,
// "." and ".." taken, 255 bytes at most). The encoding is reversible and printable:
//   - printable ASCII but '%' and '/' stays, and so does valid UTF-8 except C1 controls and
//     bidirectional overrides (the characters printable() escapes);
//   - every other byte is %XX (two upper-case hex digits); "." and ".." are %2E and %2E%2E;
//   - the empty key is a lone "%";
//   - a name that would exceed 255 bytes is cut to at most kLongNamePrefix bytes (at an
//     escape or character boundary) and ends in "%~" and 16 hex digits of the SHA-256 of
//     the whole key: unique in practice, and found again by scanning the keys that start
//     with the decoded prefix.
// Each key has exactly one name: a name that decodes but is not the encoding of what it
// decodes to (say %41 for "A") names nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace infinitree::cli {

inline constexpr size_t kMaxFileName = 255;
inline constexpr size_t kLongNamePrefix = 200;

std::string encode_name(std::string_view key);

struct DecodedName {
  std::string key;   // the key, or for a long name the prefix every candidate starts with
  bool long_name = false;  // compare encode_name(candidate) to the name to find the key
};
// nullopt when `name` is no key's name (malformed or not canonical).
std::optional<DecodedName> decode_name(std::string_view name);

}  // namespace infinitree::cli
