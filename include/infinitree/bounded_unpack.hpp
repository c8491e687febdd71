// msgpack decoding whose memory stays proportional to its input.
//
// msgpack-cxx allocates a container's element array as soon as it reads the container's
// header, before any element arrives. Its unpack_limit caps each container on its own, so a
// short input can still declare many large nested containers: inside a 64 KiB record, 60
// nested array32 headers of 60,000 elements each (5 bytes apiece) make unpack() allocate
// ~86 MiB before it notices the input ends. bounded_unpack() first walks the input with
// msgpack's own visitor parser (no allocation) and sums what the containers declare. Every
// declared element needs at least one byte of input, so a total above the input size can
// only be a lie and is refused; so is nesting deeper than `max_depth`. Only then is the
// input unpacked, with per-container limits as well. Allocation is then bounded by about
// 48 bytes per input byte.
#pragma once

#ifndef MSGPACK_NO_BOOST
#define MSGPACK_NO_BOOST
#endif
#include <msgpack.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace infinitree {

struct UnpackBounds {
  uint32_t max_depth = 64;  // containers inside containers
  // Elements (arrays) or key-value pairs (maps) in any one container; the input size
  // bounds it too.
  size_t max_container = std::numeric_limits<uint32_t>::max();
};

namespace bounded_unpack_detail {

class DeclaredSizeVisitor : public msgpack::null_visitor {
 public:
  DeclaredSizeVisitor(size_t budget, const UnpackBounds& bounds) : budget_(budget), bounds_(bounds) {}

  bool start_array(uint32_t n) { return open(n, n); }
  bool end_array() { return close(); }
  bool start_map(uint32_t n) { return open(n, 2 * static_cast<uint64_t>(n)); }
  bool end_map() { return close(); }
  void parse_error(size_t, size_t) { malformed_ = true; }
  void insufficient_bytes(size_t, size_t) { truncated_ = true; }

  // Throws msgpack's own exception types, so callers that already map msgpack errors to
  // their error codes handle these too.
  void raise() const {
    if (too_deep_) throw msgpack::depth_size_overflow("msgpack nesting deeper than allowed");
    if (too_large_)
      throw msgpack::size_overflow("msgpack containers declare more elements than the input holds");
    if (truncated_) throw msgpack::insufficient_bytes("msgpack input ends inside a value");
    throw msgpack::parse_error("malformed msgpack input");
  }

 private:
  bool open(uint32_t n, uint64_t elements) {
    if (++depth_ > bounds_.max_depth) return fail(too_deep_);
    if (n > bounds_.max_container || elements > budget_ - declared_) return fail(too_large_);
    declared_ += elements;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  static bool fail(bool& flag) {
    flag = true;
    return false;
  }

  size_t budget_;
  UnpackBounds bounds_;
  uint64_t declared_ = 0;
  uint32_t depth_ = 0;
  bool too_deep_ = false, too_large_ = false, truncated_ = false, malformed_ = false;
};

}  // namespace bounded_unpack_detail

// Unpacks the msgpack value that starts at data[offset] and advances `offset` past it.
// Throws a msgpack::unpack_error (or std::bad_alloc) on malformed, truncated or oversized
// input; never allocates more than a small multiple of `size`. `reference` is msgpack's
// own: return true to make strings and binaries point into `data` instead of copies.
inline msgpack::object_handle bounded_unpack(const char* data, size_t size, size_t& offset,
                                             const UnpackBounds& bounds = {},
                                             msgpack::unpack_reference_func reference = nullptr) {
  const size_t budget = offset <= size ? size - offset : 0;
  bounded_unpack_detail::DeclaredSizeVisitor visitor(budget, bounds);
  size_t probe = offset;
  if (!msgpack::parse(data, size, probe, visitor)) visitor.raise();
  // The check above makes these limits redundant for memory; they keep msgpack's own
  // parser consistent with it should the two ever disagree.
  const size_t per_container = std::min<size_t>(bounds.max_container, budget);
  const size_t per_string = budget;
  msgpack::unpack_limit limit(per_container, per_container, per_string, per_string, per_string,
                              bounds.max_depth);
  return msgpack::unpack(data, size, offset, reference, nullptr, limit);
}

// The whole of `data` must be exactly one value.
inline msgpack::object_handle bounded_unpack_all(const char* data, size_t size,
                                                 const UnpackBounds& bounds = {}) {
  size_t offset = 0;
  msgpack::object_handle oh = bounded_unpack(data, size, offset, bounds);
  if (offset != size) throw msgpack::parse_error("trailing bytes after the msgpack value");
  return oh;
}

}  // namespace infinitree
