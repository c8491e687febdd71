// The CLI's exit codes: a stable, documented mapping from infinitree::Errc (docs/cli.md and
// `infinitree --help` list them). Scripts rely on these numbers: never renumber.
#pragma once

#include "infinitree/error.hpp"

namespace infinitree::cli {

enum ExitCode : int {
  kOk = 0,
  kUsage = 1,          // bad command line or argument, writing through --at, value too large
  kNotFound = 2,       // key, commit, field, path or store does not exist
  kCredentials = 3,    // wrong user/password, or other KDF costs than at init
  kCorrupt = 4,        // damaged/missing/truncated objects; verify found problems
  kLocked = 5,         // another writer holds the tree, or committed first
  kExists = 6,         // init where a tree exists; restore onto a non-empty folder
  kLocalIo = 7,        // local I/O, permission or space error; files skipped by store/restore
  kRemote = 8,         // S3: network, refused credentials, server error
  kInternal = 9,       // a bug or out of memory
  kUnsupported = 10,   // this build lacks the feature (mount without libfuse3)
};

int exit_code_for(Errc code) noexcept;

// The table printed by `infinitree --help`.
const char* exit_codes_help() noexcept;

}  // namespace infinitree::cli
