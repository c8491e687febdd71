// The root record: the one mutable thing in a store. It lives sealed in the header of the
// root object, whose id and sealing key come from the credentials (Argon2id), and holds
// the random master key plus where the tree's state starts.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "crypto/secret.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

// An object a writer was appending to, as the root records it (the handover of open
// objects, docs/security.md "Nonces"). `clean`: its writer closed cleanly and sealed nothing
// at or beyond `fill`, so the next writer may continue there. A writer claims the entries
// (clean = false) in a root write before appending; one killed before closing leaves them
// unclean, and they are never appended to again.
struct OpenObjectRecord {
  ChunkKind kind = ChunkKind::index;
  ObjectId id;
  uint32_t fill = 0;
  bool clean = false;
};

// At most this many key slots (and as many removed ones awaiting deletion): with labels of
// up to kMaxSlotLabel bytes they fit the 4 KiB root header beside everything else.
constexpr size_t kMaxSlotEntries = 16;
constexpr size_t kMaxSlotLabel = 64;

// One key slot as the state root lists it (docs/format.md, "Key slots"). The locator is the
// name of the slot object; nothing secret is here.
struct SlotEntry {
  std::array<uint8_t, 8> id{};
  ObjectId locator;
  std::string label;
  int64_t created_ms = 0;
  uint8_t kind = 1;  // KeySlotKind: 1 password, 2 raw key
};

struct RootRecord {
  uint32_t format_version = 0;
  crypto::SecretKey master_key;
  uint64_t generation = 0;                 // +1 on every commit and password change
  std::optional<ChunkPointer> commits;     // B-tree: commit id -> commit record pointer
  std::optional<ChunkPointer> refs;        // branches and tags (msgpack chunk)
  std::string current_branch = "main";
  uint8_t compression = 1;                 // Compression used for new chunks
  std::vector<OpenObjectRecord> open_objects;
  std::optional<ChunkPointer> forgotten;   // B-tree: commit id -> forgotten-commit stub
  std::optional<ChunkPointer> pending;     // chunk: objects to delete and when (prune)
  int64_t next_due_ms = 0;                 // earliest deletion time in `pending` (0: none)
  // Version 3 (a tree with key slots) only; packed only then.
  std::vector<SlotEntry> slots;
  std::vector<ObjectId> retired;           // removed slots whose objects may still exist
};

// What a slot object holds: the master key, wrapped under its credential's key.
struct SlotRecord {
  std::array<uint8_t, 8> id{};
  crypto::SecretKey master_key;
};

// What a credential's locator holds: the state itself (a version 1 or 2 root, the
// single-credential layout) or a version 3 slot record.
struct CredentialObject {
  std::optional<RootRecord> root;
  std::optional<SlotRecord> slot;
};

// Builds a whole root object (exactly kObjectSize bytes): the sealed record in the header,
// random bytes everywhere else, so it looks like any other object.
Bytes seal_root_object(const RootRecord& record, const crypto::SecretKey& wrapping_key,
                       const ObjectId& root_id);

// Opens a root object. Throws corrupt if it fails authentication or does not parse,
// unsupported_version for a newer format, object_truncated if it is short.
RootRecord open_root_object(ByteView object, const crypto::SecretKey& wrapping_key,
                            const ObjectId& root_id);

// A slot object: the sealed slot record in the header (same layout and associated data as a
// root object, so a library that knows only version 2 refuses it as unsupported_version),
// random bytes elsewhere.
Bytes seal_slot_object(const SlotRecord& record, const crypto::SecretKey& wrapping_key,
                       const ObjectId& locator);

// Opens the object at a credential's locator, whichever layout it has. Errors as
// open_root_object.
CredentialObject open_credential_object(ByteView object, const crypto::SecretKey& wrapping_key,
                                        const ObjectId& locator);

}  // namespace infinitree
