// What a folder snapshot keeps per path: the value of a "files" map entry, keyed by the
// path relative to the snapshot's root ("." is the root itself, "a/b.txt" a file).
// Encoded as a msgpack map with named fields, so later versions can add fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace infinitree::cli {

struct FileMeta {
  enum Type : uint8_t { kFile = 1, kDir = 2, kSymlink = 3 };
  uint8_t type = kFile;
  uint32_t mode = 0;       // permission bits (07777)
  int64_t mtime_ns = 0;    // modification time, ns since the epoch
  uint64_t size = 0;       // file: bytes; symlink: target length
  uint32_t uid = 0, gid = 0;  // recorded; restored only when running as root
  std::string target;      // symlink target, as stored in the link
  std::string ref;         // file: the stream ref of its content
};

std::string encode_file_meta(const FileMeta& m);
// Throws Error(corrupt) naming `path` if the value is not a FileMeta.
FileMeta decode_file_meta(std::string_view value, std::string_view path);

// A snapshot key is safe to restore: relative, '/'-separated, no empty, "." or ".."
// component (except the root entry "." itself). Throws Error(corrupt) otherwise.
void check_snapshot_path(std::string_view path);

}  // namespace infinitree::cli
