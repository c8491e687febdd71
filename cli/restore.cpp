#include "restore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "beneath.hpp"
#include "file_meta.hpp"
#include "printable.hpp"
#include "progress.hpp"
#include "snapshot.hpp"
#include "stream_io.hpp"
#include "util/parallel_for.hpp"

namespace infinitree::cli {

namespace {

struct Item {
  std::string rel;    // the snapshot key
  std::string shown;  // DEST/rel, escaped, for messages
  FileMeta meta;
};

[[noreturn]] void fail_errno(const std::string& what) {
  int err = errno;
  throw Error(errc_from_errno(err), what + ": " + std::strerror(err));
}

struct timespec to_timespec(int64_t ns) {
  struct timespec t;
  t.tv_sec = static_cast<time_t>(ns / 1000000000);
  t.tv_nsec = static_cast<long>(ns % 1000000000);
  if (t.tv_nsec < 0) {
    t.tv_nsec += 1000000000;
    t.tv_sec -= 1;
  }
  return t;
}

bool folder_is_empty_or_missing(const std::string& dest) {
  std::error_code ec;
  if (!std::filesystem::exists(dest, ec)) return true;
  if (!std::filesystem::is_directory(dest, ec))
    throw Error(Errc::already_exists, dest + " exists and is not a folder");
  return std::filesystem::directory_iterator(dest, ec) == std::filesystem::directory_iterator();
}

// Why an entry must not be restored: a proper prefix of its path is a symlink or a file in
// the snapshot (`store` never records such a thing; a hostile snapshot does, to have the
// entry written through the link). Empty when the entry is fine.
std::string refusal(const std::string& rel, const std::unordered_map<std::string, uint8_t>& types) {
  if (rel == ".") {
    auto it = types.find(rel);
    return it->second == FileMeta::kDir ? std::string() : "the snapshot's root entry is not a folder";
  }
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1)) {
    auto it = types.find(rel.substr(0, slash));
    if (it == types.end() || it->second == FileMeta::kDir) continue;
    return "its parent " + printable(it->first) + " is a " +
           (it->second == FileMeta::kSymlink ? "symlink" : "file") + " in the snapshot";
  }
  return {};
}

// What is in the way of a new entry `name` in `parent`: with --overwrite it goes (a folder
// with everything below it, never through a link); without, it is an error.
void clear_way(int parent, const std::string& name, bool overwrite, const std::string& shown) {
  if (overwrite) {
    remove_beneath(parent, name, shown);
    return;
  }
  struct stat st;
  if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
    throw Error(Errc::already_exists, shown + " already exists");
}

// Opens folder `name` in `parent` itself (not a link), to set its metadata by handle.
Fd open_folder(int parent, const std::string& name, const std::string& shown) {
  int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == EACCES &&
      ::fchmodat(parent, name.c_str(), 0700, AT_SYMLINK_NOFOLLOW) == 0)  // ours, without read permission
    fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot open the folder " + shown);
  return Fd(fd);
}

// Keeps the entries `filter` selects and the folders above them (with their own metadata),
// in their order; returns how many were left out.
uint64_t select_entries(std::vector<Item>& entries, const PathFilter& filter) {
  std::unordered_set<std::string> needed;
  for (const auto& it : entries)
    if (filter.selected(it.rel))
      for (auto& parent : parent_folders(it.rel)) needed.insert(std::move(parent));
  const size_t before = entries.size();
  std::erase_if(entries, [&](const Item& it) {
    // "." is the snapshot's root, DEST itself: always there.
    const bool holder = it.rel == "." || (it.meta.type == FileMeta::kDir && needed.count(it.rel));
    return !holder && !filter.selected(it.rel);
  });
  return before - entries.size();
}

class Restorer {
 public:
  Restorer(TreeView& view, int root, const RestoreOptions& o)
      : view_(view), root_(root), overwrite_(o.overwrite), keep_owner_(!o.no_owner && ::geteuid() == 0) {}

  // Phase 1: the folder, owner-writable while it is filled. An existing folder is kept.
  void make_folder(const Item& it) {
    auto [parent_rel, base] = split_parent(it.rel);
    const std::string name(base);
    Fd parent = parent_of(parent_rel, it.shown);
    struct stat st;
    bool exists = ::fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && !S_ISDIR(st.st_mode)) {
      clear_way(parent.get(), name, overwrite_, it.shown);
      exists = false;
    } else if (exists && !overwrite_) {
      throw Error(Errc::already_exists, it.shown + " already exists");
    }
    if (!exists && ::mkdirat(parent.get(), name.c_str(), 0700) != 0) fail_errno("cannot create " + it.shown);
    Fd dir = open_folder(parent.get(), name, it.shown);
    if (::fchmod(dir.get(), 0700) != 0) fail_errno("cannot chmod " + it.shown);
  }

  // Phase 2: a new file (O_EXCL, never through a link), its content, then its metadata.
  void write_file(const Item& it, Progress& progress) {
    auto [parent_rel, base] = split_parent(it.rel);
    const std::string name(base);
    Fd parent = parent_of(parent_rel, it.shown);
    clear_way(parent.get(), name, overwrite_, it.shown);
    int raw = ::openat(parent.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (raw < 0) fail_errno("cannot create " + it.shown);
    Fd fd(raw);
    uint64_t got = 0;
    if (!it.meta.ref.empty()) {
      auto reader = view_.open_stream(it.meta.ref);
      if (reader->size() != it.meta.size)
        throw Error(Errc::corrupt, it.shown + ": the stream holds " + std::to_string(reader->size()) +
                                       " bytes, the metadata says " + std::to_string(it.meta.size));
      got = copy_stream_to_fd(*reader, fd.get(), it.shown, true, [&](uint64_t b) { progress.add(b); });
    }
    if (got != it.meta.size)
      throw Error(Errc::corrupt, it.shown + ": restored " + std::to_string(got) + " bytes, expected " +
                                     std::to_string(it.meta.size));
    set_metadata(fd.get(), it);
    if (::close(fd.release()) != 0) fail_errno("cannot write " + it.shown);
  }

  // Phase 3: the link itself; its owner and time are set without following it.
  void make_symlink(const Item& it) {
    auto [parent_rel, base] = split_parent(it.rel);
    const std::string name(base);
    Fd parent = parent_of(parent_rel, it.shown);
    clear_way(parent.get(), name, overwrite_, it.shown);
    if (::symlinkat(it.meta.target.c_str(), parent.get(), name.c_str()) != 0)
      fail_errno("cannot create symlink " + it.shown);
    if (keep_owner_ && ::fchownat(parent.get(), name.c_str(), it.meta.uid, it.meta.gid, AT_SYMLINK_NOFOLLOW) != 0)
      fail_errno("cannot chown " + it.shown);
    struct timespec times[2] = {to_timespec(it.meta.mtime_ns), to_timespec(it.meta.mtime_ns)};
    if (::utimensat(parent.get(), name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
      fail_errno("cannot set the time of " + it.shown);
  }

  // Phase 4: a folder's owner, mode and time, through a handle on the folder itself.
  void finish_folder(const Item& it) {
    if (it.rel == ".") {
      set_metadata(root_, it);
      return;
    }
    auto [parent_rel, base] = split_parent(it.rel);
    Fd parent = open_folder_beneath(root_, parent_rel, BeneathOptions{}, it.shown);
    Fd dir = open_folder(parent.get(), std::string(base), it.shown);
    set_metadata(dir.get(), it);
  }

 private:
  Fd parent_of(std::string_view parent_rel, const std::string& shown) const {
    // A parent without an entry of its own (a snapshot made by another tool) is created.
    return open_folder_beneath(root_, parent_rel, BeneathOptions{true, overwrite_}, shown);
  }

  void set_metadata(int fd, const Item& it) const {
    // chown before chmod: chown clears setuid and setgid.
    if (keep_owner_ && ::fchown(fd, it.meta.uid, it.meta.gid) != 0) fail_errno("cannot chown " + it.shown);
    const mode_t mode = keep_owner_ ? it.meta.mode : (it.meta.mode & 0777);
    if (::fchmod(fd, mode) != 0) fail_errno("cannot chmod " + it.shown);
    struct timespec times[2] = {to_timespec(it.meta.mtime_ns), to_timespec(it.meta.mtime_ns)};
    if (::futimens(fd, times) != 0) fail_errno("cannot set the time of " + it.shown);
  }

  TreeView& view_;
  const int root_;
  const bool overwrite_;
  const bool keep_owner_;
};

}  // namespace

RestoreResult restore_folder(TreeView& view, const std::string& field, const std::string& dest,
                             const RestoreOptions& options,
                             const std::function<void(const std::string&)>& warn_fn) {
  if (!view.has_field(field)) throw Error(Errc::not_found, "this version has no folder snapshot (field '" + field + "')");
  if (!options.overwrite && !folder_is_empty_or_missing(dest))
    throw Error(Errc::already_exists, dest + " is not empty (use --overwrite to restore into it)");

  // The refs in the streams map are the ones to read: prune rewrites them when it repacks a
  // stream, while the copy in each entry's metadata (an opaque value to the library) keeps
  // the stream's old location (snapshot.hpp).
  std::unordered_map<std::string, std::string> refs;
  if (view.has_field(streams_field(field)))
    view.map(streams_field(field)).scan({}, {}, [&](std::string_view k, std::string_view v) {
      refs.emplace(k, v);
      return true;
    });
  std::vector<Item> entries;
  std::unordered_map<std::string, uint8_t> types;
  view.map(field).scan({}, {}, [&](std::string_view key, std::string_view value) {
    check_snapshot_path(key);
    Item it{std::string(key), key == "." ? dest : dest + "/" + printable(key), decode_file_meta(value, key)};
    if (auto r = refs.find(it.rel); r != refs.end() && !it.meta.ref.empty()) it.meta.ref = r->second;
    types.emplace(it.rel, it.meta.type);
    entries.push_back(std::move(it));
    return true;
  });

  RestoreResult result;
  if (!options.filter.empty()) result.filtered = select_entries(entries, options.filter);
  std::mutex mu;
  auto failed = [&](const Error& e) {
    std::lock_guard lock(mu);
    ++result.failed;
    if (result.worst == Errc::ok) result.worst = e.code();
    warn_fn(e.what());
  };

  std::vector<Item> dirs, files, links;
  uint64_t total_bytes = 0;
  for (auto& it : entries) {
    if (std::string why = refusal(it.rel, types); !why.empty()) {
      ++result.refused;
      failed(Error(Errc::corrupt, "not restoring " + it.shown + ": " + why));
      continue;
    }
    if (it.meta.type == FileMeta::kDir) {
      dirs.push_back(std::move(it));
    } else if (it.meta.type == FileMeta::kSymlink) {
      links.push_back(std::move(it));
    } else {
      total_bytes += it.meta.size;
      files.push_back(std::move(it));
    }
  }
  entries.clear();

  // DEST itself is the user's choice, reached like any path they type; below it, nothing
  // is followed.
  std::error_code ec;
  std::filesystem::create_directories(dest, ec);
  if (ec) throw Error(errc_from_errno(ec.value()), "cannot create " + dest + ": " + ec.message());
  int root_fd = ::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) fail_errno("cannot open " + dest);
  Fd root(root_fd);
  Restorer restorer(view, root.get(), options);

  // 1. Folders, writable by us while we fill them. Keys sort parents before children.
  std::sort(dirs.begin(), dirs.end(), [](const Item& a, const Item& b) { return a.rel < b.rel; });
  std::vector<char> dir_made(dirs.size(), 0);
  for (size_t i = 0; i < dirs.size(); ++i) {
    try {
      if (dirs[i].rel != ".") restorer.make_folder(dirs[i]);
      dir_made[i] = 1;
      if (dirs[i].rel != ".") ++result.dirs;
    } catch (const Error& e) {
      failed(e);
    }
  }

  // 2. Files, several at once.
  Progress progress("restore", total_bytes, files.size(), options.progress, options.progress_json);
  const unsigned threads = options.threads ? options.threads : util::default_threads(2);
  util::parallel_for(files.size(), threads, [&](size_t i) {
    const Item& it = files[i];
    try {
      restorer.write_file(it, progress);
      std::lock_guard lock(mu);
      ++result.files;
      result.bytes += it.meta.size;
      progress.add(0, 1);
    } catch (const Error& e) {
      failed(e);
    } catch (const std::exception& e) {
      failed(Error(Errc::io, it.shown + ": " + e.what()));
    }
  });
  progress.finish();

  // 3. Symlinks, after every file.
  for (const auto& l : links) {
    try {
      restorer.make_symlink(l);
      ++result.symlinks;
    } catch (const Error& e) {
      failed(e);
    }
  }

  // 4. Folder owners, modes and times, children before parents.
  for (size_t i = dirs.size(); i-- > 0;) {
    if (!dir_made[i]) continue;  // already warned about
    try {
      restorer.finish_folder(dirs[i]);
    } catch (const Error& e) {
      failed(e);
    }
  }
  result.seconds = progress.elapsed_seconds();
  return result;
}

}  // namespace infinitree::cli
