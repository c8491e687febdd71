#include "snapshots.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "common.hpp"
#include "exit_codes.hpp"
#include "format.hpp"
#include "json_out.hpp"
#include "printable.hpp"
#include "refs.hpp"
#include "short_id.hpp"

namespace infinitree::cli {

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "unknown";
  return buf;
}

namespace {

// A snapshot passes when it matches every filter given (--tag: has every tag given).
bool wanted(const CommitStats& st, const ParsedArgs& args) {
  if (auto h = args.get("host"); h && st.host != *h) return false;
  if (auto p = args.get("path"); p && st.path != *p) return false;
  for (const auto& t : args.all("tag"))
    if (std::find(st.tags.begin(), st.tags.end(), t) == st.tags.end()) return false;
  return true;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + printable(p);
  return out;
}

int cmd_snapshots(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "snapshots [REF] [--host H] [--tag T]... [--path P]");
  auto tree = s.open(true);
  const bool json = json_wanted(args);
  Json list = Json::array();
  if (!tree->head() && args.positional.empty()) {
    if (json) print_json(list);
    return kOk;
  }
  const std::string start = args.positional.empty() ? "HEAD" : args.positional[0];
  bool header = false;
  for (const auto& c : tree->log(HistoryFilter::up_to(resolve_ref(*tree, start)))) {
    auto st = decode_commit_stats(c.custom);
    if (!st || st->kind != "store" || !wanted(*st, args)) continue;
    if (json) {
      Json j{{"commit", commit_json(c)}};
      set_text(j, "host", st->host);
      set_text(j, "path", st->path);
      j["tags"] = st->tags;
      j["files"] = st->files;
      j["bytes"] = st->logical;
      list.push_back(std::move(j));
      continue;
    }
    if (!header) {
      std::cout << "ID           Time                     Host         Files  Size        Path  [Tags]\n";
      header = true;
    }
    std::string host = printable(st->host.empty() ? "-" : st->host);
    if (host.size() < 12) host.resize(12, ' ');
    std::string files = std::to_string(st->files), size = human_bytes(double(st->logical));
    files.insert(0, files.size() < 5 ? 5 - files.size() : 0, ' ');
    if (size.size() < 10) size.resize(10, ' ');
    std::cout << short_id(c.id) << " " << utc_time(c.time_ms) << "  " << host << " " << files << "  " << size
              << "  " << printable(st->path);
    if (!st->tags.empty()) std::cout << "  [" << joined(st->tags) << "]";
    std::cout << "\n";
  }
  if (json) print_json(list);
  return kOk;
}

}  // namespace

Command snapshots_command() {
  return {"snapshots", "snapshots [REF] [--host H] [--tag T]... [--path P]",
          "the folder snapshots (store commits), newest first, with host, folder, tags and size",
          {{"host", true, 0, "only snapshots stored with this --host"},
           {"tag", true, 0, "only snapshots having this tag (repeatable: all of them)", true},
           {"path", true, 0, "only snapshots of this folder (absolute, as stored)"}},
          cmd_snapshots};
}

}  // namespace infinitree::cli
