// One file per object: <root>/<first two hex digits>/<64 hex digits>. Writes go through a
// temp file in the same folder (fsync, rename, fsync folder), so a reader or a crash sees
// the old object or the new one, never a mix. Writer locks are flock()ed files in
// <root>/locks/, which work across processes and across handles in one process.
#include "backend/directory_backend.hpp"

#include <chrono>
#include <mutex>
#include <set>

#include <sys/stat.h>

#include "backend/file_io.hpp"
#include "infinitree/error.hpp"

namespace infinitree {

namespace fs = std::filesystem;

fs::path directory_object_path(const fs::path& root, const ObjectId& id) {
  std::string hex = id.hex();
  return root / hex.substr(0, 2) / hex;
}

namespace {

// Lock files held by this process. flock alone already makes two handles in one process
// conflict (each open() is its own open file description), but a fork()ed child inherits
// the parent's description; the set keeps the in-process answer independent of that.
std::mutex& held_mutex() {
  static std::mutex m;
  return m;
}
std::set<std::string>& held_paths() {
  static std::set<std::string> s;
  return s;
}

class DirectoryWriterLock : public WriterLock {
 public:
  DirectoryWriterLock(std::string key, std::unique_ptr<fileio::FileLock> lock)
      : key_(std::move(key)), lock_(std::move(lock)) {}
  ~DirectoryWriterLock() override {
    lock_.reset();
    std::lock_guard g(held_mutex());
    held_paths().erase(key_);
  }

 private:
  std::string key_;
  std::unique_ptr<fileio::FileLock> lock_;
};

class DirectoryBackend final : public Backend {
 public:
  DirectoryBackend(const fs::path& root, const DirectoryOptions& options)
      : root_(root), options_(options) {
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec)
      throw Error(ec == std::errc::permission_denied ? Errc::permission_denied : Errc::io,
                  "cannot create store folder " + root_.string() + ": " + ec.message());
    if (!fs::is_directory(root_, ec))
      throw Error(Errc::io, "store path " + root_.string() + " is not a folder");
    // Canonical so that two handles opened through different spellings share lock keys.
    root_ = fs::weakly_canonical(root_, ec);
    if (ec) root_ = root;
  }

  void write_object(const ObjectId& id, std::span<const uint8_t> data) override {
    if (data.size() != kObjectSize)
      throw Error(Errc::invalid_argument, "object " + id.hex() + " has " +
                                              std::to_string(data.size()) + " bytes, not " +
                                              std::to_string(kObjectSize));
    std::string hex = id.hex();
    fs::path dir = root_ / hex.substr(0, 2);
    fileio::ensure_dir(dir, options_.durable);
    fileio::write_file_atomic(dir, hex, data, options_.durable);
  }

  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    return fileio::read_exact(directory_object_path(root_, id), kObjectSize);
  }

  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t offset, uint64_t length) override {
    return fileio::read_range(directory_object_path(root_, id), kObjectSize, offset, length);
  }

  void delete_object(const ObjectId& id) override {
    // Deleting a missing object is not an error: GC may race with another GC.
    fs::path path = directory_object_path(root_, id);
    if (fileio::remove_file(path) && options_.durable) fileio::fsync_dir(path.parent_path());
  }

  bool has_object(const ObjectId& id) override {
    fs::path path = directory_object_path(root_, id);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return S_ISREG(st.st_mode);
    if (errno == ENOENT || errno == ENOTDIR) return false;
    fileio::throw_errno(errno, "cannot stat", path);
  }

  std::vector<ObjectId> list_objects() override {
    std::vector<ObjectId> out;
    visit_objects([&](const ObjectId& id) {
      out.push_back(id);
      return true;
    });
    return out;
  }

  bool is_empty() override {
    bool found = false;
    visit_objects([&](const ObjectId&) { return !(found = true); });
    return !found;
  }

  // Hands every object to `visit` until it returns false.
  template <class Visit>
  void visit_objects(Visit&& visit) {
    std::error_code ec;
    fs::directory_iterator top(root_, ec);
    if (ec) throw_fs(ec, "cannot list", root_);
    for (const auto& dir : top) {
      std::string dname = dir.path().filename().string();
      if (!fileio::is_fanout_name(dname) || !dir.is_directory(ec)) continue;
      fs::directory_iterator inner(dir.path(), ec);
      if (ec) throw_fs(ec, "cannot list", dir.path());
      for (const auto& f : inner) {
        std::string name = f.path().filename().string();
        // Temp files, files in the wrong fan-out folder and foreign files are not objects.
        if (!fileio::is_object_name(name) || name.compare(0, 2, dname) != 0) continue;
        if (!f.is_regular_file(ec)) continue;
        if (!visit(ObjectId::from_hex(name))) return;
      }
    }
  }

  uint64_t remove_stale_temporaries(int64_t older_than_ms) override {
    // A temp file sits beside the name it was to be renamed to: in the top folder or a
    // fan-out folder. One younger than the limit may belong to a writer still running.
    const auto cutoff = fs::file_time_type::clock::now() - std::chrono::milliseconds(older_than_ms);
    uint64_t removed = 0;
    std::error_code ec;
    auto sweep = [&](const fs::path& dir) {
      std::error_code e;
      for (const auto& f : fs::directory_iterator(dir, e)) {
        std::string name = f.path().filename().string();
        if (name.compare(0, fileio::kTempPrefix.size(), fileio::kTempPrefix) != 0) continue;
        if (!f.is_regular_file(e) || f.last_write_time(e) > cutoff || e) continue;
        if (fs::remove(f.path(), e)) ++removed;
      }
    };
    sweep(root_);
    for (const auto& dir : fs::directory_iterator(root_, ec))
      if (fileio::is_fanout_name(dir.path().filename().string()) || dir.path().filename() == "locks")
        sweep(dir.path());
    return removed;
  }

  std::unique_ptr<WriterLock> lock_writer(const ObjectId& root) override {
    fs::path locks = root_ / "locks";
    fileio::ensure_dir(locks, options_.durable);
    fs::path path = locks / (root.hex() + ".lock");
    std::string message = "the tree in " + describe() +
                          " is held by another writer (lock file " + path.string() + ")";
    std::string key = path.string();
    {
      std::lock_guard g(held_mutex());
      if (!held_paths().insert(key).second) throw Error(Errc::locked, message);
    }
    try {
      auto lock = std::make_unique<fileio::FileLock>(path, /*blocking=*/false, message);
      return std::make_unique<DirectoryWriterLock>(key, std::move(lock));
    } catch (...) {
      std::lock_guard g(held_mutex());
      held_paths().erase(key);
      throw;
    }
  }

  std::string object_version(const ObjectId& id) override {
    fs::path path = directory_object_path(root_, id);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return {};
      fileio::throw_errno(errno, "cannot stat", path);
    }
    return version_of(st);
  }

  Versioned read_object_versioned(const ObjectId& id) override {
    struct stat st {};
    auto data = fileio::read_exact(directory_object_path(root_, id), kObjectSize, &st);
    return {std::move(data), version_of(st)};  // fstat of the very file read
  }

  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                      const std::string& expected) override {
    fs::path locks = root_ / "locks";
    fileio::ensure_dir(locks, options_.durable);
    // A blocking flock per object serializes compare-and-write across threads (each call
    // opens its own description) and processes; it is held only for this call.
    fileio::FileLock lock(locks / (id.hex() + ".cas.lock"), /*blocking=*/true, "");
    std::string current = object_version(id);
    if (current != expected)
      throw Error(Errc::conflict, "object " + id.hex() + " in " + describe() +
                                      " changed since it was read: another writer committed");
    write_object(id, data);
    return object_version(id);
  }

  std::string describe() const override { return "dir:" + root_.string(); }

 private:
  // Every write renames a fresh temp file into place: a new inode and a new ctime.
  static std::string version_of(const struct stat& st) {
    return std::to_string(st.st_ino) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ctim.tv_sec) + "." +
           std::to_string(st.st_ctim.tv_nsec) + ":" + std::to_string(st.st_size);
  }

  [[noreturn]] static void throw_fs(const std::error_code& ec, const char* what,
                                    const fs::path& path) {
    fileio::throw_errno(ec.value(), what, path);
  }

  fs::path root_;
  DirectoryOptions options_;
};

}  // namespace

std::shared_ptr<Backend> make_directory_backend(const fs::path& root,
                                                const DirectoryOptions& options) {
  return std::make_shared<DirectoryBackend>(root, options);
}

std::shared_ptr<Backend> make_directory_backend(const fs::path& root) {
  return make_directory_backend(root, DirectoryOptions{});
}

}  // namespace infinitree
