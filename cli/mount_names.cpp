#include "mount_names.hpp"

#include <cstdint>
#include <cstdio>
#include <span>
#include <vector>

#include "crypto/hash.hpp"
#include "printable.hpp"

namespace infinitree::cli {

namespace {

// The encoding of key[i...] as one unit (a byte, an escape, or a whole UTF-8 character).
size_t encode_unit(std::string_view key, size_t i, std::string& out) {
  const auto c = static_cast<unsigned char>(key[i]);
  if (c >= 0x20 && c < 0x7f && c != '%' && c != '/') {
    out += static_cast<char>(c);
    return 1;
  }
  uint32_t cp = 0;
  if (c >= 0x80)
    if (size_t len = utf8_sequence(key, i, cp); len != 0 && !hidden_code_point(cp)) {
      out.append(key.substr(i, len));
      return len;
    }
  char buf[4];
  std::snprintf(buf, sizeof buf, "%%%02X", c);
  out += buf;
  return 1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower case is not canonical
}

}  // namespace

std::string encode_name(std::string_view key) {
  if (key.empty()) return "%";
  if (key == ".") return "%2E";
  if (key == "..") return "%2E%2E";
  std::string out;
  out.reserve(key.size());
  std::vector<size_t> boundaries;  // where each unit's encoding ends
  for (size_t i = 0; i < key.size();) {
    i += encode_unit(key, i, out);
    boundaries.push_back(out.size());
  }
  if (out.size() <= kMaxFileName) return out;
  size_t cut = 0;
  for (size_t b : boundaries) {
    if (b > kLongNamePrefix) break;
    cut = b;
  }
  out.resize(cut);
  const auto digest = crypto::sha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  char hex[3];
  out += "%~";
  for (size_t i = 0; i < 8; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    out += hex;
  }
  return out;
}

std::optional<DecodedName> decode_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxFileName) return std::nullopt;
  if (name == "%") return DecodedName{"", false};
  DecodedName d;
  std::string_view body = name;
  if (size_t mark = name.find("%~"); mark != std::string_view::npos) {
    if (name.size() != mark + 2 + 16) return std::nullopt;
    body = name.substr(0, mark);
    d.long_name = true;
  }
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '%') {
      d.key += body[i];
      continue;
    }
    if (i + 2 >= body.size()) return std::nullopt;
    int hi = hex_value(body[i + 1]), lo = hex_value(body[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    d.key += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  // Canonical only: one name per key. A long name's prefix is checked by the caller, which
  // compares encode_name() of each candidate with the whole name.
  if (!d.long_name && encode_name(d.key) != name) return std::nullopt;
  return d;
}

}  // namespace infinitree::cli
