// POSIX file helpers for the directory and cache backends: durable atomic writes, exact
// reads, and flock-based locks. Every error is an infinitree::Error naming the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

#include "infinitree/error.hpp"

namespace infinitree::fileio {

// Maps errno to our codes (ENOENT -> object_missing, EACCES -> permission_denied, ENOSPC ->
// no_space, else io) and throws with "<what> <path>: <strerror>".
[[noreturn]] void throw_errno(int err, std::string_view what, const std::filesystem::path& path);

// True for a 64-digit lowercase hex name: the only names that are objects. Temp files and
// anything foreign fail this test, so listings never show them.
bool is_object_name(std::string_view name);
// True for a two-digit lowercase hex fan-out folder name.
bool is_fanout_name(std::string_view name);

// Prefix of temp files; they never pass is_object_name.
inline constexpr std::string_view kTempPrefix = ".tmp-";

// Writes `data` to `dir/name` atomically: a temp file in `dir`, write all, fsync, rename,
// fsync of `dir`. With durable=false the two fsyncs are skipped (for caches, whose files
// are checked on read). `dir` must exist. The temp file is removed on failure.
void write_file_atomic(const std::filesystem::path& dir, const std::string& name,
                       std::span<const uint8_t> data, bool durable);

// Creates `dir` if missing (one level); with durable=true fsyncs its parent after creating.
void ensure_dir(const std::filesystem::path& dir, bool durable);

// fsyncs a directory so a rename or unlink inside it is durable.
void fsync_dir(const std::filesystem::path& dir);

// Reads the whole file, which must be exactly `expected_size` bytes: object_missing if
// absent, object_truncated (naming the path and both sizes) if not. With `st`, also
// returns the fstat() of the very file read (for a version consistent with the data).
std::shared_ptr<const std::vector<uint8_t>> read_exact(const std::filesystem::path& path,
                                                      size_t expected_size,
                                                      struct ::stat* st = nullptr);

// `length` bytes at `offset` of a file that must be `expected_size` bytes long.
std::vector<uint8_t> read_range(const std::filesystem::path& path, size_t expected_size,
                                uint64_t offset, uint64_t length);

// Removes the file; a missing file is not an error. Returns whether it existed.
bool remove_file(const std::filesystem::path& path);

// An exclusive flock on a lock file, released (and the fd closed) on destruction. flock
// locks belong to the open file description, so two opens conflict even within one process
// and the lock works across processes; a fork()ed child shares its parent's lock.
class FileLock {
 public:
  // blocking=false: throws Error(locked, lock_message) if another holder has it.
  FileLock(const std::filesystem::path& path, bool blocking, const std::string& lock_message);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace infinitree::fileio
