// log, show, diff, checkout, tag: reading the history of a tree.
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "infinitree/history.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "file_meta.hpp"
#include "format.hpp"
#include "printable.hpp"

namespace infinitree::cli {

namespace {

const OptionSpec kField{"field", true, 0, "only this field"};

const char* type_name(FieldType t) {
  switch (t) {
    case FieldType::map: return "map";
    case FieldType::set: return "set";
    case FieldType::list: return "list";
    case FieldType::value: return "value";
  }
  return "?";
}

std::string stats_line(const CommitInfo& c) {
  auto st = decode_commit_stats(c.custom);
  if (!st || (st->kind != "store" && st->kind != "put")) return {};
  std::string line = st->kind + ": ";
  if (st->kind == "store") line += std::to_string(st->files) + " files, ";
  line += human_bytes(double(st->logical)) + ", read " + human_bytes(double(st->read)) + ", new " +
          human_bytes(double(st->fresh)) + ", stored " + human_bytes(double(st->stored));
  return line;
}

// Tag names by commit id, for decorations.
std::map<std::string, std::vector<std::string>> tags_by_commit(const Tree& tree) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, id] : tree.tags()) out[id].push_back(printable(name));
  for (const auto& [name, id] : tree.branches())
    if (id) out[*id].push_back("branch " + printable(name));
  return out;
}

void print_commit(const CommitInfo& c, const std::vector<std::string>& names) {
  std::cout << "commit " << c.id;
  if (!names.empty()) {
    std::cout << " (";
    for (size_t i = 0; i < names.size(); ++i) std::cout << (i ? ", " : "") << names[i];
    std::cout << ")";
  }
  std::cout << "\nDate:   " << utc_time(c.time_ms) << "\n";
  if (!c.parents.empty()) {
    std::cout << "Parent:";
    for (const auto& p : c.parents) std::cout << " " << p;
    std::cout << "\n";
  }
  // A forgotten parent is gone from the history (and its data from the store after prune);
  // log continues with its kept ancestors.
  for (const auto& p : c.forgotten_parents) std::cout << "parent " << p << " (forgotten)\n";
  std::cout << "\n    " << printable(c.message) << "\n";
  if (auto line = stats_line(c); !line.empty()) std::cout << "    (" << line << ")\n";
  std::cout << "\n";
}

// log --key K: the commits that changed one key of a map (docs/data-model.md).
int log_key(const Tree& tree, const ParsedArgs& args, const std::string& start, uint64_t limit) {
  KeyHistoryOptions o;
  o.newest = start;
  o.limit = limit == UINT64_MAX ? 0 : static_cast<size_t>(limit);
  for (const auto& ch : key_history(tree, args.get_or("field", kKvField), *args.get("key"), o)) {
    std::cout << ch.commit.id << " " << utc_time(ch.commit.time_ms) << " " << printable(ch.commit.message)
              << "\n    " << (ch.value ? printable(*ch.value) : std::string("(removed)")) << "\n";
  }
  return kOk;
}

int cmd_log(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "log [REF] [-n N] [--oneline] [--key K [--field F]]");
  auto tree = s.open(true);
  std::string start = !args.positional.empty() ? args.positional[0] : args.get_or("at", "");
  if (start.empty()) {
    if (!tree->head()) return kOk;  // no commits yet
    start = "HEAD";
  }
  uint64_t limit = args.has("max-count") ? parse_uint(*args.get("max-count"), "max-count") : UINT64_MAX;
  if (args.has("key")) return log_key(*tree, args, start, limit);
  auto names = tags_by_commit(*tree);
  uint64_t n = 0;
  for (const auto& c : tree->log(HistoryFilter::up_to(tree->resolve(start)))) {
    if (n++ >= limit) break;
    if (args.has("oneline")) {
      std::cout << c.id << " " << utc_time(c.time_ms) << " " << printable(c.message);
      if (!c.forgotten_parents.empty()) std::cout << " (parent forgotten)";
      std::cout << "\n";
    } else {
      print_commit(c, names[c.id]);
    }
  }
  return kOk;
}

void print_fields(TreeView& view) {
  for (const auto& f : view.fields()) {
    std::cout << "  " << printable(f.name) << " (" << type_name(f.type) << ")";
    switch (f.type) {
      case FieldType::map: std::cout << ": " << view.map(f.name).size() << " entries"; break;
      case FieldType::set: std::cout << ": " << view.set(f.name).size() << " keys"; break;
      case FieldType::list: std::cout << ": " << view.list(f.name).size() << " items"; break;
      case FieldType::value: std::cout << (view.value(f.name).get() ? ": set" : ": empty"); break;
    }
    std::cout << "\n";
  }
}

// One line per changed entry; for folder snapshots, sizes and kinds.
std::string describe_value(const std::string& field, std::string_view key, const std::string& v) {
  if (field == kFilesField) {
    try {
      FileMeta m = decode_file_meta(v, key);
      if (m.type == FileMeta::kDir) return "folder";
      if (m.type == FileMeta::kSymlink) return "symlink -> " + printable(m.target);
      return human_bytes(double(m.size));
    } catch (const Error&) {
    }
  }
  if (is_stream_ref(v)) return "stream";
  return std::to_string(v.size()) + " bytes";
}

// Prints the changes of each user field between two commits; returns the number.
uint64_t print_diff(Tree& tree, const std::string& a, const std::string& b,
                    const std::optional<std::string>& only, size_t max_lines) {
  std::set<std::string> fields;
  if (only) {
    fields.insert(*only);
  } else {
    for (const auto& f : tree.checkout(a)->fields()) fields.insert(f.name);
    for (const auto& f : tree.checkout(b)->fields()) fields.insert(f.name);
    // A snapshot's stream map mirrors its files map: shown only when asked for.
    for (auto it = fields.begin(); it != fields.end();) {
      bool companion = it->size() > 8 && it->ends_with(".streams") &&
                       fields.count(it->substr(0, it->size() - 8));
      it = companion ? fields.erase(it) : std::next(it);
    }
  }
  uint64_t total = 0;
  for (const auto& field : fields) {
    auto entries = tree.diff(field, a, b);
    if (entries.empty()) continue;
    uint64_t added = 0, removed = 0, changed = 0;
    for (const auto& e : entries) {
      if (!e.old_value) ++added;
      else if (!e.new_value) ++removed;
      else ++changed;
    }
    std::cout << printable(field) << ": " << added << " added, " << removed << " removed, " << changed << " changed\n";
    size_t lines = 0;
    for (const auto& e : entries) {
      if (lines++ == max_lines) {
        std::cout << "  ... " << (entries.size() - max_lines) << " more\n";
        break;
      }
      if (!e.old_value) std::cout << "  + " << printable(e.key) << "  (" << describe_value(field, e.key, *e.new_value) << ")\n";
      else if (!e.new_value) std::cout << "  - " << printable(e.key) << "  (" << describe_value(field, e.key, *e.old_value) << ")\n";
      else
        std::cout << "  M " << printable(e.key) << "  (" << describe_value(field, e.key, *e.old_value) << " -> "
                  << describe_value(field, e.key, *e.new_value) << ")\n";
    }
    total += entries.size();
  }
  return total;
}

int cmd_show(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "show [COMMIT]");
  auto tree = s.open(true);
  std::string ref = !args.positional.empty() ? args.positional[0] : args.get_or("at", "HEAD");
  std::string id = tree->resolve(ref);
  CommitInfo c = tree->commit_info(id);
  auto names = tags_by_commit(*tree);
  print_commit(c, names[c.id]);
  auto view = tree->checkout(id);
  std::cout << "Fields:\n";
  print_fields(*view);
  if (!c.parents.empty()) {
    std::cout << "\nChanges against " << c.parents[0] << ":\n";
    if (print_diff(*tree, c.parents[0], id, args.get("field"), 50) == 0) std::cout << "  none\n";
  }
  return kOk;
}

int cmd_diff(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 2, 2, "diff A B [--field F]");
  auto tree = s.open(true);
  std::string a = tree->resolve(args.positional[0]), b = tree->resolve(args.positional[1]);
  if (print_diff(*tree, a, b, args.get("field"), SIZE_MAX) == 0) std::cout << "no differences\n";
  return kOk;
}

// Re-runs the command line `inner` with --at REF and the outer global options.
int cmd_checkout(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "checkout REF [COMMAND [ARGS...]]");
  if (args.rest.empty()) {
    auto tree = s.open(true);
    std::string id = tree->resolve(args.positional[0]);
    auto view = tree->checkout(id);
    std::cout << "read-only view of commit " << id << " (" << printable(view->commit()->message) << ", "
              << utc_time(view->commit()->time_ms) << ")\nFields:\n";
    print_fields(*view);
    std::cout << "\nRun commands on it with `infinitree checkout " << args.positional[0]
              << " COMMAND ...` or `COMMAND --at " << args.positional[0] << "` (ls, get, restore, show, log).\n";
    return kOk;
  }
  const Command* inner = find_command(args.rest[0]);
  if (!inner) throw UsageError("unknown command '" + args.rest[0] + "'");
  bool takes_at = false;
  for (const auto& o : inner->options) takes_at |= (o.name == "at");
  if (!takes_at) throw UsageError("'" + inner->name + "' changes data or takes no --at: not on a checkout");
  std::vector<std::string> argv = args.rest;
  argv.push_back("--at");
  argv.push_back(args.positional[0]);
  for (const auto& g : global_options())
    if (auto v = args.get(g.name)) {
      argv.push_back("--" + g.name);
      if (g.takes_value) argv.push_back(*v);
    }
  return run_command_line(argv);
}

int cmd_tag(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 2, "tag [NAME [REF]] | tag -d NAME");
  if (args.positional.empty()) {
    auto tree = s.open(true);
    for (const auto& [name, id] : tree->tags()) std::cout << printable(name) << " " << id << "\n";
    return kOk;
  }
  auto tree = s.open(false);
  if (args.has("delete")) {
    tree->delete_tag(args.positional[0]);
    return kOk;
  }
  std::string ref = args.positional.size() > 1 ? args.positional[1] : "HEAD";
  tree->create_tag(args.positional[0], tree->resolve(ref));
  return kOk;
}

}  // namespace

void add_history_commands(std::vector<Command>& out) {
  const OptionSpec at{"at", true, 0, "start from this commit, branch or tag"};
  out.push_back({"log", "log [REF] [-n N] [--oneline] [--key K [--field F]]",
                 "list commits, newest first (with --key: those that changed key K, with its value)",
                 {{"max-count", true, 'n', "show at most N commits"},
                  {"oneline", false, 0, "one line per commit"}, at,
                  {"key", true, 0, "only commits that changed this key of the map (default field kv)"},
                  kField},
                 cmd_log});
  out.push_back({"show", "show [COMMIT]", "a commit: metadata, fields, and changes against its parent",
                 {{"at", true, 0, "the commit to show"}, kField}, cmd_show});
  out.push_back({"diff", "diff A B [--field F]", "entries added, removed and changed from A to B",
                 {kField}, cmd_diff});
  out.push_back({"checkout", "checkout REF [COMMAND [ARGS...]]",
                 "a read-only view of a commit; runs COMMAND (ls, get, restore, show, log) on it",
                 {}, cmd_checkout});
  out.push_back({"tag", "tag [NAME [REF]] | tag -d NAME", "list, create or delete tags",
                 {{"delete", false, 'd', "delete the tag"}}, cmd_tag});
}

}  // namespace infinitree::cli
