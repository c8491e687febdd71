#include "refs.hpp"

#include <charconv>

#include "args.hpp"

namespace infinitree::cli {

namespace {

// The number after ~ or ^ at text[pos] (none: 1). Advances pos past it.
uint64_t suffix_count(std::string_view text, size_t& pos) {
  size_t end = pos;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == pos) return 1;
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data() + pos, text.data() + end, n);
  if (ec != std::errc() || p != text.data() + end)
    throw UsageError("bad number in '" + std::string(text) + "'");
  pos = end;
  return n;
}

CommitId nth_ancestor(const Tree& tree, const CommitId& id, uint64_t n, std::string_view ref) {
  if (n == 0) return id;
  // log() follows first parents and walks past forgotten ones, as the history shows them.
  auto history = tree.log(HistoryFilter::up_to(id));
  if (n >= history.size())
    throw Error(Errc::not_found, "'" + std::string(ref) + "': the history has only " +
                                     std::to_string(history.size()) + " commit(s) there");
  return history[n].id;
}

CommitId nth_parent(const Tree& tree, const CommitId& id, uint64_t n, std::string_view ref) {
  if (n == 0) return id;
  if (n == 1) return nth_ancestor(tree, id, 1, ref);
  CommitInfo c = tree.commit_info(id);
  if (n > c.parents.size())
    throw Error(Errc::not_found, "'" + std::string(ref) + "': commit " + id + " has " +
                                     std::to_string(c.parents.size()) + " parent(s)");
  return c.parents[n - 1];
}

}  // namespace

CommitId resolve_ref(const Tree& tree, std::string_view ref) {
  size_t cut = ref.find_first_of("~^");
  if (cut == std::string_view::npos) return tree.resolve(ref);
  try {
    return tree.resolve(ref);  // a branch or tag named with ~ or ^
  } catch (const Error& e) {
    if (e.code() != Errc::not_found) throw;
  }
  CommitId id = tree.resolve(ref.substr(0, cut).empty() ? "HEAD" : ref.substr(0, cut));
  size_t pos = cut;
  while (pos < ref.size()) {
    char op = ref[pos++];
    if (op != '~' && op != '^') throw UsageError("bad revision '" + std::string(ref) + "' (REF~N or REF^N)");
    uint64_t n = suffix_count(ref, pos);
    id = op == '~' ? nth_ancestor(tree, id, n, ref) : nth_parent(tree, id, n, ref);
  }
  return id;
}

std::optional<RefRange> split_range(std::string_view text) {
  size_t dots = text.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  RefRange r{std::string(text.substr(0, dots)), std::string(text.substr(dots + 2))};
  if (r.to.find("..") != std::string::npos) throw UsageError("bad range '" + std::string(text) + "' (A..B)");
  return r;
}

}  // namespace infinitree::cli
