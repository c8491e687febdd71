#include "restore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "file_meta.hpp"
#include "progress.hpp"
#include "stream_io.hpp"

namespace infinitree::cli {

namespace {

struct Item {
  std::string rel;
  std::string path;
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

// Removes whatever is at `path` (with --overwrite), unless it is a folder and we want one.
void clear_path(const std::string& path, bool want_dir) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (want_dir && S_ISDIR(st.st_mode)) return;
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) throw Error(errc_from_errno(ec.value()), "cannot replace " + path + ": " + ec.message());
}

bool folder_is_empty_or_missing(const std::string& dest) {
  std::error_code ec;
  if (!std::filesystem::exists(dest, ec)) return true;
  if (!std::filesystem::is_directory(dest, ec))
    throw Error(Errc::already_exists, dest + " exists and is not a folder");
  return std::filesystem::directory_iterator(dest, ec) == std::filesystem::directory_iterator();
}

void restore_file(const TreeView& view, const Item& it, bool overwrite, Progress& progress) {
  if (overwrite) clear_path(it.path, false);
  int fd = ::open(it.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail_errno("cannot create " + it.path);
  try {
    uint64_t got = 0;
    if (!it.meta.ref.empty()) {
      auto reader = view.open_stream(it.meta.ref);
      if (reader->size() != it.meta.size)
        throw Error(Errc::corrupt, it.rel + ": the stream holds " + std::to_string(reader->size()) +
                                       " bytes, the metadata says " + std::to_string(it.meta.size));
      got = copy_stream_to_fd(*reader, fd, it.path, true, [&](uint64_t b) { progress.add(b); });
    }
    if (got != it.meta.size)
      throw Error(Errc::corrupt, it.rel + ": restored " + std::to_string(got) + " bytes, expected " +
                                     std::to_string(it.meta.size));
    if (::geteuid() == 0 && ::fchown(fd, it.meta.uid, it.meta.gid) != 0) fail_errno("cannot chown " + it.path);
    if (::fchmod(fd, it.meta.mode) != 0) fail_errno("cannot chmod " + it.path);
    struct timespec times[2] = {to_timespec(it.meta.mtime_ns), to_timespec(it.meta.mtime_ns)};
    if (::futimens(fd, times) != 0) fail_errno("cannot set the time of " + it.path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) fail_errno("cannot write " + it.path);
}

void restore_symlink(const Item& it, bool overwrite) {
  if (overwrite) clear_path(it.path, false);
  if (::symlink(it.meta.target.c_str(), it.path.c_str()) != 0) fail_errno("cannot create symlink " + it.path);
  if (::geteuid() == 0 && ::lchown(it.path.c_str(), it.meta.uid, it.meta.gid) != 0)
    fail_errno("cannot chown " + it.path);
  struct timespec times[2] = {to_timespec(it.meta.mtime_ns), to_timespec(it.meta.mtime_ns)};
  if (::utimensat(AT_FDCWD, it.path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
    fail_errno("cannot set the time of " + it.path);
}

}  // namespace

RestoreResult restore_folder(TreeView& view, const std::string& field, const std::string& dest,
                             const RestoreOptions& options,
                             const std::function<void(const std::string&)>& warn_fn) {
  if (!view.has_field(field)) throw Error(Errc::not_found, "this version has no folder snapshot (field '" + field + "')");
  if (!options.overwrite && !folder_is_empty_or_missing(dest))
    throw Error(Errc::already_exists, dest + " is not empty (use --overwrite to restore into it)");

  std::vector<Item> dirs, files, links;
  uint64_t total_bytes = 0;
  view.map(field).scan({}, {}, [&](std::string_view key, std::string_view value) {
    check_snapshot_path(key);
    Item it{std::string(key), key == "." ? dest : dest + "/" + std::string(key), decode_file_meta(value, key)};
    if (it.meta.type == FileMeta::kDir) dirs.push_back(std::move(it));
    else if (it.meta.type == FileMeta::kSymlink) links.push_back(std::move(it));
    else {
      total_bytes += it.meta.size;
      files.push_back(std::move(it));
    }
    return true;
  });

  RestoreResult result;
  std::mutex mu;
  auto failed = [&](const Error& e) {
    std::lock_guard lock(mu);
    ++result.failed;
    if (result.worst == Errc::ok) result.worst = e.code();
    warn_fn(e.what());
  };

  std::error_code ec;
  std::filesystem::create_directories(dest, ec);
  if (ec) throw Error(errc_from_errno(ec.value()), "cannot create " + dest + ": " + ec.message());

  // 1. Folders, writable by us while we fill them. Keys sort parents before children.
  std::sort(dirs.begin(), dirs.end(), [](const Item& a, const Item& b) { return a.rel < b.rel; });
  for (const auto& d : dirs) {
    if (d.rel == ".") continue;
    try {
      if (options.overwrite) clear_path(d.path, true);
      std::filesystem::create_directories(d.path, ec);
      if (ec) throw Error(errc_from_errno(ec.value()), "cannot create " + d.path + ": " + ec.message());
      ::chmod(d.path.c_str(), 0700);
      ++result.dirs;
    } catch (const Error& e) {
      failed(e);
    }
  }

  // 2. Files, several at once.
  Progress progress("restore", total_bytes, files.size(), options.progress);
  std::atomic<size_t> next{0};
  unsigned threads = options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, files.size())));
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < files.size();) {
      const Item& it = files[i];
      try {
        // A parent folder entry may be missing if the snapshot was made by another tool.
        auto parent = std::filesystem::path(it.path).parent_path();
        std::error_code pec;
        std::filesystem::create_directories(parent, pec);
        restore_file(view, it, options.overwrite, progress);
        std::lock_guard lock(mu);
        ++result.files;
        result.bytes += it.meta.size;
        progress.add(0, 1);
      } catch (const Error& e) {
        failed(e);
      } catch (const std::exception& e) {
        failed(Error(Errc::io, it.path + ": " + e.what()));
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  progress.finish();

  // 3. Symlinks, after every file.
  for (const auto& l : links) {
    try {
      std::filesystem::create_directories(std::filesystem::path(l.path).parent_path(), ec);
      restore_symlink(l, options.overwrite);
      ++result.symlinks;
    } catch (const Error& e) {
      failed(e);
    }
  }

  // 4. Folder modes and times, children before parents.
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
    try {
      if (::geteuid() == 0 && ::lchown(it->path.c_str(), it->meta.uid, it->meta.gid) != 0)
        fail_errno("cannot chown " + it->path);
      if (::chmod(it->path.c_str(), it->meta.mode) != 0) fail_errno("cannot chmod " + it->path);
      struct timespec times[2] = {to_timespec(it->meta.mtime_ns), to_timespec(it->meta.mtime_ns)};
      if (::utimensat(AT_FDCWD, it->path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        fail_errno("cannot set the time of " + it->path);
    } catch (const Error& e) {
      failed(e);
    }
  }
  result.seconds = progress.elapsed_seconds();
  return result;
}

}  // namespace infinitree::cli
