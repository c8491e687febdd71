// The file system `infinitree mount` shows (docs/cli.md, "mount"), apart from FUSE itself
// (mount_fuse.hpp), so it can be tested without mounting anything. Read-only:
//
//   ids/<commit id>/           every commit reachable from a branch or tag, by full id
//   ids/<12-digit short id>    -> <commit id> (a symlink; left out if two commits share it)
//   branches/<name>            -> ../ids/<commit id>
//   tags/<name>                -> ../ids/<commit id>
//   snapshots/<time>           -> ../ids/<commit id>, each `store` commit by its UTC time
//                              (2026-12-01T07:43:34Z; -1, -2 ... after the same second)
//   snapshots/latest           -> the newest of them
//   hosts/<host>/<time>        -> ../../ids/<commit id>, the snapshots `store` recorded for
//                              that host (--host), and hosts/<host>/latest, as restic has
// In a commit's folder, one entry per field (names escaped as mount_names.hpp says):
//   a folder snapshot (a map F with its F.streams companion, whose "." entry is a folder):
//     the folder as stored: files, folders and symlinks with their modes, owners, sizes and
//     mtimes; F.streams is not shown;
//   any other map: a folder of keys, each a file holding the value (the stream's bytes when
//     the value is a stream ref, as `get` writes it);
//   a set: a folder of empty files, one per key; a list: files 0, 1, ... holding the items;
//   a value: a file holding it (none when it is unset).
// Branches, tags and snapshots are read again when a top folder is used and the last read is
// older than a few seconds, so new commits appear while mounted.
//
// Every call returns 0 or a negative errno: -ENOENT for what is not there, -EIO (with a
// message through `warn`) when the store fails (missing or corrupt objects), never throws.
// Safe to call from several threads at once.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "infinitree/tree.hpp"
#include "mount_catalog.hpp"

namespace infinitree::cli {

struct MountAttr {
  enum Kind : uint8_t { kDir, kFile, kLink } kind = kDir;
  uint32_t mode = 0555;  // permission bits (07777)
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint32_t uid = 0, gid = 0;
};

// One open file: its content (an inline value or a stream reader) and a lock, since a
// stream reader's sequential position is for one thread at a time.
class MountFile {
 public:
  // Up to n bytes at `offset` into buf; the count, or -EIO (reported through `warn`).
  long read(char* buf, size_t n, uint64_t offset);
  uint64_t size() const { return size_; }

 private:
  friend class MountFs;
  std::mutex mu_;
  std::string shown_;  // the path, for messages
  std::function<void(const std::string&)> warn_;
  std::shared_ptr<TreeView> view_;  // keeps the version the reader reads alive
  std::unique_ptr<StreamReader> reader_;
  std::string inline_;
  uint64_t size_ = 0;
};

class MountFs {
 public:
  MountFs(std::unique_ptr<Tree> tree, std::function<void(const std::string&)> warn);
  ~MountFs();

  // `path` is absolute within the mount ("/", "/ids/<id>/files/a.txt").
  int getattr(const std::string& path, MountAttr& out);
  int readdir(const std::string& path, const std::function<void(const std::string& name, MountAttr::Kind)>& add);
  int readlink(const std::string& path, std::string& target);
  int open(const std::string& path, std::unique_ptr<MountFile>& out);

  // Refresh the branch, tag and snapshot lists at most this often (0: on every use).
  void set_refresh_ms(int64_t ms) { refresh_ms_ = ms; }

  struct Commit;   // one checked-out commit and what its fields are
  struct Node;     // what a path names

 private:
  std::shared_ptr<const MountCatalog> catalog(bool may_refresh);
  std::shared_ptr<Commit> commit(const std::string& id);
  Node resolve(const std::string& path);
  int fail(const std::string& path, const std::exception& e);

  std::unique_ptr<Tree> tree_;
  std::function<void(const std::string&)> warn_;
  const int64_t mounted_ns_;
  int64_t refresh_ms_ = 5000;

  std::mutex catalog_mu_;
  std::shared_ptr<const MountCatalog> catalog_;
  int64_t catalog_at_ms_ = 0;  // steady clock

  // The most recently used checkouts (a checkout holds the commit's field roots).
  std::mutex commits_mu_;
  std::list<std::shared_ptr<Commit>> commits_;
  static constexpr size_t kMaxCommits = 32;
};

}  // namespace infinitree::cli
