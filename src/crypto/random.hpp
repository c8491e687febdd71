// Random bytes from OpenSSL's CSPRNG (RAND_bytes). Throws Error(internal) if it fails.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace infinitree::crypto {

void random_fill(uint8_t* out, size_t size);
Bytes random_bytes(size_t size);

}  // namespace infinitree::crypto
