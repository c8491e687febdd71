// Key history over the first-parent history. Each commit is compared with its parent:
// - one key: a point lookup in both. Consecutive commits share every node their changes did
//   not touch, and the node cache is keyed by chunk, so a lookup reads only the nodes on
//   the key's path that differ from the previous commit's: the descent stops being a read
//   exactly where the two versions' subtrees are the same.
// - a range: Tree::diff between the two, which skips every subtree whose chunk pointer is
//   the same in both without reading it, keeping the keys inside the range.
#include "infinitree/history.hpp"

#include <algorithm>

namespace infinitree {

namespace {

// newest .. oldest (the first in_range commits), then the oldest's parent if it has one.
struct Span {
  std::vector<CommitInfo> commits;
  size_t in_range = 0;
};

Span span_of(const Tree& tree, const KeyHistoryOptions& o) {
  Span s;
  std::string newest;
  if (o.newest.empty()) {
    auto head = tree.head();
    if (!head) return s;  // no commits yet: no history
    newest = head->id;
  } else {
    newest = tree.resolve(o.newest);
  }
  s.commits = tree.log(HistoryFilter::up_to(newest));
  s.in_range = s.commits.size();
  if (!o.oldest.empty()) {
    std::string oldest = tree.resolve(o.oldest);
    auto it = std::find_if(s.commits.begin(), s.commits.end(),
                           [&](const CommitInfo& c) { return c.id == oldest; });
    if (it == s.commits.end())
      throw Error(Errc::invalid_argument,
                  "commit " + oldest + " is not a first-parent ancestor of " + newest);
    s.in_range = static_cast<size_t>(it - s.commits.begin()) + 1;
    s.commits.resize(std::min(s.commits.size(), s.in_range + 1));
  }
  return s;
}

bool full(const std::vector<KeyChange>& out, const KeyHistoryOptions& o) {
  return o.limit && out.size() >= o.limit;
}

}  // namespace

std::vector<KeyChange> key_history(const Tree& tree, std::string_view field, std::string_view key,
                                   const KeyHistoryOptions& options) {
  Span s = span_of(tree, options);
  auto value_at = [&](const CommitInfo& c) -> std::optional<std::string> {
    auto v = tree.checkout(c.id);
    if (!v->has_field(field)) return std::nullopt;
    return v->map(field).get(key);
  };
  std::vector<KeyChange> out;
  std::optional<std::string> cur;
  if (s.in_range) cur = value_at(s.commits[0]);
  for (size_t i = 0; i < s.in_range && !full(out, options); ++i) {
    std::optional<std::string> parent;
    if (i + 1 < s.commits.size()) parent = value_at(s.commits[i + 1]);
    if (cur != parent) out.push_back({s.commits[i], std::string(key), cur});
    cur = std::move(parent);
  }
  return out;
}

std::vector<KeyChange> range_history(const Tree& tree, std::string_view field, std::string_view from,
                                     std::string_view to, const KeyHistoryOptions& options) {
  Span s = span_of(tree, options);
  auto inside = [&](std::string_view k) { return k >= from && (to.empty() || k < to); };
  std::vector<KeyChange> out;
  for (size_t i = 0; i < s.in_range && !full(out, options); ++i) {
    const CommitInfo& c = s.commits[i];
    if (i + 1 < s.commits.size()) {
      for (auto& d : tree.diff(field, s.commits[i + 1].id, c.id)) {
        if (full(out, options)) break;
        if (inside(d.key)) out.push_back({c, std::move(d.key), std::move(d.new_value)});
      }
      continue;
    }
    // The root commit: everything it has in the range is a change.
    auto v = tree.checkout(c.id);
    if (!v->has_field(field)) continue;
    v->map(field).scan(from, to, [&](std::string_view k, std::string_view val) {
      if (full(out, options)) return false;
      out.push_back({c, std::string(k), std::string(val)});
      return true;
    });
  }
  return out;
}

}  // namespace infinitree
