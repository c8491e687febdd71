#include "find.hpp"

#include <optional>

#include "path_filter.hpp"

namespace infinitree::cli {

namespace {

bool wanted(const FindOptions& o, const std::string& path) {
  if (path == ".") return false;  // the stored folder itself
  for (const auto& p : o.patterns)
    if (pattern_matches(p, path)) return true;
  return false;
}

// Sets (or removes, for nullopt) one entry of `matches` if its path is wanted.
void apply(const FindOptions& o, FindMatches& matches, const std::string& path,
           const std::optional<std::string>& value) {
  if (!wanted(o, path)) return;
  if (value) matches[path] = decode_file_meta(*value, path);
  else matches.erase(path);
}

}  // namespace

void find_in_commits(const Tree& tree, const std::vector<CommitInfo>& commits, const FindOptions& options,
                     const std::function<void(const CommitInfo&, const FindMatches&)>& fn) {
  if (commits.empty()) return;
  FindMatches matches;
  {
    auto view = tree.checkout(commits.front().id);
    if (view->has_field(options.field))
      view->map(options.field).scan({}, {}, [&](std::string_view key, std::string_view value) {
        apply(options, matches, std::string(key), std::string(value));
        return true;
      });
  }
  for (size_t i = 0; i < commits.size(); ++i) {
    std::vector<DiffEntry> changes;
    const bool last = i + 1 == commits.size();
    if (!last) changes = tree.diff(options.field, commits[i].id, commits[i + 1].id);
    if (last || !options.skip_repeats || !changes.empty()) fn(commits[i], matches);
    // From commit i to commit i+1: new_value is what i+1 holds.
    for (const auto& c : changes) apply(options, matches, c.key, c.new_value);
  }
}

std::string mode_string(const FileMeta& m) {
  std::string s = m.type == FileMeta::kDir ? "d" : m.type == FileMeta::kSymlink ? "l" : "-";
  const char* rwx = "rwx";
  for (int who = 0; who < 3; ++who)
    for (int bit = 0; bit < 3; ++bit) s += (m.mode >> (8 - 3 * who - bit)) & 1 ? rwx[bit] : '-';
  auto special = [&](uint32_t flag, size_t pos, char on_x, char off_x) {
    if (m.mode & flag) s[pos] = s[pos] == 'x' ? on_x : off_x;
  };
  special(04000, 3, 's', 'S');
  special(02000, 6, 's', 'S');
  special(01000, 9, 't', 'T');
  return s;
}

}  // namespace infinitree::cli
