// For readers that follow a writer: reading the root object only when it changed. Backends
// that can do it in one request (S3: a GET with If-None-Match, answered 304 while unchanged)
// implement ConditionalRead besides Backend; for the others, read_object_if_changed compares
// object_version first (a stat, a HEAD) and reads only when it moved.
#pragma once

#include <optional>
#include <string>

#include "infinitree/backend.hpp"

namespace infinitree {

class ConditionalRead {
 public:
  virtual ~ConditionalRead() = default;
  // The object and its version if its version is no longer `version` (empty: always read),
  // nullopt if it still is. Never from a cache. Throws object_missing.
  virtual std::optional<Backend::Versioned> read_object_if_changed(const ObjectId& id,
                                                                   const std::string& version) = 0;
};

std::optional<Backend::Versioned> read_object_if_changed(Backend& backend, const ObjectId& id,
                                                         const std::string& version);

}  // namespace infinitree
