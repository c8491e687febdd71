// Copying between files (or stdin/stdout) and streams, in fixed-size blocks so memory stays
// bounded whatever the size. Restored files keep their holes: all-zero blocks are skipped
// with a seek, and the file is cut to its size at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "infinitree/stream.hpp"

namespace infinitree::cli {

constexpr size_t kCopyBlock = 1 << 20;

// Reads fd to its end into `writer`; returns the bytes copied. `on_bytes` is called after
// each block (progress). Throws Error(io) naming `what` on a read error.
uint64_t copy_fd_to_stream(int fd, StreamWriter& writer, const std::string& what,
                           const std::function<void(uint64_t)>& on_bytes = {});

// Writes the whole stream to fd. `sparse`: fd is a fresh regular file; zero blocks become
// holes. Returns the bytes copied. Throws Error(io) naming `what` on a write error.
uint64_t copy_stream_to_fd(StreamReader& reader, int fd, const std::string& what, bool sparse,
                           const std::function<void(uint64_t)>& on_bytes = {});

// Writes all of data to fd (handles short writes). Throws Error(io) naming `what`.
void write_all(int fd, const char* data, size_t size, const std::string& what);

}  // namespace infinitree::cli
