// Internal: the directory backend with options, so the cache backend can reuse its layout
// without paying for fsync (cache files are checked on every read instead).
#pragma once

#include <filesystem>
#include <memory>

#include "infinitree/backend.hpp"

namespace infinitree {

struct DirectoryOptions {
  bool durable = true;  // fsync file and folder on every write
};

std::shared_ptr<Backend> make_directory_backend(const std::filesystem::path& root,
                                                const DirectoryOptions& options);

// The path of an object's file under a directory backend's root: root/ab/abcd...
std::filesystem::path directory_object_path(const std::filesystem::path& root,
                                            const ObjectId& id);

}  // namespace infinitree
