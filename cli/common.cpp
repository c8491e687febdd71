#include "infinitree/bounded_unpack.hpp"
#include "common.hpp"
#include "refs.hpp"

#include <msgpack.hpp>

namespace infinitree::cli {

namespace {
struct CommitStatsWire {
  int v = 1;
  std::string kind;
  uint64_t files = 0, logical = 0, read = 0, fresh = 0, stored = 0;
  // Added later: a map leaves them empty when decoding commits made before.
  std::string path, host;
  std::vector<std::string> tags;
  MSGPACK_DEFINE_MAP(v, kind, files, logical, read, fresh, stored, path, host, tags)
};
// The custom bytes start with this tag, so other writers' custom data is left alone.
constexpr std::string_view kTag = "itcli1";
}  // namespace

std::string encode_commit_stats(const CommitStats& s) {
  CommitStatsWire w;
  w.kind = s.kind;
  w.files = s.files;
  w.logical = s.logical;
  w.read = s.read;
  w.fresh = s.fresh;
  w.stored = s.stored;
  w.path = s.path;
  w.host = s.host;
  w.tags = s.tags;
  msgpack::sbuffer buf;
  msgpack::pack(buf, w);
  return std::string(kTag) + std::string(buf.data(), buf.size());
}

std::optional<CommitStats> decode_commit_stats(std::string_view custom) {
  if (custom.substr(0, kTag.size()) != kTag) return std::nullopt;
  custom.remove_prefix(kTag.size());
  try {
    // Bounded: a commit's custom bytes come from the store (msgpack's defaults let a few
    // bytes ask for gigabytes).
    auto oh = infinitree::bounded_unpack_all(custom.data(), custom.size(), {.max_depth = 4});
    CommitStatsWire w;
    oh.get().convert(w);
    return CommitStats{w.kind, w.files, w.logical, w.read, w.fresh, w.stored, w.path, w.host, w.tags};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void expect_positionals(const ParsedArgs& args, size_t min, size_t max, const char* synopsis) {
  if (args.positional.size() < min || args.positional.size() > max)
    throw UsageError(std::string("usage: infinitree ") + synopsis);
}

TreeView& view_at(Tree& tree, const ParsedArgs& args, std::unique_ptr<TreeView>& holder) {
  auto at = args.get("at");
  if (!at) {
    if (const char* env = std::getenv("INFINITREE_AT"); env && *env) at = env;
  }
  if (!at) return tree;
  holder = tree.checkout(resolve_ref(tree, *at));
  return *holder;
}

Map read_map(TreeView& view, const std::string& field) {
  if (!view.read_only() || view.has_field(field)) return view.map(field);
  throw Error(Errc::not_found, "this version has no field '" + field + "'");
}

bool chatty(const ParsedArgs& args) { return !args.has("quiet"); }

}  // namespace infinitree::cli
