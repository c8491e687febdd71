// Streams to and from open file descriptors: what the CLI's store/restore and the C ABI's
// file helpers need. Plain POSIX read/write, 1 MiB at a time, so memory stays bounded.
#pragma once

#include <cstdint>
#include <functional>

#include "stream/stream_reader.hpp"
#include "stream/stream_writer.hpp"

namespace infinitree::stream {

// Called after each block with the bytes done so far (for progress bars).
using Progress = std::function<void(uint64_t bytes_done)>;

// Reads `fd` to its end into `writer` (the caller calls finish()). Returns the bytes read.
// Errors: Error(io / permission_denied / ...) from errno.
uint64_t copy_fd_to_stream(int fd, StreamWriter& writer, const Progress& progress = {});

// Writes the whole stream to `fd` from its current offset. With `sparse`, runs of zeros
// (64 KiB aligned pieces) are skipped with lseek and the file is extended with ftruncate,
// so a sparse file restores sparse; on a pipe or socket, zeros are written. With `sparse`
// the file must be empty (or truncated) past its current offset: skipped runs keep what
// was there.
void copy_stream_to_fd(StreamReader& reader, int fd, bool sparse = true,
                       const Progress& progress = {});

}  // namespace infinitree::stream
