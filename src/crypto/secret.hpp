// Fixed-size key material that is wiped (OPENSSL_cleanse) when released.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace infinitree::crypto {

void secure_wipe(void* data, size_t size) noexcept;

constexpr size_t kKeySize = 32;

class SecretKey {
 public:
  SecretKey() { bytes_.fill(0); }
  explicit SecretKey(ByteView material);  // must be exactly kKeySize bytes
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;
  ~SecretKey() { secure_wipe(bytes_.data(), bytes_.size()); }

  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  static constexpr size_t size() { return kKeySize; }
  ByteView view() const { return {bytes_.data(), bytes_.size()}; }
  bool operator==(const SecretKey& o) const;

  static SecretKey random();

 private:
  std::array<uint8_t, kKeySize> bytes_;
};

// A byte vector that wipes itself: for passwords and decrypted key blobs.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView b) : bytes_(b.begin(), b.end()) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  ~SecretBytes() { secure_wipe(bytes_.data(), bytes_.size()); }
  ByteView view() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

 private:
  Bytes bytes_;
};

}  // namespace infinitree::crypto
