// Credentials and key slots (docs/security.md, "Key slots"; docs/keys.md).
//
// A tree opens with any of its slots' credentials: a user name and password (Argon2id) or a
// raw 256-bit key (from a KMS, a secrets manager, a file). Slots are listed by an id, a label,
// a creation time and a kind, never by anything secret. Every slot change is one atomic,
// version-checked root write: a concurrent writer's change makes it fail with conflict.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/export.hpp"
#include "infinitree/tree.hpp"

namespace infinitree {

enum class KeySlotKind : uint8_t { password = 1, raw_key = 2 };

constexpr size_t kRawKeySize = 32;          // a raw key is exactly 256 bits
constexpr size_t kMaxKeySlots = 16;         // per tree
constexpr size_t kMaxKeySlotLabelSize = 64; // bytes of UTF-8

// What opens a tree. Holds the secret until destroyed (then wiped).
class INFINITREE_EXPORT Credential {
 public:
  // A user name (1 to 255 bytes) and password under Argon2id costs (open with the costs
  // the slot was added with).
  static Credential password(std::string_view username, std::string_view password,
                             const KdfParams& kdf = {});
  // A raw key: exactly kRawKeySize bytes (invalid_argument otherwise). It is not stretched:
  // give it a key from a random source, not a password.
  static Credential raw_key(std::string_view key);

  Credential(const Credential&);
  Credential& operator=(const Credential&);
  ~Credential();

  KeySlotKind kind() const { return kind_; }
  const std::string& username() const { return username_; }
  const std::string& secret() const { return secret_; }  // the password or the raw key
  const KdfParams& kdf() const { return kdf_; }

 private:
  Credential() = default;
  KeySlotKind kind_ = KeySlotKind::password;
  std::string username_;
  std::string secret_;
  KdfParams kdf_;
};

struct KeySlotInfo {
  std::string id;          // 16 hex digits; what remove_key_slot takes
  std::string label;
  int64_t created_ms = 0;  // milliseconds since the Unix epoch, UTC (0: before slots existed)
  KeySlotKind kind = KeySlotKind::password;
  bool current = false;    // the slot this handle was opened with
};

// Tree::create / Tree::open with any kind of credential. Errors as those: already_exists,
// wrong_credentials (also for a removed slot, and for a wrong raw key), locked, not_found.
INFINITREE_EXPORT std::unique_ptr<Tree> create_tree(std::shared_ptr<Backend> backend,
                                                    const Credential& credential,
                                                    const OpenOptions& options = {});
INFINITREE_EXPORT std::unique_ptr<Tree> open_tree(std::shared_ptr<Backend> backend,
                                                  const Credential& credential,
                                                  const OpenOptions& options = {});

// The slots, oldest first. A tree that never had a slot change lists the one credential it
// was created with (label "", time 0, kind as this handle was opened with).
INFINITREE_EXPORT std::vector<KeySlotInfo> key_slots(Tree& tree);

// Adds a slot and returns its id. Needs a writable tree. already_exists if this credential
// already opens this tree or another tree in the store; invalid_argument for a label over
// kMaxKeySlotLabelSize bytes or with a NUL; too_large beyond kMaxKeySlots; conflict if
// another writer changed the tree since it was opened.
INFINITREE_EXPORT std::string add_key_slot(Tree& tree, const Credential& credential,
                                           std::string_view label);

// Removes a slot: from then on its credential no longer opens the tree (wrong_credentials).
// not_found for an unknown id; invalid_argument for the last slot. The handle stays usable
// even if it was opened with the removed slot.
INFINITREE_EXPORT void remove_key_slot(Tree& tree, std::string_view id);

}  // namespace infinitree
