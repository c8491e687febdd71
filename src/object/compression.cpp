#include "object/compression.hpp"

#include <lz4.h>
#ifdef INFINITREE_HAVE_ZSTD
#include <zstd.h>
#endif

#include <climits>
#include <cstring>

#include "infinitree/error.hpp"

namespace infinitree {

bool compression_available(Compression method) {
#ifdef INFINITREE_HAVE_ZSTD
  (void)method;
  return true;
#else
  return method != Compression::zstd;
#endif
}

bool compress_chunk(Compression method, ByteView in, Bytes& out) {
  if (in.empty() || in.size() > static_cast<size_t>(INT_MAX)) return false;
  switch (method) {
    case Compression::none: return false;
    case Compression::lz4: {
      out.resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(in.size()))));
      int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                                   reinterpret_cast<char*>(out.data()),
                                   static_cast<int>(in.size()), static_cast<int>(out.size()));
      if (n <= 0 || static_cast<size_t>(n) >= in.size()) return false;
      out.resize(static_cast<size_t>(n));
      return true;
    }
    case Compression::zstd: {
#ifdef INFINITREE_HAVE_ZSTD
      out.resize(ZSTD_compressBound(in.size()));
      size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
      if (ZSTD_isError(n) || n >= in.size()) return false;
      out.resize(n);
      return true;
#else
      throw Error(Errc::invalid_argument, "this build has no zstd support");
#endif
    }
  }
  return false;
}

void decompress_chunk(Compression method, ByteView in, uint8_t* out, size_t plain_size) {
  switch (method) {
    case Compression::none:
      if (in.size() != plain_size) throw Error(Errc::corrupt, "stored chunk has the wrong size");
      if (plain_size) std::memcpy(out, in.data(), plain_size);
      return;
    case Compression::lz4: {
      if (plain_size > static_cast<size_t>(INT_MAX) || in.size() > static_cast<size_t>(INT_MAX))
        throw Error(Errc::corrupt, "LZ4 chunk too large");
      int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in.data()),
                                  reinterpret_cast<char*>(out), static_cast<int>(in.size()),
                                  static_cast<int>(plain_size));
      if (n < 0 || static_cast<size_t>(n) != plain_size)
        throw Error(Errc::corrupt, "LZ4 chunk does not decompress to its recorded size");
      return;
    }
    case Compression::zstd: {
#ifdef INFINITREE_HAVE_ZSTD
      size_t n = ZSTD_decompress(out, plain_size, in.data(), in.size());
      if (ZSTD_isError(n) || n != plain_size)
        throw Error(Errc::corrupt, "zstd chunk does not decompress to its recorded size");
      return;
#else
      throw Error(Errc::unsupported_version, "chunk is zstd-compressed; this build has no zstd");
#endif
    }
  }
  throw Error(Errc::corrupt, "unknown compression method");
}

}  // namespace infinitree
