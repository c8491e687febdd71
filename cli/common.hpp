// Helpers shared by the commands: field names, the per-commit statistics the CLI records
// in each commit's custom bytes, positional-argument checks, and views at --at REF.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "infinitree/tree.hpp"

namespace infinitree::cli {

// put/get/del/ls work on this map unless --field says otherwise.
inline constexpr const char* kKvField = "kv";
// store/restore keep a folder snapshot in this map unless --field says otherwise.
inline constexpr const char* kFilesField = "files";

// What a commit made by the CLI stored, kept (msgpack) in the commit's custom bytes, so
// `stats` can compute a dedup ratio over the history without reading any data.
struct CommitStats {
  std::string kind;        // "put", "store", "checkpoint" (during a store), "del", "commit"
  uint64_t files = 0;      // entries in the snapshot (store)
  uint64_t logical = 0;    // bytes the commit represents (whole snapshot for store)
  uint64_t read = 0;       // bytes read and chunked (unchanged files are not re-read)
  uint64_t fresh = 0;      // plaintext bytes of new chunks (not deduplicated)
  uint64_t stored = 0;     // those bytes after compression and sealing
  // store only: the folder, the host it was on and the --tag values (for `snapshots`).
  std::string path, host;
  std::vector<std::string> tags;
};
std::string encode_commit_stats(const CommitStats& s);
// nullopt if the custom bytes were not written by the CLI.
std::optional<CommitStats> decode_commit_stats(std::string_view custom);

// Throws UsageError unless there are between min and max positionals.
void expect_positionals(const ParsedArgs& args, size_t min, size_t max, const char* synopsis);

// The version named by --at (a checkout: read-only) or the tree's working state.
// `holder` keeps a checkout alive for as long as the returned reference is used.
TreeView& view_at(Tree& tree, const ParsedArgs& args, std::unique_ptr<TreeView>& holder);

// A map to read in `view`; not_found if a past version did not have it.
Map read_map(TreeView& view, const std::string& field);

// Whether the commands print summaries on stderr.
bool chatty(const ParsedArgs& args);

}  // namespace infinitree::cli
