#include "path_filter.hpp"

#include <fnmatch.h>

#include "args.hpp"

namespace infinitree::cli {

std::string clean_pattern(std::string pattern, const std::string& option) {
  while (!pattern.empty() && (pattern.back() == '\r' || pattern.back() == ' ')) pattern.pop_back();
  if (pattern.empty()) throw UsageError("an empty " + option + " pattern");
  return pattern;
}

bool pattern_matches(const std::string& pattern, const std::string& rel) {
  if (pattern.find('/') == std::string::npos) {
    const size_t slash = rel.rfind('/');
    const char* name = rel.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    return ::fnmatch(pattern.c_str(), name, 0) == 0;
  }
  const char* anchored = pattern.c_str() + (pattern[0] == '/' ? 1 : 0);
  return ::fnmatch(anchored, rel.c_str(), 0) == 0;
}

bool PathFilter::matches_path_or_parent(const std::vector<std::string>& patterns, const std::string& rel) {
  for (const auto& p : patterns) {
    if (pattern_matches(p, rel)) return true;
    for (const auto& parent : parent_folders(rel))
      if (pattern_matches(p, parent)) return true;
  }
  return false;
}

bool PathFilter::selected(const std::string& rel) const {
  if (matches_path_or_parent(excludes_, rel)) return false;
  return includes_.empty() || matches_path_or_parent(includes_, rel);
}

std::vector<std::string> parent_folders(const std::string& rel) {
  std::vector<std::string> out;
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1))
    out.push_back(rel.substr(0, slash));
  return out;
}

}  // namespace infinitree::cli
