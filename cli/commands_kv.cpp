// init, put, get, del, ls, commit: keys and values (and files as streams) in a map field.
// A CLI process is short-lived, so every command that changes data commits before it
// exits (-m gives the message); nothing uncommitted survives a process.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "format.hpp"
#include "json_out.hpp"
#include "output_file.hpp"
#include "path_filter.hpp"
#include "printable.hpp"
#include "stream_io.hpp"

namespace infinitree::cli {

namespace {

const OptionSpec kField{"field", true, 0, "the map field to use (default: kv)"};
const OptionSpec kMessage{"message", true, 'm', "commit message"};
const OptionSpec kAt{"at", true, 0, "read the version at this commit, branch or tag"};

std::string field_of(const ParsedArgs& args) { return args.get_or("field", kKvField); }

// Commits, and reports the new commit the same way for every command that commits: its id
// on stdout (one line; nothing when nothing changed), or {"commit": {...} | null} with
// --json. A human-readable line on stderr unless -q.
std::optional<CommitInfo> commit_and_report(Tree& tree, const ParsedArgs& args,
                                            const std::string& default_message,
                                            const CommitStats& stats, bool force = false) {
  CommitOptions o;
  o.force = force;
  auto info = tree.commit(args.get_or("message", default_message), encode_commit_stats(stats), o);
  if (json_wanted(args)) {
    print_json(Json{{"commit", info ? commit_json(*info) : Json(nullptr)}});
  } else if (info) {
    std::cout << info->id << "\n";
  }
  if (chatty(args)) {
    if (info) std::cerr << "committed " << info->id << " on " << printable(info->branch) << "\n";
    else std::cerr << "nothing changed, no commit\n";
  }
  return info;
}

int cmd_init(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "init");
  auto tree = s.create();
  if (json_wanted(args)) {
    Json j;
    set_text(j, "user", s.user());
    j["store"] = tree->backend()->describe();
    print_json(j);
  }
  if (chatty(args))
    std::cerr << "created a tree for user '" << s.user() << "' in " << tree->backend()->describe()
              << "\n(remember the KDF costs: every later command needs the same --kdf / INFINITREE_KDF)\n";
  return kOk;
}

int cmd_put(Session& s, const ParsedArgs& args) {
  auto file = args.get("file");
  if (file) expect_positionals(args, 1, 1, "put KEY --file F|-");
  else expect_positionals(args, 2, 2, "put KEY VALUE | put KEY --file F|-");
  const std::string& key = args.positional[0];
  auto tree = s.open(false);
  Map map = tree->map(field_of(args));
  CommitStats stats;
  stats.kind = "put";
  if (file) {
    int fd = STDIN_FILENO;
    if (*file != "-") {
      fd = ::open(file->c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        int err = errno;
        throw Error(err == ENOENT ? Errc::not_found : errc_from_errno(err),
                    "cannot open " + *file + ": " + std::strerror(err));
      }
    }
    auto writer = tree->create_stream();
    uint64_t n = 0;
    try {
      n = copy_fd_to_stream(fd, *writer, *file == "-" ? "stdin" : *file);
    } catch (...) {
      if (fd != STDIN_FILENO) ::close(fd);
      throw;
    }
    if (fd != STDIN_FILENO) ::close(fd);
    map.put(key, writer->finish());
    auto st = writer->stats();
    stats.logical = stats.read = n;
    stats.fresh = st.bytes_new;
    stats.stored = st.bytes_stored;
    if (chatty(args))
      std::cerr << "stored " << human_bytes(double(n)) << " as a stream (" << human_bytes(double(st.bytes_new))
                << " new after dedup)\n";
  } else {
    map.put(key, args.positional[1]);
    stats.logical = args.positional[1].size();
  }
  commit_and_report(*tree, args, "put " + key, stats);
  return kOk;
}

int cmd_get(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "get KEY [--out F] [--at REF]");
  if (json_wanted(args)) throw UsageError("get writes the stored bytes, not a report: --json does not apply");
  auto tree = s.open(true);
  std::unique_ptr<TreeView> holder;
  TreeView& view = view_at(*tree, args, holder);
  const std::string field = field_of(args);
  if (!view.has_field(field)) throw Error(Errc::not_found, "no key '" + args.positional[0] + "' (no field '" + field + "')");
  auto value = view.map(field).get(args.positional[0]);
  if (!value) throw Error(Errc::not_found, "no key '" + args.positional[0] + "'");
  auto write_to = [&](int fd, const std::string& what, bool sparse) {
    if (is_stream_ref(*value)) {
      auto reader = view.open_stream(*value);
      uint64_t n = copy_stream_to_fd(*reader, fd, what, sparse);
      if (n != reader->size())
        throw Error(Errc::corrupt, "stream of '" + args.positional[0] + "' ended early");
    } else {
      write_all(fd, value->data(), value->size(), what);
      if (fd == STDOUT_FILENO && ::isatty(fd)) write_all(fd, "\n", 1, what);
    }
  };
  auto out = args.get("out");
  if (!out || *out == "-") {
    write_to(STDOUT_FILENO, "stdout", false);
    return kOk;
  }
  // A temporary file beside FILE, renamed into place when complete (output_file.hpp).
  OutputFile file(*out);
  write_to(file.fd(), *out, file.fresh_regular());
  file.commit();
  return kOk;
}

int cmd_del(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "del KEY [-m MSG]");
  auto tree = s.open(false);
  const std::string field = field_of(args);
  if (!tree->has_field(field) || !tree->map(field).erase(args.positional[0]))
    throw Error(Errc::not_found, "no key '" + args.positional[0] + "'");
  commit_and_report(*tree, args, "del " + args.positional[0], CommitStats{"del"});
  return kOk;
}

int cmd_ls(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "ls [PREFIX] [-l] [--at REF] [--include P] [--exclude P]");
  auto tree = s.open(true);
  std::unique_ptr<TreeView> holder;
  TreeView& view = view_at(*tree, args, holder);
  const std::string field = field_of(args);
  if (!view.has_field(field)) {
    if (args.has("field")) throw Error(Errc::not_found, "no field '" + field + "'");
    if (json_wanted(args)) print_json(Json::array());
    return kOk;  // nothing stored yet
  }
  const bool long_format = args.has("long"), json = json_wanted(args);
  std::string prefix = args.positional.empty() ? "" : args.positional[0];
  PathFilter filter;
  for (const auto& pattern : args.all("include")) filter.include(pattern);
  for (const auto& pattern : args.all("exclude")) filter.exclude(pattern);
  std::string out;
  Json list = Json::array();
  view.map(field).scan_prefix(prefix, [&](std::string_view key, std::string_view value) {
    if (!filter.empty() && !filter.selected(std::string(key))) return true;
    if (json) {
      Json e;
      set_text(e, "key", key);
      const bool stream = is_stream_ref(value);
      e["kind"] = stream ? "stream" : "value";
      e["size"] = stream ? view.open_stream(value)->size() : value.size();
      list.push_back(std::move(e));
      return true;
    }
    if (long_format) {
      if (is_stream_ref(value))
        out += "stream " + std::to_string(view.open_stream(value)->size());
      else
        out += "value  " + std::to_string(value.size());
      out += "\t";
    }
    out += printable(key);
    out += "\n";
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
    return true;
  });
  if (json) print_json(list);
  std::cout << out;
  return kOk;
}

int cmd_commit(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 0, "commit -m MSG");
  if (!args.has("message")) throw UsageError("usage: infinitree commit -m MSG");
  auto tree = s.open(false);
  commit_and_report(*tree, args, "", CommitStats{"commit"}, true);
  return kOk;
}

}  // namespace

void add_kv_commands(std::vector<Command>& out) {
  out.push_back({"init", "init", "create a new tree in the store for this user and password", {}, cmd_init});
  out.push_back({"put", "put KEY VALUE | put KEY --file F|-",
                 "set a key to a value, or to a file's content as a stream (then commit)",
                 {{"file", true, 'f', "store this file (- for stdin) as a stream"}, kMessage, kField},
                 cmd_put});
  out.push_back({"get", "get KEY [--out F] [--at REF]",
                 "print a value, or write a stream to --out (default stdout)",
                 {{"out", true, 'o', "write to this file instead of stdout"}, kAt, kField}, cmd_get});
  out.push_back({"del", "del KEY [-m MSG]", "delete a key (then commit)", {kMessage, kField}, cmd_del});
  out.push_back({"ls", "ls [PREFIX] [-l] [--at REF] [--include P]... [--exclude P]...",
                 "list keys (with -l: kind and size)",
                 {{"long", false, 'l', "show whether each value is a stream, and its size"},
                  {"include", true, 'i', "list only keys matching this glob, or below one that does (repeatable)", true},
                  {"exclude", true, 'e', "leave out keys matching this glob, and those below them (repeatable)", true},
                  kAt, kField},
                 cmd_ls});
  out.push_back({"commit", "commit -m MSG",
                 "record an empty commit as a marker (changes are committed by each command)",
                 {kMessage}, cmd_commit});
}

}  // namespace infinitree::cli
