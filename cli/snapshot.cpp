#include "snapshot.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
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

// Warnings from the worker threads: each counts as a skipped item.
class Warnings {
 public:
  Warnings(StoreResult& result, const std::function<void(const std::string&)>& out) : result_(result), out_(out) {}
  void skipped(const std::string& w) {
    std::lock_guard lock(mu_);
    ++result_.skipped;
    out_(w);
  }
  void note(const std::string& w) {  // a warning that skips nothing
    std::lock_guard lock(mu_);
    out_(w);
  }

 private:
  std::mutex mu_;
  StoreResult& result_;
  const std::function<void(const std::string&)>& out_;
};

// What the previous snapshot in the field holds: path -> metadata, and path -> stream ref.
// The refs to reuse come from the streams map: prune rewrites those when it repacks a
// stream; the copy in the metadata may still name the stream's old location.
struct Previous {
  std::unordered_map<std::string, std::string> metas, refs;
};

// What this snapshot will hold, entry by entry (parallel to the walk's entries).
struct Plan {
  std::vector<FileMeta> metas;
  std::vector<char> keep;       // 0: skipped (unreadable)
  std::vector<size_t> to_read;  // files whose content must be read
  uint64_t bytes_to_read = 0;
};

// Phase 1: the folder as it is now, without what the options leave out.
std::vector<WalkEntry> list_folder(const std::string& root, const StoreOptions& options, Warnings& warnings) {
  return walk_folder(
      root,
      [&](const WalkEntry& e) {
        // Never the store itself, when it lies inside the folder.
        if (options.has_exclude && S_ISDIR(e.st.st_mode) && e.st.st_dev == options.exclude_dev &&
            e.st.st_ino == options.exclude_ino)
          return true;
        return options.exclude.excluded(e.rel, e.path, e.st);
      },
      [&](const std::string& w) { warnings.skipped(w); }, [&](const std::string& w) { warnings.note(w); });
}

// Phase 2: the previous snapshot, for reuse (unchanged files) and for the mirror (phase 5).
Previous load_previous(SnapshotTarget& target, const std::string& field) {
  Previous p;
  target.scan(field, [&](std::string_view k, std::string_view v) { p.metas.emplace(k, v); });
  target.scan(streams_field(field), [&](std::string_view k, std::string_view v) { p.refs.emplace(k, v); });
  return p;
}

// The stream ref of a file whose size and mtime match the previous snapshot (empty: read it).
std::string reusable_ref(const Previous& prev, const std::string& rel, const FileMeta& m) {
  auto it = prev.metas.find(rel);
  if (it == prev.metas.end()) return {};
  try {
    FileMeta old = decode_file_meta(it->second, rel);
    if (old.type != FileMeta::kFile || old.size != m.size || old.mtime_ns != m.mtime_ns || old.ref.empty())
      return {};
    auto r = prev.refs.find(rel);
    return r != prev.refs.end() ? r->second : old.ref;
  } catch (const Error&) {
    return {};  // an unreadable old entry is simply replaced
  }
}

// Phase 3: metadata of every entry; symlink targets; which files to read.
Plan plan_snapshot(const std::vector<WalkEntry>& entries, const Previous& prev, const StoreOptions& options,
                   StoreResult& result, Warnings& warnings) {
  Plan plan;
  plan.metas.resize(entries.size());
  plan.keep.assign(entries.size(), 1);
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
        warnings.skipped(err.what());
        plan.keep[i] = 0;
      }
    } else {
      ++result.files;
      result.bytes_total += m.size;
      if (!options.reread) m.ref = reusable_ref(prev, e.rel, m);
      if (!m.ref.empty()) {
        ++result.unchanged;
      } else {
        plan.to_read.push_back(i);
        plan.bytes_to_read += m.size;
      }
    }
    plan.metas[i] = std::move(m);
  }
  return plan;
}

// Phase 4: reads and stores the files on several threads; each file is one stream writer,
// whose chunks are sealed on the library's shared worker pool. A file that cannot be read
// is skipped with a warning; a failure of the store stops everything.
// Checkpoint commits between files (StoreOptions::checkpoint_ms): a worker enters before it
// opens a file and leaves after its stream is finished; a checkpoint waits until no file is
// in flight and holds new ones back meanwhile, so it never commits half a stream.
class CheckpointGate {
 public:
  CheckpointGate(SnapshotTarget& target, const StoreOptions& o)
      : target_(target), every_(std::chrono::milliseconds(o.checkpoint_ms)), options_(o),
        due_(std::chrono::steady_clock::now() + every_) {}

  void enter() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !pausing_; });
    ++active_;
  }
  void leave() {
    std::lock_guard lock(mu_);
    --active_;
    cv_.notify_all();
  }
  // Called by a worker between files: commits if a checkpoint is due (one worker does it).
  void maybe_checkpoint(StoreResult& result) {
    if (every_.count() <= 0) return;
    std::unique_lock lock(mu_);
    if (pausing_ || std::chrono::steady_clock::now() < due_) return;
    pausing_ = true;
    cv_.wait(lock, [&] { return active_ == 0; });
    try {
      target_.commit(options_.checkpoint_message, options_.checkpoint_custom);
      ++result.checkpoints;
    } catch (...) {
      pausing_ = false;
      cv_.notify_all();
      throw;
    }
    due_ = std::chrono::steady_clock::now() + every_;
    pausing_ = false;
    cv_.notify_all();
  }

 private:
  SnapshotTarget& target_;
  const std::chrono::milliseconds every_;
  const StoreOptions& options_;
  std::chrono::steady_clock::time_point due_;
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
  bool pausing_ = false;
};

void read_files(SnapshotTarget& target, const std::vector<WalkEntry>& entries, Plan& plan, const StoreOptions& options,
                StoreResult& result, Warnings& warnings, Progress& progress) {
  std::mutex mu;
  CheckpointGate gate(target, options);
  const unsigned threads = options.threads ? options.threads : util::default_threads(2);
  util::parallel_for(plan.to_read.size(), threads, [&](size_t n) {
    const size_t i = plan.to_read[n];
    const auto& e = entries[i];
    FileMeta& m = plan.metas[i];
    int fd = -1;
    gate.enter();
    struct Leave {
      CheckpointGate& g;
      ~Leave() { g.leave(); }
    };
    {
    Leave leave{gate};
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
      auto writer = target.create_stream();
      uint64_t got = copy_fd_to_stream(fd, *writer, e.path, [&](uint64_t b) { progress.add(b); });
      std::string ref = writer->finish();
      auto ws = writer->stats();
      ::close(fd);
      fd = -1;
      if (got != m.size)
        warnings.note(e.path + " changed size while it was being stored (stored " + std::to_string(got) + " bytes)");
      std::lock_guard lock(mu);
      if (got != m.size) {
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
      if (!is_local_read_error(err.code())) throw;  // stops the loop; rethrown by parallel_for
      warnings.skipped(err.what());
      std::lock_guard lock(mu);
      plan.keep[i] = 0;
      result.bytes_total -= m.size;
      --result.files;
    } catch (...) {
      if (fd >= 0) ::close(fd);
      throw;
    }
    }  // leave: this file is done
    gate.maybe_checkpoint(result);
  });
}

// Phase 5: makes the map mirror the folder, touching only entries that changed (so the
// commit rewrites only the B-tree nodes on changed paths). The streams map holds each
// file's ref as a bare value: that is how Tree::verify and prune (and any tool that walks a
// tree) reach stream chunks, and it is the ref restore reads; the metadata keeps a copy,
// which a prune that repacks the stream leaves stale.
void mirror_folder(SnapshotTarget& target, const std::string& field, const std::vector<WalkEntry>& entries,
                   const Plan& plan, const Previous& prev, StoreResult& result) {
  const std::string streams = streams_field(field);
  std::unordered_set<std::string> present, present_refs;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!plan.keep[i]) continue;
    const std::string& key = entries[i].rel;
    const FileMeta& m = plan.metas[i];
    present.insert(key);
    std::string value = encode_file_meta(m);
    auto it = prev.metas.find(key);
    if (it == prev.metas.end()) {
      ++result.added;
      target.put(field, key, value);
    } else if (it->second != value) {
      ++result.changed;
      target.put(field, key, value);
    }
    if (!m.ref.empty()) {
      present_refs.insert(key);
      auto r = prev.refs.find(key);
      if (r == prev.refs.end() || r->second != m.ref) target.put(streams, key, m.ref);
    }
  }
  for (const auto& [key, value] : prev.metas)
    if (!present.count(key)) {
      target.erase(field, key);
      ++result.removed;
    }
  for (const auto& [key, value] : prev.refs)
    if (!present_refs.count(key)) target.erase(streams, key);
}

}  // namespace

StoreResult store_folder(SnapshotTarget& target, const std::string& field, const std::string& root,
                         const StoreOptions& options,
                         const std::function<void(const std::string&)>& warn_fn) {
  StoreResult result;
  Warnings warnings(result, warn_fn);
  auto entries = list_folder(root, options, warnings);
  const Previous prev = load_previous(target, field);
  Plan plan = plan_snapshot(entries, prev, options, result, warnings);
  Progress progress("store", plan.bytes_to_read, plan.to_read.size(), options.progress, options.progress_json);
  read_files(target, entries, plan, options, result, warnings, progress);
  progress.finish();
  mirror_folder(target, field, entries, plan, prev, result);
  result.seconds = progress.elapsed_seconds();
  return result;
}

namespace {

// A tree's working state; the field handles are looked up once.
class TreeTarget final : public SnapshotTarget {
 public:
  explicit TreeTarget(Tree& tree) : tree_(tree) {}
  void scan(const std::string& field, const std::function<void(std::string_view, std::string_view)>& fn) override {
    map(field).scan({}, {}, [&](std::string_view k, std::string_view v) {
      fn(k, v);
      return true;
    });
  }
  void put(const std::string& field, std::string_view key, std::string_view value) override {
    map(field).put(key, value);
  }
  void erase(const std::string& field, std::string_view key) override { map(field).erase(key); }
  std::unique_ptr<StreamWriter> create_stream() override { return tree_.create_stream(); }
  void commit(const std::string& message, const std::string& custom) override { tree_.commit(message, custom); }

 private:
  Map& map(const std::string& field) {
    auto it = maps_.find(field);
    if (it == maps_.end()) it = maps_.emplace(field, tree_.map(field)).first;
    return it->second;
  }
  Tree& tree_;
  std::unordered_map<std::string, Map> maps_;
};

}  // namespace

StoreResult store_folder(Tree& tree, const std::string& field, const std::string& root,
                         const StoreOptions& options,
                         const std::function<void(const std::string&)>& warn_fn) {
  TreeTarget target(tree);
  return store_folder(target, field, root, options, warn_fn);
}

}  // namespace infinitree::cli
