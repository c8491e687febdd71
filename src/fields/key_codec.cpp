#include "infinitree/key_codec.hpp"

#include <cstring>

#include "infinitree/error.hpp"

namespace infinitree::keys {

namespace {
void append_be64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
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

void append_time(std::string& out, int64_t micros) {
  out.push_back(static_cast<char>(kTime));
  // Flipping the sign bit maps int64 order onto unsigned (bytewise) order.
  append_be64(out, static_cast<uint64_t>(micros) ^ (1ull << 63));
}

void append_descending(std::string& out, std::string_view component) {
  Decoded d = decode(component);
  if (d.parts.size() != 1)
    throw Error(Errc::invalid_argument, "a descending key component wraps exactly one component");
  if (d.descending[0])
    throw Error(Errc::invalid_argument, "a descending key component cannot wrap another");
  std::string body;
  if (d.tags[0] == kString || d.tags[0] == kBytes) {
    // Re-escaped with the 0x00 0x01 terminator: the ascending form of "a" is a prefix of
    // the form of "a\0", and inverted that would still sort "a" first.
    body.push_back(static_cast<char>(d.tags[0]));
    for (char c : std::get<std::string>(d.parts[0])) {
      body.push_back(c);
      if (c == '\0') body.push_back('\xff');
    }
    body.push_back('\0');
    body.push_back('\x01');
  } else {
    body.assign(component);
  }
  out.push_back(static_cast<char>(kDescending));
  for (char c : body) out.push_back(static_cast<char>(~static_cast<uint8_t>(c)));
}

void append_string(std::string& out, std::string_view s) { append_escaped(out, kString, s); }
void append_bytes(std::string& out, std::string_view b) { append_escaped(out, kBytes, b); }

namespace {
// Reads bytes from `in`, inverted when the component is a descending one.
struct Reader {
  std::string_view in;
  size_t pos = 0;
  bool inverted = false;
  bool more() const { return pos < in.size(); }
  uint8_t peek() const {
    auto b = static_cast<uint8_t>(in[pos]);
    return inverted ? static_cast<uint8_t>(~b) : b;
  }
  uint8_t take() {
    // Every tag, including a descending wrapper at the very end of a key, reads through
    // here: a key cut short is an error, never a read past its end (found by fuzz_key_codec).
    if (!more()) throw Error(Errc::invalid_argument, "truncated key encoding");
    uint8_t b = peek();
    ++pos;
    return b;
  }
  uint64_t be64() {
    if (pos + 8 > in.size()) throw Error(Errc::invalid_argument, "truncated key encoding");
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | take();
    return v;
  }
};

void decode_one(Reader& r, Decoded& d) {
  auto tag = static_cast<Tag>(r.take());
  d.tags.push_back(tag);
  d.descending.push_back(r.inverted);
  switch (tag) {
    case kNull: d.parts.emplace_back(std::monostate{}); break;
    case kFalse: d.parts.emplace_back(false); break;
    case kTrue: d.parts.emplace_back(true); break;
    case kNegInt: {
      uint64_t raw = r.be64();
      if (!(raw >> 63)) throw Error(Errc::invalid_argument, "bad negative integer in key");
      d.parts.emplace_back(static_cast<int64_t>(raw));
      break;
    }
    case kNonNegInt: {
      uint64_t raw = r.be64();
      if (raw >> 63) d.parts.emplace_back(raw);  // only representable as unsigned
      else d.parts.emplace_back(static_cast<int64_t>(raw));
      break;
    }
    case kDouble: {
      uint64_t bits = r.be64();
      bits = (bits & (1ull << 63)) ? bits & ~(1ull << 63) : ~bits;
      double v;
      std::memcpy(&v, &bits, sizeof v);
      d.parts.emplace_back(v);
      break;
    }
    case kTime: d.parts.emplace_back(static_cast<int64_t>(r.be64() ^ (1ull << 63))); break;
    case kBytes:
    case kString: {
      // Ascending: 0x00 0xFF is a 0x00 byte, 0x00 alone ends. Descending: 0x00 0x01 ends.
      std::string s;
      for (;;) {
        if (!r.more()) throw Error(Errc::invalid_argument, "unterminated string in key");
        uint8_t c = r.take();
        if (c != 0) {
          s.push_back(static_cast<char>(c));
        } else if (r.more() && r.peek() == 0xff) {
          s.push_back('\0');
          r.take();
        } else if (!r.inverted) {
          break;
        } else if (r.more() && r.peek() == 0x01) {
          r.take();
          break;
        } else {
          throw Error(Errc::invalid_argument, "bad string terminator in descending key component");
        }
      }
      d.parts.emplace_back(std::move(s));
      break;
    }
    case kDescending:
      if (r.inverted) throw Error(Errc::invalid_argument, "nested descending key component");
      d.tags.pop_back();
      d.descending.pop_back();
      r.inverted = true;
      decode_one(r, d);
      r.inverted = false;
      break;
    default:
      throw Error(Errc::invalid_argument, "unknown type tag " + std::to_string(tag) + " in key");
  }
}
}  // namespace

Decoded decode(std::string_view in) {
  Decoded d;
  Reader r{in};
  while (r.more()) decode_one(r, d);
  return d;
}

}  // namespace infinitree::keys
