#include "snapshot.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "file_meta.hpp"
#include "folder_walk.hpp"
#include "progress.hpp"
#include "stream_io.hpp"
#include "util/parallel_for.hpp"

namespace infinitree::cli {

namespace {

int64_t mtime_ns(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

FileMeta meta_from_stat(const struct stat& st) {
  FileMeta m;
  m.mode = st.st_mode & 07777;
  m.mtime_ns = mtime_ns(st);
  m.uid = st.st_uid;
  m.gid = st.st_gid;
  if (S_ISDIR(st.st_mode)) m.type = FileMeta::kDir;
  else if (S_ISLNK(st.st_mode)) m.type = FileMeta::kSymlink;
  else {
    m.type = FileMeta::kFile;
    m.size = static_cast<uint64_t>(st.st_size);
  }
  return m;
}

std::string read_link(const std::string& path, size_t size_hint) {
  std::string target(std::max<size_t>(size_hint, 64) + 1, '\0');
  for (;;) {
    ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) {
      int err = errno;
      throw Error(errc_from_errno(err), "cannot read symlink " + path + ": " + std::strerror(err));
    }
    if (static_cast<size_t>(n) < target.size()) {
      target.resize(static_cast<size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

// Is this a local failure to read one file (skip it with a warning), or a failure of the
// store (stop everything)?
bool is_local_read_error(Errc c) {
  return c == Errc::io || c == Errc::permission_denied || c == Errc::not_found;
}

}  // namespace

StoreResult store_folder(Tree& tree, const std::string& field, const std::string& root,
                         const StoreOptions& options,
                         const std::function<void(const std::string&)>& warn_fn) {
  StoreResult result;
  std::mutex warn_mu;
  auto warn = [&](const std::string& w) {
    std::lock_guard lock(warn_mu);
    ++result.skipped;
    warn_fn(w);
  };
  auto entries = walk_folder(
      root,
      [&](const WalkEntry& e) {
        if (options.has_exclude && S_ISDIR(e.st.st_mode) && e.st.st_dev == options.exclude_dev &&
            e.st.st_ino == options.exclude_ino)
          return true;
        return options.exclude.excluded(e.rel, e.path, e.st);
      },
      warn, warn_fn);

  // The previous snapshot: files whose size and mtime did not change keep their stream.
  Map map = tree.map(field);
  std::unordered_map<std::string, std::string> old;
  map.scan({}, {}, [&](std::string_view k, std::string_view v) {
    old.emplace(k, v);
    return true;
  });
  // The refs to reuse come from the streams map: prune rewrites those when it repacks a
  // stream; the copy in the metadata may still name the stream's old location.
  Map streams = tree.map(streams_field(field));
  std::unordered_map<std::string, std::string> old_refs;
  streams.scan({}, {}, [&](std::string_view k, std::string_view v) {
    old_refs.emplace(k, v);
    return true;
  });

  std::vector<FileMeta> metas(entries.size());
  std::vector<char> keep(entries.size(), 1);
  std::vector<size_t> to_read;
  uint64_t bytes_to_read = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    FileMeta m = meta_from_stat(e.st);
    if (m.type == FileMeta::kDir) {
      if (e.rel != ".") ++result.dirs;  // the folder itself is not counted
    } else if (m.type == FileMeta::kSymlink) {
      try {
        m.target = read_link(e.path, static_cast<size_t>(e.st.st_size));
        m.size = m.target.size();
        ++result.symlinks;
      } catch (const Error& err) {
        warn(err.what());
        keep[i] = 0;
      }
    } else {
      ++result.files;
      result.bytes_total += m.size;
      auto it = old.find(e.rel);
      bool reuse = false;
      if (!options.reread && it != old.end()) {
        try {
          FileMeta prev = decode_file_meta(it->second, e.rel);
          if (prev.type == FileMeta::kFile && prev.size == m.size && prev.mtime_ns == m.mtime_ns &&
              !prev.ref.empty()) {
            auto r = old_refs.find(e.rel);
            m.ref = r != old_refs.end() ? r->second : prev.ref;
            reuse = true;
          }
        } catch (const Error&) {
          // An unreadable old entry is simply replaced.
        }
      }
      if (reuse) {
        ++result.unchanged;
      } else {
        to_read.push_back(i);
        bytes_to_read += m.size;
      }
    }
    metas[i] = std::move(m);
  }

  // Read and store the files on several threads; each file is one stream writer, whose
  // chunks are sealed on the library's shared worker pool.
  Progress progress("store", bytes_to_read, to_read.size(), options.progress);
  std::mutex mu;
  const unsigned threads = options.threads ? options.threads : util::default_threads(2);
  util::parallel_for(to_read.size(), threads, [&](size_t n) {
    const size_t i = to_read[n];
    const auto& e = entries[i];
    FileMeta& m = metas[i];
    int fd = -1;
    try {
      fd = ::open(e.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0) {
        int err = errno;
        throw Error(err == ENOENT ? Errc::not_found : errc_from_errno(err),
                    "cannot open " + e.path + ": " + std::strerror(err));
      }
      struct stat st;
      if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw Error(Errc::io, e.path + " changed while it was being stored");
      auto writer = tree.create_stream();
      uint64_t got = copy_fd_to_stream(fd, *writer, e.path, [&](uint64_t b) { progress.add(b); });
      std::string ref = writer->finish();
      auto ws = writer->stats();
      ::close(fd);
      fd = -1;
      std::lock_guard lock(mu);
      if (got != m.size) {
        warn_fn(e.path + " changed size while it was being stored (stored " + std::to_string(got) + " bytes)");
        result.bytes_total = result.bytes_total - m.size + got;
        m.size = got;
      }
      m.ref = std::move(ref);
      result.bytes_read += got;
      result.bytes_new += ws.bytes_new;
      result.bytes_stored += ws.bytes_stored;
      progress.add(0, 1);
    } catch (const Error& err) {
      if (fd >= 0) ::close(fd);
      if (!is_local_read_error(err.code())) throw;  // stops the loop; rethrown below
      warn(err.what());
      std::lock_guard lock(mu);
      keep[i] = 0;
      result.bytes_total -= m.size;
      --result.files;
    } catch (...) {
      if (fd >= 0) ::close(fd);
      throw;
    }
  });
  progress.finish();

  // Make the map mirror the folder, touching only entries that changed (so the commit
  // rewrites only the B-tree nodes on changed paths).
  // The streams map holds each file's ref as a bare value: that is how Tree::verify and
  // prune (and any tool that walks a tree) reach stream chunks, and it is the ref restore
  // reads; the metadata keeps a copy, which a prune that repacks the stream leaves stale.
  std::unordered_set<std::string> present, present_refs;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!keep[i]) continue;
    const std::string& key = entries[i].rel;
    present.insert(key);
    std::string value = encode_file_meta(metas[i]);
    auto it = old.find(key);
    if (it == old.end()) {
      ++result.added;
      map.put(key, value);
    } else if (it->second != value) {
      ++result.changed;
      map.put(key, value);
    }
    if (!metas[i].ref.empty()) {
      present_refs.insert(key);
      auto r = old_refs.find(key);
      if (r == old_refs.end() || r->second != metas[i].ref) streams.put(key, metas[i].ref);
    }
  }
  for (const auto& [key, value] : old)
    if (!present.count(key)) {
      map.erase(key);
      ++result.removed;
    }
  for (const auto& [key, value] : old_refs)
    if (!present_refs.count(key)) streams.erase(key);
  result.seconds = progress.elapsed_seconds();
  return result;
}

}  // namespace infinitree::cli
