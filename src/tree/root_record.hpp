// The root record: the one mutable thing in a store. It lives sealed in the header of the
// root object, whose id and sealing key come from the credentials (Argon2id), and holds
// the random master key plus where the tree's state starts.
#pragma once

#include <optional>
#include <string>

#include "crypto/secret.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

struct RootRecord {
  uint32_t format_version = 0;
  crypto::SecretKey master_key;
  uint64_t generation = 0;                 // +1 on every commit and password change
  std::optional<ChunkPointer> commits;     // B-tree: commit id -> commit record pointer
  std::optional<ChunkPointer> refs;        // branches and tags (msgpack chunk)
  std::string current_branch = "main";
  uint8_t compression = 1;                 // Compression used for new chunks
};

// Builds a whole root object (exactly kObjectSize bytes): the sealed record in the header,
// random bytes everywhere else, so it looks like any other object.
Bytes seal_root_object(const RootRecord& record, const crypto::SecretKey& wrapping_key,
                       const ObjectId& root_id);

// Opens a root object. Throws corrupt if it fails authentication or does not parse,
// unsupported_version for a newer format, object_truncated if it is short.
RootRecord open_root_object(ByteView object, const crypto::SecretKey& wrapping_key,
                            const ObjectId& root_id);

}  // namespace infinitree
