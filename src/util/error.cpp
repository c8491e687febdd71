#include "infinitree/error.hpp"

#include <cerrno>

namespace infinitree {

const char* errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::invalid_argument: return "invalid argument";
    case Errc::not_found: return "not found";
    case Errc::object_missing: return "object missing";
    case Errc::object_truncated: return "object truncated";
    case Errc::corrupt: return "corrupt";
    case Errc::io: return "I/O error";
    case Errc::permission_denied: return "permission denied";
    case Errc::wrong_credentials: return "wrong credentials or no tree here";
    case Errc::already_exists: return "already exists";
    case Errc::locked: return "locked";
    case Errc::too_large: return "too large";
    case Errc::closed: return "closed";
    case Errc::unsupported_version: return "unsupported format version";
    case Errc::out_of_memory: return "out of memory";
    case Errc::network: return "network error";
    case Errc::remote_auth: return "remote refused credentials";
    case Errc::conflict: return "conflict";
    case Errc::read_only: return "read only";
    case Errc::internal: return "internal error";
    case Errc::remote: return "remote error";
    case Errc::no_space: return "no space";
  }
  return "unknown error";
}

Errc errc_from_errno(int err) noexcept {
  switch (err) {
    case EACCES:
    case EPERM:
    case EROFS: return Errc::permission_denied;
    case ENOENT: return Errc::not_found;
    case ENOSPC:
    case EDQUOT: return Errc::no_space;
    case ENOMEM: return Errc::out_of_memory;
    case EEXIST: return Errc::already_exists;
    default: return Errc::io;
  }
}

}  // namespace infinitree
