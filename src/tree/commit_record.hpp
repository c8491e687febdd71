// Commit records and the refs (branches, tags), both stored as index chunks in msgpack.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fields/field_root.hpp"
#include "infinitree/tree.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

constexpr size_t kCommitIdSize = 16;  // raw bytes; shown as 32 hex digits

struct CommitRecord {
  std::string id;                    // kCommitIdSize raw bytes
  std::vector<std::string> parents;  // raw ids
  int64_t time_ms = 0;
  std::string message;
  std::string custom;
  uint64_t sequence = 0;
  std::string branch;
  std::vector<FieldRoot> fields;     // user fields, sorted by name
  std::vector<FieldRoot> system;     // internal fields (the dedup index)

  Bytes encode() const;
  static CommitRecord decode(ByteView bytes);  // throws corrupt
  CommitInfo info() const;
};

struct Refs {
  std::map<std::string, std::optional<std::string>, std::less<>> branches;  // name -> raw id
  std::map<std::string, std::string, std::less<>> tags;

  Bytes encode() const;
  static Refs decode(ByteView bytes);
};

std::string commit_id_hex(std::string_view raw);
// Throws invalid_argument unless `hex` is 32 hex digits.
std::string commit_id_raw(std::string_view hex);

}  // namespace infinitree
