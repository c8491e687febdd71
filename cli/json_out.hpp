// --json: machine-readable results on stdout, one JSON document per command (schema in
// docs/cli.md, "JSON output"), built with nlohmann-json rather than by hand, so quoting and
// escaping are always right. Text from the tree is not always UTF-8: such strings are
// written with U+FFFD for the bad bytes, plus a "<name>_hex" member holding the exact bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "infinitree/tree.hpp"

namespace infinitree::cli {

using Json = nlohmann::ordered_json;

// Whether the command line asked for JSON (--json or INFINITREE_JSON=1).
bool json_wanted(const ParsedArgs& args);

// Prints `doc` on stdout as one line.
void print_json(const Json& doc);

// Sets obj[name] to `bytes`, and obj[name + "_hex"] too when they are not valid UTF-8.
void set_text(Json& obj, const std::string& name, std::string_view bytes);

// A commit: id, short_id, parents, time (ISO 8601 UTC) and time_ms, message, branch,
// sequence, forgotten_parents, names (tags and branches pointing at it, when given), and
// stats (what the CLI recorded about it; null for commits made by other programs).
Json commit_json(const CommitInfo& c, const std::vector<std::string>& names = {});

// "2026-11-28T08:55:01.123Z"
std::string iso_time(int64_t ms_since_epoch);

}  // namespace infinitree::cli
