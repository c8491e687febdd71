#include "infinitree/key_codec.hpp"

#include <cstring>

#include "infinitree/error.hpp"

namespace infinitree::keys {

namespace {
void append_be64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t read_be64(std::string_view in, size_t& pos) {
  if (pos + 8 > in.size()) throw Error(Errc::invalid_argument, "truncated key encoding");
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[pos + i]);
  pos += 8;
  return v;
}
void append_escaped(std::string& out, Tag tag, std::string_view s) {
  out.push_back(static_cast<char>(tag));
  for (char c : s) {
    out.push_back(c);
    if (c == '\0') out.push_back('\xff');
  }
  out.push_back('\0');
}
}  // namespace

void append_null(std::string& out) { out.push_back(static_cast<char>(kNull)); }
void append_bool(std::string& out, bool v) { out.push_back(static_cast<char>(v ? kTrue : kFalse)); }

void append_int(std::string& out, int64_t v) {
  out.push_back(static_cast<char>(v < 0 ? kNegInt : kNonNegInt));
  // Two's complement big-endian sorts negative values correctly among themselves.
  append_be64(out, static_cast<uint64_t>(v));
}

void append_uint(std::string& out, uint64_t v) {
  out.push_back(static_cast<char>(kNonNegInt));
  append_be64(out, v);
}

void append_double(std::string& out, double v) {
  out.push_back(static_cast<char>(kDouble));
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  // Positive: flip the sign bit; negative: flip every bit. Then bytewise order = numeric.
  bits = (bits & (1ull << 63)) ? ~bits : bits | (1ull << 63);
  append_be64(out, bits);
}

void append_string(std::string& out, std::string_view s) { append_escaped(out, kString, s); }
void append_bytes(std::string& out, std::string_view b) { append_escaped(out, kBytes, b); }

Decoded decode(std::string_view in) {
  Decoded d;
  size_t pos = 0;
  while (pos < in.size()) {
    auto tag = static_cast<Tag>(static_cast<uint8_t>(in[pos++]));
    d.tags.push_back(tag);
    switch (tag) {
      case kNull: d.parts.emplace_back(std::monostate{}); break;
      case kFalse: d.parts.emplace_back(false); break;
      case kTrue: d.parts.emplace_back(true); break;
      case kNegInt: {
        uint64_t raw = read_be64(in, pos);
        if (!(raw >> 63)) throw Error(Errc::invalid_argument, "bad negative integer in key");
        d.parts.emplace_back(static_cast<int64_t>(raw));
        break;
      }
      case kNonNegInt: {
        uint64_t raw = read_be64(in, pos);
        if (raw >> 63) d.parts.emplace_back(raw);  // only representable as unsigned
        else d.parts.emplace_back(static_cast<int64_t>(raw));
        break;
      }
      case kDouble: {
        uint64_t bits = read_be64(in, pos);
        bits = (bits & (1ull << 63)) ? bits & ~(1ull << 63) : ~bits;
        double v;
        std::memcpy(&v, &bits, sizeof v);
        d.parts.emplace_back(v);
        break;
      }
      case kBytes:
      case kString: {
        std::string s;
        for (;;) {
          if (pos >= in.size()) throw Error(Errc::invalid_argument, "unterminated string in key");
          char c = in[pos++];
          if (c != '\0') {
            s.push_back(c);
          } else if (pos < in.size() && in[pos] == '\xff') {
            s.push_back('\0');
            ++pos;
          } else {
            break;
          }
        }
        d.parts.emplace_back(std::move(s));
        break;
      }
      default:
        throw Error(Errc::invalid_argument, "unknown type tag " + std::to_string(tag) + " in key");
    }
  }
  return d;
}

}  // namespace infinitree::keys
