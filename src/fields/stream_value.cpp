#include "fields/stream_value.hpp"

#include <cstring>

#include "infinitree/error.hpp"
#include "stream/stream_ref.hpp"

namespace infinitree::detail {

bool is_stream_ref_value(std::string_view value) {
  // Cheap checks first: most values are not refs and fail on the length or the magic.
  if (value.size() < stream::StreamRef::kHeaderSize || value.size() > stream::StreamRef::kMaxEncodedSize)
    return false;
  if (std::memcmp(value.data(), "ITSR", 4) != 0) return false;
  try {
    stream::StreamRef::decode(as_bytes(value));
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace infinitree::detail
