// Credentials: what each kind derives (locator and wrapping key), where the state root of a
// tree with key slots lives, and the create/open entry points that take any credential.
#include <cstring>

#include "crypto/kdf.hpp"
#include "crypto/secret.hpp"
#include "infinitree/error.hpp"
#include "infinitree/keys.hpp"
#include "tree/tree_access.hpp"
#include "tree/tree_core.hpp"

namespace infinitree {

namespace detail {

crypto::CredentialKeys derive_keys(const Credential& credential) {
  if (credential.kind() == KeySlotKind::raw_key)
    return crypto::derive_raw_key_credentials(as_bytes(credential.secret()));
  const KdfParams& k = credential.kdf();
  return crypto::derive_credentials(credential.username(), as_bytes(credential.secret()),
                                    {k.memory_kib, k.iterations, k.parallelism});
}

StateKeys state_keys(const crypto::SecretKey& master) {
  StateKeys out;
  crypto::SecretKey id = crypto::hkdf_key(master, "state-root-id");
  std::memcpy(out.id.bytes.data(), id.data(), out.id.bytes.size());
  out.key = crypto::hkdf_key(master, "state-root-key");
  return out;
}

}  // namespace detail

Credential Credential::password(std::string_view username, std::string_view password,
                                const KdfParams& kdf) {
  if (username.empty() || username.size() > 255 || username.find('\0') != std::string_view::npos)
    throw Error(Errc::invalid_argument, "a user name must be 1 to 255 bytes without NUL");
  Credential c;
  c.kind_ = KeySlotKind::password;
  c.username_ = username;
  c.secret_ = password;
  c.kdf_ = kdf;
  return c;
}

Credential Credential::raw_key(std::string_view key) {
  if (key.size() != kRawKeySize)
    throw Error(Errc::invalid_argument, "a raw key must be exactly " + std::to_string(kRawKeySize) +
                                            " bytes (256 bits), not " + std::to_string(key.size()));
  Credential c;
  c.kind_ = KeySlotKind::raw_key;
  c.secret_ = key;
  return c;
}

Credential::Credential(const Credential&) = default;
Credential& Credential::operator=(const Credential& other) {
  if (this != &other) {
    crypto::secure_wipe(secret_.data(), secret_.size());
    kind_ = other.kind_;
    username_ = other.username_;
    secret_ = other.secret_;
    kdf_ = other.kdf_;
  }
  return *this;
}
Credential::~Credential() { crypto::secure_wipe(secret_.data(), secret_.size()); }

std::unique_ptr<Tree> create_tree(std::shared_ptr<Backend> backend, const Credential& credential,
                                  const OpenOptions& options) {
  return detail::TreeAccess::make(detail::TreeCore::create(std::move(backend), credential, options));
}

std::unique_ptr<Tree> open_tree(std::shared_ptr<Backend> backend, const Credential& credential,
                                const OpenOptions& options) {
  return detail::TreeAccess::make(detail::TreeCore::open(std::move(backend), credential, options));
}

}  // namespace infinitree
