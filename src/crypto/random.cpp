#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <climits>

#include "infinitree/error.hpp"

namespace infinitree::crypto {

void random_fill(uint8_t* out, size_t size) {
  while (size > 0) {
    int step = size > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(size);
    if (RAND_bytes(out, step) != 1) throw Error(Errc::internal, "OpenSSL RAND_bytes failed");
    out += step;
    size -= static_cast<size_t>(step);
  }
}

Bytes random_bytes(size_t size) {
  Bytes out(size);
  random_fill(out.data(), size);
  return out;
}

}  // namespace infinitree::crypto
