// forget, prune: reclaiming space (docs/space.md). forget drops commits from the history
// (by name or by a retention policy, as `restic forget`); prune deletes or repacks the
// objects no kept commit needs. `stats` shows what prune would do.
#include <cmath>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "common.hpp"
#include "duration.hpp"
#include "exit_codes.hpp"
#include "format.hpp"
#include "json_out.hpp"
#include "printable.hpp"
#include "refs.hpp"

namespace infinitree::cli {

namespace {

uint32_t parse_count(const ParsedArgs& args, const char* option) {
  auto v = args.get(option);
  if (!v) return 0;
  uint64_t n = parse_uint(*v, option);
  if (n > UINT32_MAX) throw UsageError("option '--" + std::string(option) + "' is too large: '" + *v + "'");
  return static_cast<uint32_t>(n);
}

// "50", "50%", "12.5": a share of an object's capacity, 0..100.
double parse_percent(const std::string& text) {
  std::string number = text;
  if (!number.empty() && number.back() == '%') number.pop_back();
  size_t used = 0;
  double v = -1;
  try {
    v = std::stod(number, &used);
  } catch (...) {
    used = 0;
  }
  if (number.empty() || used != number.size() || !std::isfinite(v) || v < 0 || v > 100 ||
      !(std::isdigit(static_cast<unsigned char>(number[0]))))
    throw UsageError("option '--repack-below' needs a percentage from 0 to 100, not '" + text + "'");
  return v / 100.0;
}

PruneOptions prune_options(const ParsedArgs& args, bool dry_run) {
  PruneOptions o;
  if (auto v = args.get("repack-below")) o.repack_below = parse_percent(*v);
  if (auto v = args.get("grace")) o.grace_ms = parse_duration_ms(*v, "grace", /*allow_zero=*/true);
  o.dry_run = dry_run;
  return o;
}

std::string plural(uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

void print_commit_lines(const std::vector<CommitInfo>& commits) {
  for (const auto& c : commits)
    std::cout << "  " << c.id << " " << utc_time(c.time_ms) << " " << printable(c.message) << "\n";
}

// The plan (a dry run) or the outcome of a prune.
void print_prune_report(const SpaceReport& r, bool dry_run) {
  const double object_bytes = double(kObjectSize);
  if (dry_run) {
    std::cout << "prune would delete " << plural(r.objects_to_delete, "object") << " ("
              << human_bytes(double(r.objects_to_delete) * object_bytes) << ") and repack "
              << plural(r.objects_to_repack, "object") << " of " << r.objects << "; "
              << r.objects_pending << " already pending deletion\n"
              << "live: " << human_bytes(double(r.live_bytes)) << " in " << plural(r.live_chunks, "chunk")
              << ", garbage: " << human_bytes(double(r.garbage_bytes)) << "\n";
    return;
  }
  std::cout << "objects deleted:    " << r.objects_deleted << " ("
            << human_bytes(double(r.objects_deleted) * object_bytes) << ")\n"
            << "objects deferred:   " << r.objects_deferred
            << " (deleted by a later prune or commit once the grace period is over)\n"
            << "objects repacked:   " << r.objects_to_repack << "\n"
            << "chunks moved:       " << r.chunks_moved << " (" << human_bytes(double(r.bytes_moved)) << ")\n"
            << "temp files removed: " << r.temp_files_removed << "\n";
}

Json prune_json(const SpaceReport& r, bool dry_run) {
  return Json{{"dry_run", dry_run},
              {"objects", r.objects},
              {"objects_to_delete", r.objects_to_delete},
              {"objects_to_repack", r.objects_to_repack},
              {"objects_pending", r.objects_pending},
              {"objects_deleted", r.objects_deleted},
              {"objects_deferred", r.objects_deferred},
              {"chunks_moved", r.chunks_moved},
              {"bytes_moved", r.bytes_moved},
              {"temp_files_removed", r.temp_files_removed},
              {"live_bytes", r.live_bytes},
              {"live_chunks", r.live_chunks},
              {"garbage_bytes", r.garbage_bytes}};
}

Json commits_json(const std::vector<CommitInfo>& commits) {
  Json list = Json::array();
  for (const auto& c : commits) list.push_back(commit_json(c));
  return list;
}

int run_prune(Tree& tree, const ParsedArgs& args, bool dry_run) {
  PruneOptions o = prune_options(args, dry_run);
  SpaceReport r = dry_run ? tree.space(o) : tree.prune(o);
  if (json_wanted(args)) {
    print_json(prune_json(r, dry_run));
    return kOk;
  }
  // A dry run's plan is its result; a real prune's report is a summary (-q leaves it out).
  if (dry_run || chatty(args)) print_prune_report(r, dry_run);
  return kOk;
}

int cmd_forget(Session& s, const ParsedArgs& args) {
  RetentionPolicy p;
  p.keep_last = parse_count(args, "keep-last");
  p.keep_hourly = parse_count(args, "keep-hourly");
  p.keep_daily = parse_count(args, "keep-daily");
  p.keep_weekly = parse_count(args, "keep-weekly");
  p.keep_monthly = parse_count(args, "keep-monthly");
  p.keep_yearly = parse_count(args, "keep-yearly");
  if (auto v = args.get("keep-within")) p.keep_within_ms = parse_duration_ms(*v, "keep-within", false);
  bool any_rule = false;
  for (const char* o : {"keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly",
                        "keep-within"})
    any_rule |= args.has(o);
  if (any_rule && !args.positional.empty())
    throw UsageError("forget takes commits to forget or --keep-* rules, not both");
  if (!any_rule && args.positional.empty())
    throw UsageError("forget needs commits to forget or at least one --keep-* rule");
  if (any_rule && p.empty())
    throw UsageError("every --keep-* rule is 0: that would forget every commit but branch heads and tags");
  // Checked before anything is done, so a bad --grace does not leave a forget without its prune.
  const bool dry_run = args.has("dry-run");
  if (!args.has("prune") && (args.has("repack-below") || args.has("grace")))
    throw UsageError("--repack-below and --grace go with --prune (or the prune command)");
  if (args.has("prune")) (void)prune_options(args, dry_run);

  auto tree = s.open(dry_run);
  std::vector<std::string> refs;  // HEAD~3 and the like, as everywhere else
  for (const auto& ref : args.positional) refs.push_back(resolve_ref(*tree, ref));
  ForgetReport r = any_rule ? tree->forget(p, dry_run) : tree->forget(refs, dry_run);
  if (json_wanted(args)) {
    Json j{{"dry_run", dry_run}, {"kept", commits_json(r.kept)}, {"forgotten", commits_json(r.forgotten)}};
    if (args.has("prune")) {
      PruneOptions o = prune_options(args, dry_run);
      j["prune"] = prune_json(dry_run ? tree->space(o) : tree->prune(o), dry_run);
    }
    print_json(j);
    return kOk;
  }
  if (dry_run) {
    std::cout << "would keep " << plural(r.kept.size(), "commit") << ":\n";
    print_commit_lines(r.kept);
    std::cout << "would forget " << plural(r.forgotten.size(), "commit") << ":\n";
    print_commit_lines(r.forgotten);
  } else if (chatty(args)) {
    std::cout << "forgot " << plural(r.forgotten.size(), "commit") << ":\n";
    print_commit_lines(r.forgotten);
    std::cout << "kept " << plural(r.kept.size(), "commit")
              << (args.has("prune") ? "" : "; run `infinitree prune` to reclaim their space") << "\n";
  }
  if (args.has("prune")) {
    // A dry run has forgotten nothing, so its prune plan is today's, before the forget.
    if (dry_run) std::cout << "before this forget, ";
    return run_prune(*tree, args, dry_run);
  }
  return kOk;
}

int cmd_prune(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "prune [--dry-run] [--repack-below PERCENT] [--grace DURATION]");
  const bool dry_run = args.has("dry-run");
  (void)prune_options(args, dry_run);  // bad options are usage errors before the tree opens
  auto tree = s.open(dry_run);
  return run_prune(*tree, args, dry_run);
}

const OptionSpec kDryRun{"dry-run", false, 'n', "only list what would be done; change nothing"};
const OptionSpec kRepackBelow{"repack-below", true, 0,
                              "repack objects whose live bytes are under PERCENT of 4 MiB (default 50)"};
const OptionSpec kGrace{"grace", true, 0,
                        "delete objects only after DURATION, for readers of older versions (default 15m; 0: at once)"};

}  // namespace

void add_space_commands(std::vector<Command>& out) {
  out.push_back({"forget",
                 "forget REF... | forget --keep-last N [--keep-daily N ...] [--dry-run] [--prune]",
                 "drop commits from the history (named, or all but those a policy keeps); prune reclaims them",
                 {{"keep-last", true, 0, "keep the N newest commits"},
                  {"keep-hourly", true, 0, "keep the newest commit of each of the N newest hours"},
                  {"keep-daily", true, 0, "... days (UTC)"},
                  {"keep-weekly", true, 0, "... ISO weeks"},
                  {"keep-monthly", true, 0, "... months"},
                  {"keep-yearly", true, 0, "... years"},
                  {"keep-within", true, 0, "keep commits at most DURATION older than the newest (30m, 12h, 7d, 2w, 1y)"},
                  kDryRun,
                  {"prune", false, 0, "prune afterwards"},
                  kRepackBelow,
                  kGrace},
                 cmd_forget});
  out.push_back({"prune", "prune [--dry-run] [--repack-below PERCENT] [--grace DURATION]",
                 "delete objects no kept commit needs, repack sparse ones",
                 {kDryRun, kRepackBelow, kGrace}, cmd_prune});
}

}  // namespace infinitree::cli
