// `infinitree mount` over libfuse3 (high-level API): serves a MountFs at a mount point until
// it is unmounted (fusermount3 -u) or the process gets SIGINT, SIGTERM or SIGHUP, which
// unmount it cleanly. Compiled only when CMake finds fuse3 (INFINITREE_HAVE_FUSE).
#pragma once

#include <functional>
#include <string>

#include "mount_fs.hpp"

namespace infinitree::cli {

struct FuseOptions {
  bool allow_other = false;  // other users may enter, as the stored modes allow (needs user_allow_other)
  bool debug = false;        // libfuse prints every request on stderr
};

// Mounts read-only, calls `mounted` once the mount is in place, serves requests on several
// threads, and returns when unmounted. Throws Error when it cannot mount (libfuse has said
// why on stderr).
void serve_fuse(MountFs& fs, const std::string& mountpoint, const FuseOptions& options,
                const std::function<void()>& mounted);

}  // namespace infinitree::cli
