// export, import: a map field as a JSON document (infinitree/json.hpp, docs/data-model.md
// "JSON"). Both stream: export writes as it walks the map, import stores as it parses stdin,
// so neither holds the document in memory.
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "infinitree/json.hpp"
#include "json_out.hpp"
#include "printable.hpp"

namespace infinitree::cli {

namespace {

const OptionSpec kAt{"at", true, 0, "export the version at this commit, branch or tag"};
const OptionSpec kMessage{"message", true, 'm', "commit message (default: import FIELD)"};

void flush_stdout() {
  std::cout.flush();
  if (!std::cout) throw Error(Errc::io, "cannot write to stdout");
}

// A field whose entries are not a document gets its name in the message.
void export_field(const Map& map, const std::string& field) {
  try {
    export_json(map, "", std::cout);
  } catch (const Error& e) {
    if (e.code() == Errc::not_found)
      throw Error(Errc::not_found, "field '" + printable(field) + "' is empty: no document to export");
    if (e.code() == Errc::invalid_argument)
      throw Error(Errc::invalid_argument,
                  "field '" + printable(field) + "' does not hold a JSON document: " + e.what());
    throw;
  }
}

// `export FIELD`: that map's document. `export`: every non-empty map field of the version,
// as one object whose members are the field names, in name order.
int cmd_export(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 0, 1, "export [--at REF] [FIELD]");
  if (json_wanted(args)) throw UsageError("export writes JSON already: --json does not apply");
  auto tree = s.open(true);
  std::unique_ptr<TreeView> holder;
  TreeView& view = view_at(*tree, args, holder);
  if (!args.positional.empty()) {
    const std::string& field = args.positional[0];
    export_field(read_map(view, field), field);
    std::cout << "\n";
    flush_stdout();
    return kOk;
  }
  std::cout << "{";
  bool first = true;
  for (const auto& f : view.fields()) {
    if (f.type != FieldType::map) continue;
    Map map = view.map(f.name);
    if (map.size() == 0) continue;
    if (!first) std::cout << ",";
    first = false;
    // nlohmann-json escapes the name (and refuses a name that is not UTF-8).
    std::cout << Json(f.name).dump() << ":";
    export_field(map, f.name);
  }
  std::cout << "}\n";
  flush_stdout();
  return kOk;
}

// `import FIELD < doc.json`: replaces the map's content with the document, then commits.
// Text that is not JSON stops it before the commit, so the tree is unchanged.
int cmd_import(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "import FIELD [-m MSG] < file.json");
  const std::string& field = args.positional[0];
  auto tree = s.open(false);
  Map map = tree->map(field);
  uint64_t entries = 0;
  try {
    entries = import_json(map, "", std::cin);
  } catch (const Error& e) {
    if (e.code() == Errc::invalid_argument)
      throw Error(Errc::invalid_argument, std::string("stdin is not a JSON document (nothing was imported): ") + e.what());
    throw;
  }
  CommitStats stats{"import"};
  auto info = tree->commit(args.get_or("message", "import " + field), encode_commit_stats(stats));
  if (json_wanted(args)) {
    print_json(Json{{"entries", entries}, {"commit", info ? commit_json(*info) : Json(nullptr)}});
  } else if (info) {
    std::cout << info->id << "\n";
  }
  if (chatty(args))
    std::cerr << "imported " << entries << " entries into '" << printable(field) << "'"
              << (info ? ", committed " + info->id : std::string(", nothing changed")) << "\n";
  return kOk;
}

}  // namespace

void add_json_commands(std::vector<Command>& out) {
  out.push_back({"export", "export [--at REF] [FIELD] > file.json",
                 "print a map field (default: every map field, by name) as JSON",
                 {kAt}, cmd_export});
  out.push_back({"import", "import FIELD [-m MSG] < file.json",
                 "replace a map field's content with the JSON document on stdin (then commit)",
                 {kMessage}, cmd_import});
}

}  // namespace infinitree::cli
