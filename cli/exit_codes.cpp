#include "exit_codes.hpp"

namespace infinitree::cli {

int exit_code_for(Errc code) noexcept {
  switch (code) {
    case Errc::ok: return kOk;
    case Errc::invalid_argument:
    case Errc::too_large:
    case Errc::read_only: return kUsage;
    case Errc::not_found: return kNotFound;
    case Errc::wrong_credentials: return kCredentials;
    case Errc::object_missing:
    case Errc::object_truncated:
    case Errc::corrupt:
    case Errc::unsupported_version: return kCorrupt;
    case Errc::locked:
    case Errc::conflict: return kLocked;
    case Errc::already_exists: return kExists;
    case Errc::io:
    case Errc::permission_denied:
    case Errc::no_space: return kLocalIo;
    case Errc::network:
    case Errc::remote_auth:
    case Errc::remote: return kRemote;
    case Errc::closed:
    case Errc::out_of_memory:
    case Errc::internal: return kInternal;
  }
  return kInternal;
}

const char* exit_codes_help() noexcept {
  return "Exit codes:\n"
         "  0  success\n"
         "  1  usage: bad command line or argument, writing through --at, value too large,\n"
         "     forget of a branch head or tagged commit\n"
         "  2  not found: key, commit, field, path or store\n"
         "  3  wrong credentials (user, password, or other --kdf costs than at init);\n"
         "     a write key where the read key is needed (write-only sessions/import)\n"
         "  4  corrupt, missing or truncated objects; verify found problems; restore refused\n"
         "     unsafe snapshot entries\n"
         "  5  locked: another writer holds the tree or committed first\n"
         "  6  already exists: init on an existing tree, restore onto a non-empty folder,\n"
         "     write-only keys onto an existing file\n"
         "  7  local I/O, permission or disk-space error; files skipped by store/restore\n"
         "  8  remote store error: network, refused S3 credentials, server error\n"
         "  9  internal error\n"
         "  10 not supported by this build (mount without FUSE)\n";
}

}  // namespace infinitree::cli
