// store and restore: folder snapshots (snapshot.hpp, restore.hpp) as commands.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "duration.hpp"
#include "format.hpp"
#include "json_out.hpp"
#include "progress.hpp"
#include "restore.hpp"
#include "snapshot.hpp"
#include "snapshots.hpp"
#include "store_options.hpp"

namespace infinitree::cli {

namespace {

const OptionSpec kField{"field", true, 0, "the map field holding the snapshot (default: files)"};
const OptionSpec kThreads{"threads", true, 'j', "files processed at once (default: max(2, cores))"};

void print_warning(const std::string& w) { std::cerr << "warning: " << w << "\n"; }

int cmd_store(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "store PATH [-m MSG] [--no-commit] [--reread]");
  const std::string root = snapshot_root(args.positional[0]);
  auto tree = s.open(false);
  StoreOptions o = store_options(s, args, root);
  const std::string field = args.get_or("field", kFilesField);
  const std::string message = args.get_or("message", "store " + root);
  if (!args.has("no-commit")) {
    o.checkpoint_ms = parse_duration_ms(args.get_or("checkpoint", "5m"), "checkpoint", true);
    o.checkpoint_message = message + " (checkpoint)";
    CommitStats cp{"checkpoint"};
    cp.path = root;
    o.checkpoint_custom = encode_commit_stats(cp);
  }
  StoreResult r = store_folder(*tree, field, root, o, print_warning);

  std::optional<CommitInfo> info;
  if (!args.has("no-commit")) {
    CommitStats cs{"store", r.files, r.bytes_total, r.bytes_read, r.bytes_new, r.bytes_stored,
                   root, args.get_or("host", host_name()), args.all("tag")};
    info = tree->commit(message, encode_commit_stats(cs));
  }
  if (json_wanted(args)) {
    Json j;
    set_text(j, "root", root);
    j["files"] = r.files;
    j["dirs"] = r.dirs;
    j["symlinks"] = r.symlinks;
    j["bytes_total"] = r.bytes_total;
    j["bytes_read"] = r.bytes_read;
    j["bytes_new"] = r.bytes_new;
    j["bytes_stored"] = r.bytes_stored;
    j["unchanged"] = r.unchanged;
    j["added"] = r.added;
    j["changed"] = r.changed;
    j["removed"] = r.removed;
    j["skipped"] = r.skipped;
    j["checkpoints"] = r.checkpoints;
    j["seconds"] = r.seconds;
    j["committed"] = !args.has("no-commit");
    j["commit"] = info ? commit_json(*info) : Json(nullptr);
    print_json(j);
  } else if (chatty(args)) {
    // -q: nothing on stdout when all went well (warnings still go to stderr).
    print_store_summary(std::cout, root, r);
    if (args.has("no-commit")) std::cout << "not committed (--no-commit): nothing of this snapshot is kept\n";
    else if (info) std::cout << "committed " << info->id << "\n";
    else std::cout << "nothing changed, no commit\n";
  }
  std::cout.flush();
  if (r.skipped) {
    std::cerr << r.skipped << " item(s) skipped, see the warnings above\n";
    return kLocalIo;
  }
  return kOk;
}

int cmd_restore(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "restore DEST [--at REF] [--overwrite] [--no-owner] [--include P] [--exclude P]");
  auto tree = s.open(true);
  std::unique_ptr<TreeView> holder;
  TreeView& view = view_at(*tree, args, holder);
  RestoreOptions o;
  o.threads = static_cast<unsigned>(parse_uint(args.get_or("threads", "0"), "threads"));
  o.progress_json = json_wanted(args);
  o.progress = o.progress_json ? !s.quiet() : Progress::wanted(s.quiet());
  o.overwrite = args.has("overwrite");
  o.no_owner = args.has("no-owner");
  for (const auto& pattern : args.all("include")) o.filter.include(pattern);
  for (const auto& pattern : args.all("exclude")) o.filter.exclude(pattern);
  RestoreResult r = restore_folder(view, args.get_or("field", kFilesField), args.positional[0], o, print_warning);
  if (json_wanted(args)) {
    Json j{{"files", r.files}, {"dirs", r.dirs}, {"symlinks", r.symlinks}, {"bytes", r.bytes},
           {"failed", r.failed}, {"refused", r.refused}, {"filtered", r.filtered}, {"seconds", r.seconds}};
    set_text(j, "dest", args.positional[0]);
    print_json(j);
  } else if (chatty(args))
    std::cout << "restored " << r.files << " files, " << r.dirs << " folders, " << r.symlinks << " symlinks, "
              << human_bytes(double(r.bytes)) << " into " << args.positional[0] << " ("
              << human_bytes(r.seconds > 0 ? double(r.bytes) / r.seconds : 0) << "/s)"
              << (r.filtered ? "; " + std::to_string(r.filtered) + " entries left out by --include/--exclude" : "")
              << "\n";
  if (r.failed) {
    std::cerr << r.failed << " item(s) not restored, see the warnings above";
    if (r.refused) std::cerr << " (" << r.refused << " refused: below a symlink or file of the snapshot)";
    std::cerr << "\n";
    return exit_code_for(r.worst);
  }
  return kOk;
}

}  // namespace

void add_folder_commands(std::vector<Command>& out) {
  out.push_back({"store", "store PATH [-m MSG] [--no-commit] [--exclude PATTERN]...",
                 "snapshot a folder (files, folders, symlinks, modes, mtimes) and commit",
                 {{"message", true, 'm', "commit message (default: store PATH)"},
                  {"no-commit", false, 0, "do not commit (a dry run: reports sizes and dedup)"},
                  {"reread", false, 0, "read every file, even those whose size and mtime did not change"},
                  {"exclude", true, 'e', "leave out what matches this glob (repeatable; docs/cli.md)", true},
                  {"exclude-file", true, 0, "read --exclude patterns from this file, one per line"},
                  {"exclude-caches", false, 0, "leave out folders holding a CACHEDIR.TAG"},
                  {"one-file-system", false, 'x', "do not cross into other file systems (mount points)"},
                  {"checkpoint", true, 0, "commit what was uploaded so far this often, so a killed store resumes (default 5m; 0: never)"},
                  {"host", true, 0, "the host name recorded for `snapshots` (default: this machine's)"},
                  {"tag", true, 0, "a tag recorded for `snapshots --tag` (repeatable)", true},
                  kThreads, kField},
                 cmd_store});
  out.push_back({"restore", "restore DEST [--at REF] [--overwrite] [--no-owner] [--include P]... [--exclude P]...",
                 "recreate the folder snapshot (of the last commit, or --at REF) in DEST",
                 {{"at", true, 0, "restore the snapshot of this commit, branch or tag"},
                  {"include", true, 'i', "restore only what matches this glob, with the folders holding it (repeatable)", true},
                  {"exclude", true, 'e', "do not restore what matches this glob (repeatable; docs/cli.md)", true},
                  {"overwrite", false, 0, "restore into a non-empty folder, replacing what is in the way"},
                  {"no-owner", false, 0, "do not restore owners, even as root (setuid/setgid/sticky bits are cleared)"},
                  kThreads, kField},
                 cmd_restore});
  out.push_back(snapshots_command());
}

}  // namespace infinitree::cli
