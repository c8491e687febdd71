// log, show, diff, checkout, tag: reading the history of a tree (refs.hpp: the ways of
// naming commits). Each prints text, or one JSON document with --json (json_out.hpp).
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
#include "json_out.hpp"
#include "printable.hpp"
#include "refs.hpp"
#include "short_id.hpp"

namespace infinitree::cli {

namespace {

const OptionSpec kField{"field", true, 0, "only this field"};

std::string stats_line(const CommitInfo& c) {
  auto st = decode_commit_stats(c.custom);
  if (!st || (st->kind != "store" && st->kind != "put")) return {};
  std::string line = st->kind + ": ";
  if (st->kind == "store") line += std::to_string(st->files) + " files, ";
  line += human_bytes(double(st->logical)) + ", read " + human_bytes(double(st->read)) + ", new " +
          human_bytes(double(st->fresh)) + ", stored " + human_bytes(double(st->stored));
  return line;
}

// Tag and branch names by commit id, as stored (escaped where printed as text).
std::map<std::string, std::vector<std::string>> tags_by_commit(const Tree& tree) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, id] : tree.tags()) out[id].push_back(name);
  for (const auto& [name, id] : tree.branches())
    if (id) out[*id].push_back("branch " + name);
  return out;
}

void print_commit(const CommitInfo& c, const std::vector<std::string>& names) {
  std::cout << "commit " << c.id;
  if (!names.empty()) {
    std::cout << " (";
    for (size_t i = 0; i < names.size(); ++i) std::cout << (i ? ", " : "") << printable(names[i]);
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
  const bool json = json_wanted(args);
  Json list = Json::array();
  for (const auto& ch : key_history(tree, args.get_or("field", kKvField), *args.get("key"), o)) {
    if (json) {
      Json j{{"commit", commit_json(ch.commit)}};
      if (ch.value) set_text(j, "value", *ch.value);
      else j["value"] = nullptr;
      list.push_back(std::move(j));
      continue;
    }
    std::cout << ch.commit.id << " " << utc_time(ch.commit.time_ms) << " " << printable(ch.commit.message)
              << "\n    " << (ch.value ? printable(*ch.value) : std::string("(removed)")) << "\n";
  }
  if (json) print_json(list);
  return kOk;
}

// The commits `log SPEC` lists, newest first. SPEC is a REF (it and its ancestors) or A..B:
// B's history without A's, as git shows it (along first parents).
std::vector<CommitInfo> commits_of(const Tree& tree, const std::string& spec) {
  if (auto range = split_range(spec)) {
    auto history = tree.log(HistoryFilter::up_to(resolve_ref(tree, range->to.empty() ? "HEAD" : range->to)));
    std::set<std::string> excluded;
    for (const auto& c : tree.log(HistoryFilter::up_to(resolve_ref(tree, range->from.empty() ? "HEAD" : range->from))))
      excluded.insert(c.id);
    std::erase_if(history, [&](const CommitInfo& c) { return excluded.count(c.id) != 0; });
    return history;
  }
  return tree.log(HistoryFilter::up_to(resolve_ref(tree, spec)));
}

int cmd_log(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "log [REF | A..B] [-n N] [--oneline] [--key K [--field F]]");
  auto tree = s.open(true);
  const bool json = json_wanted(args);
  std::string spec = !args.positional.empty() ? args.positional[0] : args.get_or("at", "");
  if (spec.empty()) {
    if (!tree->head()) {  // no commits yet
      if (json) print_json(Json::array());
      return kOk;
    }
    spec = "HEAD";
  }
  uint64_t limit = args.has("max-count") ? parse_uint(*args.get("max-count"), "max-count") : UINT64_MAX;
  if (args.has("key")) return log_key(*tree, args, resolve_ref(*tree, spec), limit);
  auto names = tags_by_commit(*tree);
  auto commits = commits_of(*tree, spec);
  if (commits.size() > limit) commits.resize(limit);
  if (json) {
    Json list = Json::array();
    for (const auto& c : commits) list.push_back(commit_json(c, names[c.id]));
    print_json(list);
    return kOk;
  }
  for (const auto& c : commits) {
    if (args.has("oneline")) {
      std::cout << short_id(c.id) << " " << utc_time(c.time_ms) << " " << printable(c.message);
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
    std::cout << "  " << printable(f.name) << " (" << to_string(f.type) << ")";
    switch (f.type) {
      case FieldType::map: std::cout << ": " << view.map(f.name).size() << " entries"; break;
      case FieldType::set: std::cout << ": " << view.set(f.name).size() << " keys"; break;
      case FieldType::list: std::cout << ": " << view.list(f.name).size() << " items"; break;
      case FieldType::value: std::cout << (view.value(f.name).get() ? ": set" : ": empty"); break;
    }
    std::cout << "\n";
  }
}

// [{"name", "type", "size"}] (size: entries, keys or items; for a value, 1 if set, else 0).
Json fields_json(TreeView& view) {
  Json list = Json::array();
  for (const auto& f : view.fields()) {
    Json j;
    set_text(j, "name", f.name);
    j["type"] = to_string(f.type);
    switch (f.type) {
      case FieldType::map: j["size"] = view.map(f.name).size(); break;
      case FieldType::set: j["size"] = view.set(f.name).size(); break;
      case FieldType::list: j["size"] = view.list(f.name).size(); break;
      case FieldType::value: j["size"] = view.value(f.name).get() ? 1 : 0; break;
    }
    list.push_back(std::move(j));
  }
  return list;
}

// What a value of `field` is: for folder snapshots the kind and size of the entry.
struct ValueDesc {
  std::string kind;  // "file", "folder", "symlink", "stream", "value"
  uint64_t size = 0;
  std::string target;  // symlink
};

ValueDesc describe(const std::string& field, std::string_view key, const std::string& v) {
  if (field == kFilesField) {
    try {
      FileMeta m = decode_file_meta(v, key);
      if (m.type == FileMeta::kDir) return {"folder", 0, {}};
      if (m.type == FileMeta::kSymlink) return {"symlink", 0, m.target};
      return {"file", m.size, {}};
    } catch (const Error&) {
    }
  }
  if (is_stream_ref(v)) return {"stream", 0, {}};
  return {"value", v.size(), {}};
}

std::string describe_text(const ValueDesc& d) {
  if (d.kind == "folder" || d.kind == "stream") return d.kind;
  if (d.kind == "symlink") return "symlink -> " + printable(d.target);
  if (d.kind == "file") return human_bytes(double(d.size));
  return std::to_string(d.size) + " bytes";
}

Json describe_json(const ValueDesc& d) {
  Json j{{"kind", d.kind}};
  if (d.kind == "file" || d.kind == "value") j["size"] = d.size;
  if (d.kind == "symlink") set_text(j, "target", d.target);
  return j;
}

struct FieldChanges {
  std::string field;
  std::vector<DiffEntry> entries;
  uint64_t added = 0, removed = 0, changed = 0;
};

// The changes of each user field between two commits (fields without changes left out).
std::vector<FieldChanges> changes_between(Tree& tree, const std::string& a, const std::string& b,
                                          const std::optional<std::string>& only) {
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
  std::vector<FieldChanges> out;
  for (const auto& field : fields) {
    FieldChanges fc{field, tree.diff(field, a, b)};
    if (fc.entries.empty()) continue;
    for (const auto& e : fc.entries) {
      if (!e.old_value) ++fc.added;
      else if (!e.new_value) ++fc.removed;
      else ++fc.changed;
    }
    out.push_back(std::move(fc));
  }
  return out;
}

void print_changes(const std::vector<FieldChanges>& changes, size_t max_lines) {
  for (const auto& fc : changes) {
    const std::string& field = fc.field;
    std::cout << printable(field) << ": " << fc.added << " added, " << fc.removed << " removed, " << fc.changed
              << " changed\n";
    size_t lines = 0;
    for (const auto& e : fc.entries) {
      if (lines++ == max_lines) {
        std::cout << "  ... " << (fc.entries.size() - max_lines) << " more\n";
        break;
      }
      if (!e.old_value)
        std::cout << "  + " << printable(e.key) << "  (" << describe_text(describe(field, e.key, *e.new_value)) << ")\n";
      else if (!e.new_value)
        std::cout << "  - " << printable(e.key) << "  (" << describe_text(describe(field, e.key, *e.old_value)) << ")\n";
      else
        std::cout << "  M " << printable(e.key) << "  (" << describe_text(describe(field, e.key, *e.old_value))
                  << " -> " << describe_text(describe(field, e.key, *e.new_value)) << ")\n";
    }
  }
}

// [{"field", "added", "removed", "changed", "entries": [{"change", "key", "old", "new"}],
//   "truncated"}]; "old"/"new" describe the value (null when absent).
Json changes_json(const std::vector<FieldChanges>& changes, size_t max_entries) {
  Json list = Json::array();
  for (const auto& fc : changes) {
    Json f;
    set_text(f, "field", fc.field);
    f["added"] = fc.added;
    f["removed"] = fc.removed;
    f["changed"] = fc.changed;
    Json entries = Json::array();
    for (const auto& e : fc.entries) {
      if (entries.size() == max_entries) break;
      Json j{{"change", !e.old_value ? "added" : !e.new_value ? "removed" : "changed"}};
      set_text(j, "key", e.key);
      j["old"] = e.old_value ? describe_json(describe(fc.field, e.key, *e.old_value)) : Json(nullptr);
      j["new"] = e.new_value ? describe_json(describe(fc.field, e.key, *e.new_value)) : Json(nullptr);
      entries.push_back(std::move(j));
    }
    f["truncated"] = entries.size() < fc.entries.size();
    f["entries"] = std::move(entries);
    list.push_back(std::move(f));
  }
  return list;
}

int cmd_show(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "show [COMMIT]");
  auto tree = s.open(true);
  std::string ref = !args.positional.empty() ? args.positional[0] : args.get_or("at", "HEAD");
  std::string id = resolve_ref(*tree, ref);
  CommitInfo c = tree->commit_info(id);
  auto names = tags_by_commit(*tree);
  auto view = tree->checkout(id);
  std::vector<FieldChanges> changes;
  if (!c.parents.empty()) changes = changes_between(*tree, c.parents[0], id, args.get("field"));
  if (json_wanted(args)) {
    print_json(Json{{"commit", commit_json(c, names[c.id])},
                    {"fields", fields_json(*view)},
                    {"changes", c.parents.empty() ? Json(nullptr) : changes_json(changes, 50)}});
    return kOk;
  }
  print_commit(c, names[c.id]);
  std::cout << "Fields:\n";
  print_fields(*view);
  if (!c.parents.empty()) {
    std::cout << "\nChanges against " << c.parents[0] << ":\n";
    if (changes.empty()) std::cout << "  none\n";
    print_changes(changes, 50);
  }
  return kOk;
}

int cmd_diff(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 2, "diff A B | diff A..B [--field F]");
  std::string from, to;
  if (args.positional.size() == 2) {
    from = args.positional[0];
    to = args.positional[1];
  } else if (auto range = split_range(args.positional[0])) {
    from = range->from.empty() ? "HEAD" : range->from;
    to = range->to.empty() ? "HEAD" : range->to;
  } else {
    throw UsageError("usage: infinitree diff A B | diff A..B [--field F]");
  }
  auto tree = s.open(true);
  std::string a = resolve_ref(*tree, from), b = resolve_ref(*tree, to);
  auto changes = changes_between(*tree, a, b, args.get("field"));
  if (json_wanted(args)) {
    print_json(Json{{"from", a}, {"to", b}, {"fields", changes_json(changes, SIZE_MAX)}});
    return kOk;
  }
  if (changes.empty()) std::cout << "no differences\n";
  print_changes(changes, SIZE_MAX);
  return kOk;
}

// Re-runs the command line `inner` with --at REF and the outer global options.
int cmd_checkout(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "checkout REF [COMMAND [ARGS...]]");
  if (args.rest.empty()) {
    auto tree = s.open(true);
    std::string id = resolve_ref(*tree, args.positional[0]);
    auto view = tree->checkout(id);
    if (json_wanted(args)) {
      print_json(Json{{"commit", commit_json(*view->commit(), tags_by_commit(*tree)[id])},
                      {"fields", fields_json(*view)}});
      return kOk;
    }
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
  const bool json = json_wanted(args);
  if (args.positional.empty()) {
    if (args.has("delete")) throw UsageError("usage: infinitree tag -d NAME");
    auto tree = s.open(true);
    Json list = Json::array();
    for (const auto& [name, id] : tree->tags()) {
      if (!json) {
        std::cout << printable(name) << " " << id << "\n";
        continue;
      }
      Json j;
      set_text(j, "name", name);
      j["commit"] = id;
      list.push_back(std::move(j));
    }
    if (json) print_json(list);
    return kOk;
  }
  auto tree = s.open(false);
  Json j;
  set_text(j, "name", args.positional[0]);
  if (args.has("delete")) {
    if (args.positional.size() > 1) throw UsageError("usage: infinitree tag -d NAME");
    tree->delete_tag(args.positional[0]);
    j["deleted"] = true;
  } else {
    std::string ref = args.positional.size() > 1 ? args.positional[1] : "HEAD";
    std::string id = resolve_ref(*tree, ref);
    tree->create_tag(args.positional[0], id);
    j["commit"] = id;
  }
  if (json) print_json(j);
  return kOk;
}

}  // namespace

void add_history_commands(std::vector<Command>& out) {
  const OptionSpec at{"at", true, 0, "start from this commit, branch or tag"};
  out.push_back({"log", "log [REF | A..B] [-n N] [--oneline] [--key K [--field F]]",
                 "list commits, newest first (A..B: B's not in A's history; with --key: those that changed "
                 "key K, with its value)",
                 {{"max-count", true, 'n', "show at most N commits"},
                  {"oneline", false, 0, "one line per commit, with a short id"}, at,
                  {"key", true, 0, "only commits that changed this key of the map (default field kv)"},
                  kField},
                 cmd_log});
  out.push_back({"show", "show [COMMIT]", "a commit: metadata, fields, and changes against its parent",
                 {{"at", true, 0, "the commit to show"}, kField}, cmd_show});
  out.push_back({"diff", "diff A B | diff A..B [--field F]", "entries added, removed and changed from A to B",
                 {kField}, cmd_diff});
  out.push_back({"checkout", "checkout REF [COMMAND [ARGS...]]",
                 "a read-only view of a commit; runs COMMAND (ls, get, restore, show, log) on it",
                 {}, cmd_checkout});
  out.push_back({"tag", "tag [NAME [REF]] | tag -d NAME", "list, create or delete tags",
                 {{"delete", false, 'd', "delete the tag"}}, cmd_tag});
}

}  // namespace infinitree::cli
