// Errors of the C++ core. Every failure is an infinitree::Error carrying a stable code;
// the C ABI maps the codes one to one onto its negative IT_E* constants.
#pragma once

#include "infinitree/export.hpp"

#include <stdexcept>
#include <string>

namespace infinitree {

// Stable codes: never renumber, only append. Values match include/infinitree.h (negated).
enum class Errc : int {
  ok = 0,
  invalid_argument = 1,    // bad parameter from the caller
  not_found = 2,           // key, field, commit or branch does not exist; or the store (S3 bucket)
  object_missing = 3,      // an object the data needs is not in the store
  object_truncated = 4,    // an object is shorter than 4 MiB or a chunk runs past its end
  corrupt = 5,             // authentication tag, hash or decoding failed: tampered or damaged
  io = 6,                  // the operating system reported an I/O error
  permission_denied = 7,   // the operating system refused access
  wrong_credentials = 8,   // no tree opens with this username and password
  already_exists = 9,      // creating something that exists
  locked = 10,             // another writer holds the tree
  too_large = 11,          // key, value or chunk over its documented limit
  closed = 12,             // the handle was closed
  unsupported_version = 13,// format version this library does not know
  out_of_memory = 14,
  network = 15,            // connection failed or timed out after retries
  remote_auth = 16,        // the remote store refused our credentials (HTTP 403)
  conflict = 17,           // another writer committed first (optimistic check failed)
  read_only = 18,          // writing through a read-only view (checkout)
  internal = 19,           // a bug: an invariant did not hold
  remote = 20,             // the remote store answered with an error we cannot retry
  no_space = 21,           // the device or quota is full
};

// The stable, human-readable name of a code ("corrupt", "locked", ...).
INFINITREE_EXPORT const char* errc_name(Errc code) noexcept;

class INFINITREE_EXPORT Error : public std::runtime_error {
 public:
  Error(Errc code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  Errc code() const noexcept { return code_; }

 private:
  Errc code_;
};

// Maps an errno value to the closest code (ENOENT -> object_missing is the caller's job).
INFINITREE_EXPORT Errc errc_from_errno(int err) noexcept;

}  // namespace infinitree
