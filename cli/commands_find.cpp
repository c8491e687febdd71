// find and dump, as restic's: search the folder snapshots of many commits for paths
// (find.hpp), and write one stored file to stdout without restoring the snapshot.
#include <unistd.h>

#include <cstdint>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "find.hpp"
#include "format.hpp"
#include "json_out.hpp"
#include "output_file.hpp"
#include "path_filter.hpp"
#include "printable.hpp"
#include "refs.hpp"
#include "short_id.hpp"
#include "snapshot.hpp"
#include "stream_io.hpp"

namespace infinitree::cli {

namespace {

const OptionSpec kField{"field", true, 0, "the map field holding the snapshot (default: files)"};

const char* type_name(const FileMeta& m) {
  return m.type == FileMeta::kDir ? "dir" : m.type == FileMeta::kSymlink ? "symlink" : "file";
}

Json match_json(const std::string& path, const FileMeta& m) {
  Json j;
  set_text(j, "path", path);
  j["type"] = type_name(m);
  j["size"] = m.size;
  j["mode"] = m.mode;
  j["permissions"] = mode_string(m);
  j["mtime_ns"] = m.mtime_ns;
  j["uid"] = m.uid;
  j["gid"] = m.gid;
  if (m.type == FileMeta::kSymlink) set_text(j, "target", m.target);
  return j;
}

// The commits to search: each --at REF as given, or the current branch's history (first
// parents, as `log` walks it), newest first.
std::vector<CommitInfo> commits_to_search(const Tree& tree, const ParsedArgs& args) {
  std::vector<CommitInfo> out;
  for (const auto& ref : args.all("at")) out.push_back(tree.commit_info(resolve_ref(tree, ref)));
  if (!args.has("at")) {
    if (auto head = tree.head()) out = tree.log(HistoryFilter::up_to(head->id));
  }
  return out;
}

int cmd_find(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, SIZE_MAX, "find PATTERN... [--at REF]... [--field F]");
  FindOptions o;
  o.field = args.get_or("field", kFilesField);
  for (const auto& p : args.positional) o.patterns.push_back(clean_pattern(p, "find"));
  o.skip_repeats = !args.has("at");
  auto tree = s.open(true);
  const bool json = json_wanted(args);
  Json list = Json::array();
  uint64_t hits = 0;
  std::string out;
  find_in_commits(*tree, commits_to_search(*tree, args), o, [&](const CommitInfo& c, const FindMatches& matches) {
    if (matches.empty()) return;
    hits += matches.size();
    if (json) {
      Json found = Json::array();
      for (const auto& [path, m] : matches) found.push_back(match_json(path, m));
      list.push_back(Json{{"commit", commit_json(c)}, {"hits", matches.size()}, {"matches", std::move(found)}});
      return;
    }
    const std::string prefix = short_id(c.id) + "  " + utc_time(c.time_ms) + "  ";
    for (const auto& [path, m] : matches) {
      std::string size = std::to_string(m.size);
      if (size.size() < 12) size.insert(0, 12 - size.size(), ' ');
      out += prefix + mode_string(m) + " " + size + "  " + printable(path);
      if (m.type == FileMeta::kSymlink) out += " -> " + printable(m.target);
      out += "\n";
      if (out.size() > (1 << 16)) {
        std::cout << out;
        out.clear();
      }
    }
  });
  if (json) print_json(list);
  std::cout << out;
  if (chatty(args) && !json && hits == 0) std::cerr << "no stored path matches\n";
  return kOk;
}

// A path as typed ("/a/b", "a/b/", "./a") -> the snapshot key ("a/b"); "" is the root ".".
std::string snapshot_key(std::string path) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path.empty() ? "." : path;
}

int cmd_dump(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 2, 2, "dump REF PATH [--out F] [--field F]");
  if (json_wanted(args)) throw UsageError("dump writes the stored bytes, not a report: --json does not apply");
  const std::string field = args.get_or("field", kFilesField);
  const std::string key = snapshot_key(args.positional[1]);
  const std::string shown = printable(args.positional[1]);
  auto tree = s.open(true);
  auto view = tree->checkout(resolve_ref(*tree, args.positional[0]));
  if (!view->has_field(field))
    throw Error(Errc::not_found, "this version has no folder snapshot (field '" + printable(field) + "')");
  auto value = view->map(field).get(key);
  if (!value) throw Error(Errc::not_found, "no path '" + shown + "' in the snapshot");
  FileMeta m = decode_file_meta(*value, key);
  if (m.type == FileMeta::kDir)
    throw UsageError("'" + shown + "' is a folder: dump writes one file (use restore --include)");
  if (m.type == FileMeta::kSymlink)
    throw UsageError("'" + shown + "' is a symlink to '" + printable(m.target) + "': dump writes one file");
  // The streams map holds the ref prune keeps current (snapshot.hpp).
  std::string ref = m.ref;
  if (view->has_field(streams_field(field)))
    if (auto r = view->map(streams_field(field)).get(key); r && !m.ref.empty()) ref = *r;
  auto write_to = [&](int fd, const std::string& what, bool sparse) {
    uint64_t n = 0;
    if (!ref.empty()) {
      // Read block by block (stream_io.hpp): memory stays bounded whatever the file's size.
      auto reader = view->open_stream(ref);
      if (reader->size() != m.size)
        throw Error(Errc::corrupt, shown + ": the stream holds " + std::to_string(reader->size()) +
                                       " bytes, the metadata says " + std::to_string(m.size));
      n = copy_stream_to_fd(*reader, fd, what, sparse);
    }
    if (n != m.size)
      throw Error(Errc::corrupt, shown + ": wrote " + std::to_string(n) + " bytes, expected " + std::to_string(m.size));
  };
  auto out = args.get("out");
  if (!out || *out == "-") {
    write_to(STDOUT_FILENO, "stdout", false);
    return kOk;
  }
  OutputFile file(*out);  // a temporary beside F, renamed into place when complete
  write_to(file.fd(), *out, file.fresh_regular());
  file.commit();
  return kOk;
}

}  // namespace

void add_find_commands(std::vector<Command>& out) {
  out.push_back({"find", "find PATTERN... [--at REF]... [--field F]",
                 "the stored paths matching a glob in every folder snapshot of the branch (or --at REF), newest first",
                 {{"at", true, 0, "search this commit, branch or tag only (repeatable)", true}, kField},
                 cmd_find});
  out.push_back({"dump", "dump REF PATH [--out F] [--field F]",
                 "write one stored file of the snapshot at REF to stdout (or --out F)",
                 {{"out", true, 'o', "write to this file instead of stdout"}, kField},
                 cmd_dump});
}

}  // namespace infinitree::cli
