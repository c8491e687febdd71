// ObjectId (declared in include/infinitree/backend.hpp): the name of an object, which every
// backend parses and prints, so it lives with the backends rather than in object.
#include "crypto/random.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "util/bytes.hpp"

namespace infinitree {

ObjectId ObjectId::random() {
  ObjectId id;
  crypto::random_fill(id.bytes.data(), id.bytes.size());
  return id;
}

ObjectId ObjectId::from_hex(std::string_view hex) {
  Bytes raw;
  if (hex.size() != 64 || !hex_decode(hex, raw))
    throw Error(Errc::invalid_argument, "not an object id: '" + std::string(hex) + "'");
  ObjectId id;
  std::copy(raw.begin(), raw.end(), id.bytes.begin());
  return id;
}

std::string ObjectId::hex() const { return hex_encode(bytes); }

}  // namespace infinitree
