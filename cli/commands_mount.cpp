// mount: every commit as a read-only file system (mount_fs.hpp says what it shows,
// mount_fuse.hpp how it is served). A build without libfuse3 keeps the command, which then
// says so and exits with kUnsupported.
#include <sys/stat.h>

#include <iostream>
#include <mutex>

#include "commands.hpp"
#include "json_out.hpp"
#include "common.hpp"
#include "duration.hpp"
#include "exit_codes.hpp"
#include "mount_fs.hpp"
#ifdef INFINITREE_HAVE_FUSE
#include "mount_fuse.hpp"
#endif

namespace infinitree::cli {

namespace {

int cmd_mount(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "mount MOUNTPOINT [--allow-other] [--refresh D]");
  if (json_wanted(args)) throw UsageError("mount serves a file system until unmounted: --json does not apply");
#ifndef INFINITREE_HAVE_FUSE
  (void)s;
  std::cerr << "infinitree: this infinitree was built without FUSE (libfuse3 was not found, or "
               "INFINITREE_WITH_FUSE=OFF): mount is not available\n";
  return kUnsupported;
#else
  const std::string mountpoint = args.positional[0];
  struct stat st;
  if (::stat(mountpoint.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(Errc::not_found, "the mount point " + mountpoint + " is not a folder");
  const int64_t refresh_ms = parse_duration_ms(args.get_or("refresh", "5s"), "refresh", true);
  std::mutex warn_mu;
  MountFs fs(s.open(true), [&](const std::string& w) {
    std::lock_guard lock(warn_mu);
    std::cerr << "infinitree mount: " << w << "\n";
  });
  fs.set_refresh_ms(refresh_ms);
  FuseOptions o;
  o.allow_other = args.has("allow-other");
  o.debug = args.has("debug");
  const bool chatty_run = chatty(args);
  serve_fuse(fs, mountpoint, o, [&] {
    if (chatty_run)
      std::cerr << "mounted " << s.store() << " read-only at " << mountpoint << "; unmount with `fusermount3 -u "
                << mountpoint << "` or Ctrl-C\n";
  });
  if (chatty_run) std::cerr << "unmounted " << mountpoint << "\n";
  return kOk;
#endif
}

}  // namespace

void add_mount_commands(std::vector<Command>& out) {
  out.push_back({"mount", "mount MOUNTPOINT [--allow-other] [--refresh D]",
                 "browse every commit, branch, tag and folder snapshot as a read-only file system (FUSE) until "
                 "unmounted",
                 {{"allow-other", false, 0,
                   "let other users in, as the stored modes and owners allow (needs user_allow_other in "
                   "/etc/fuse.conf)"},
                  {"refresh", true, 0, "look for new commits this often, e.g. 30s (default 5s; 0: on every look)"},
                  {"debug", false, 0, "print every FUSE request on stderr"}},
                 cmd_mount});
}

}  // namespace infinitree::cli
