// passwd, stats, verify: credentials and the health and size of a tree.
#include <mutex>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "format.hpp"
#include "json_out.hpp"
#include "password.hpp"
#include "printable.hpp"
#include "progress.hpp"

namespace infinitree::cli {

namespace {

int cmd_passwd(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "passwd [--new-user U] [--new-password-file F]");
  auto tree = s.open(false);
  PasswordSource src;
  src.file = args.get("new-password-file");
  src.env_var = "INFINITREE_NEW_PASSWORD";
  src.file_env_var = "INFINITREE_NEW_PASSWORD_FILE";
  src.prompt = "New password: ";
  src.confirm = true;
  src.allow_empty = args.has("allow-empty-password");
  std::string new_password = read_password(src);
  std::string new_user = args.get_or("new-user", s.user());
  KdfParams kdf = args.has("new-kdf") ? parse_kdf(*args.get("new-kdf")) : s.kdf();
  if (args.has("new-kdf")) warn_if_weak_kdf(kdf);
  tree->change_password(new_user, new_password, kdf);
  if (json_wanted(args)) {
    Json j;
    set_text(j, "user", new_user);
    j["changed"] = true;
    print_json(j);
  }
  // The old root is deleted from the store, but any copy of it (a backup or snapshot of
  // the store, an adversary's download) still opens with the old credentials.
  if (chatty(args))
    std::cerr << "password changed for user '" << printable(new_user)
              << "': the store's root object for the old credentials is deleted, but copies of it "
                 "(backups or snapshots of the store) still open the tree with them (docs/security.md)\n";
  return kOk;
}

int cmd_stats(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "stats");
  auto tree = s.open(true);
  TreeStats ts = tree->stats();
  CommitStats sum;
  uint64_t cli_commits = 0, snapshots = 0;
  if (tree->head())
    for (const auto& c : tree->log(HistoryFilter::all())) {
      auto st = decode_commit_stats(c.custom);
      if (!st) continue;
      ++cli_commits;
      if (st->kind == "store") ++snapshots;
      sum.logical += st->logical;
      sum.read += st->read;
      sum.fresh += st->fresh;
      sum.stored += st->stored;
    }
  const double store_bytes = double(ts.objects) * double(kObjectSize);
  // What prune would reclaim: a walk over every node of every kept commit (docs/space.md).
  SpaceReport sp = tree->space();
  if (json_wanted(args)) {
    Json fields = Json::array();
    for (const auto& f : tree->fields()) {
      Json j;
      set_text(j, "name", f.name);
      j["type"] = to_string(f.type);
      if (f.type == FieldType::map) j["entries"] = tree->map(f.name).size();
      fields.push_back(std::move(j));
    }
    print_json(Json{{"store", tree->backend()->describe()},
                    {"objects", ts.objects},
                    {"object_bytes", ts.objects * kObjectSize},
                    {"commits", ts.commits},
                    {"snapshots", snapshots},
                    {"fields", fields},
                    {"logical_bytes", sum.logical},
                    {"read_bytes", sum.read},
                    {"new_bytes", sum.fresh},
                    {"stored_bytes", sum.stored},
                    {"dedup_ratio", sum.fresh ? Json(double(sum.logical) / double(sum.fresh)) : Json(nullptr)},
                    {"compression_ratio", sum.stored ? Json(double(sum.fresh) / double(sum.stored)) : Json(nullptr)},
                    {"live_bytes", sp.live_bytes},
                    {"live_chunks", sp.live_chunks},
                    {"garbage_bytes", sp.garbage_bytes},
                    {"prune_would_delete", sp.objects_to_delete},
                    {"prune_would_repack", sp.objects_to_repack},
                    {"pending_deletion", sp.objects_pending}});
    return kOk;
  }
  std::cout << "store:            " << tree->backend()->describe() << "\n"
            << "objects:          " << ts.objects << " (" << human_bytes(store_bytes) << ", 4 MiB each)\n"
            << "commits:          " << ts.commits << " (" << snapshots << " folder snapshots)\n"
            << "fields:          ";
  bool any = false;
  for (const auto& f : tree->fields()) {
    std::cout << (any ? ", " : " ") << printable(f.name);
    if (f.type == FieldType::map) std::cout << " (" << tree->map(f.name).size() << " entries)";
    any = true;
  }
  std::cout << (any ? "\n" : " none\n")
            << "logical bytes:    " << human_bytes(double(sum.logical))
            << " (the sum of every snapshot and put, as if stored separately)\n"
            << "read and chunked: " << human_bytes(double(sum.read)) << "\n"
            << "new after dedup:  " << human_bytes(double(sum.fresh)) << "\n"
            << "stored (sealed):  " << human_bytes(double(sum.stored)) << "\n";
  if (sum.fresh > 0)
    std::cout << "dedup ratio:      " << fixed(double(sum.logical) / double(sum.fresh), 2)
              << "x (logical / new)\n";
  else
    std::cout << "dedup ratio:      n/a (nothing stored yet)\n";
  if (sum.stored > 0)
    std::cout << "compression:      " << fixed(double(sum.fresh) / double(sum.stored), 2) << "x (new / stored)\n";
  if (store_bytes > 0 && sum.logical > 0)
    std::cout << "overall:          " << fixed(double(sum.logical) / store_bytes, 2)
              << "x (logical / store size, including index and padding)\n";
  std::cout << "live bytes:       " << human_bytes(double(sp.live_bytes)) << " (" << sp.live_chunks
            << " chunks that the kept commits need)\n"
            << "garbage bytes:    " << human_bytes(double(sp.garbage_bytes)) << " (in this tree's " << sp.objects
            << " objects besides the root, padding included)\n"
            << "prune would:      delete " << sp.objects_to_delete << " objects, repack " << sp.objects_to_repack
            << " (`infinitree prune`)\n"
            << "pending deletion: " << sp.objects_pending << " objects (scheduled by an earlier prune)\n";
  return kOk;
}

int cmd_verify(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "verify");
  auto tree = s.open(true);
  const bool json = json_wanted(args);
  Progress progress("verify", 0, 0, Progress::wanted(s.quiet()));
  std::mutex mu;
  uint64_t shown = 0;
  Json problems = Json::array();
  auto report = tree->verify([&](const std::string& problem) {
    std::lock_guard lock(mu);
    ++shown;
    progress.set_note(std::to_string(shown) + " problem(s)");
    // Printed as found, so a long run shows them early; the bar is redrawn after.
    if (json) problems.push_back(problem);
    else std::cout << "problem: " << printable(problem) << "\n" << std::flush;
  });
  progress.finish();
  if (json) {
    print_json(Json{{"commits", report.commits},
                    {"chunks", report.chunks},
                    {"bytes", report.bytes},
                    {"problems", report.problems},
                    {"problem_list", problems},
                    {"seconds", progress.elapsed_seconds()}});
  } else if (chatty(args) || report.problems) {
    // -q: the problem lines and the exit code are the result; the summary is left out.
    std::cout << "verified " << report.commits << " commits, " << report.chunks << " chunks, "
              << human_bytes(double(report.bytes)) << " in " << fixed(progress.elapsed_seconds(), 1) << " s: "
              << (report.problems ? std::to_string(report.problems) + " problem(s)" : std::string("no problems"))
              << "\n";
  }
  return report.problems ? kCorrupt : kOk;
}

}  // namespace

void add_admin_commands(std::vector<Command>& out) {
  out.push_back({"passwd", "passwd [--new-user U]",
                 "change the password (and user); the new one from a prompt, INFINITREE_NEW_PASSWORD "
                 "or --new-password-file",
                 {{"new-user", true, 0, "also change the user name"},
                  {"new-password-file", true, 0, "read the new password from this file"},
                  {"new-kdf", true, 0, "new KDF costs (fast | default | m=KiB,t=N,p=N)"}},
                 cmd_passwd});
  out.push_back({"stats", "stats", "objects, bytes, commits, the dedup ratio, and live and garbage bytes", {}, cmd_stats});
  out.push_back({"verify", "verify",
                 "read and authenticate every chunk of every commit; exit 4 if any problem", {}, cmd_verify});
}

}  // namespace infinitree::cli
