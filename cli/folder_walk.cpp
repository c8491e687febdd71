#include "folder_walk.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {

void walk_dir(const std::string& rel, const std::string& path, std::vector<WalkEntry>& out,
              const std::function<bool(const WalkEntry&)>& skip,
              const std::function<void(const std::string&)>& warn,
              const std::function<void(const std::string&)>& ignored) {
  DIR* d = ::opendir(path.c_str());
  if (!d) {
    warn("cannot read folder " + path + ": " + std::strerror(errno));
    return;
  }
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    names.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    WalkEntry w;
    w.rel = rel == "." ? name : rel + "/" + name;
    w.path = path + "/" + name;
    if (::lstat(w.path.c_str(), &w.st) != 0) {
      warn("cannot stat " + w.path + ": " + std::strerror(errno));
      continue;
    }
    if (skip && skip(w)) continue;
    if (S_ISDIR(w.st.st_mode)) {
      out.push_back(w);
      walk_dir(w.rel, w.path, out, skip, warn, ignored);  // w, not out.back(): out grows inside
    } else if (S_ISREG(w.st.st_mode) || S_ISLNK(w.st.st_mode)) {
      out.push_back(std::move(w));
    } else {
      ignored("ignoring " + w.path + ": not a regular file, folder or symlink");
    }
  }
}

}  // namespace

std::vector<WalkEntry> walk_folder(const std::string& root,
                                   const std::function<bool(const WalkEntry&)>& skip,
                                   const std::function<void(const std::string&)>& warn,
                                   const std::function<void(const std::string&)>& ignored) {
  WalkEntry top;
  top.rel = ".";
  top.path = root;
  if (::stat(root.c_str(), &top.st) != 0) {
    int err = errno;
    throw Error(err == ENOENT ? Errc::not_found : errc_from_errno(err),
                "cannot read " + root + ": " + std::strerror(err));
  }
  if (!S_ISDIR(top.st.st_mode)) throw Error(Errc::invalid_argument, root + " is not a folder");
  std::vector<WalkEntry> out;
  out.push_back(top);
  walk_dir(".", root, out, skip, warn, ignored);
  return out;
}

}  // namespace infinitree::cli
