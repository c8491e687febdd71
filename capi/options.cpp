// Open options (KDF costs, read-only, tuning) and commit options.
#include "capi_internal.hpp"

using namespace capi;

infinitree::KdfParams capi::kdf_params(uint32_t memory_kib, uint32_t iterations,
                                       uint32_t parallelism) {
  // Argon2id's own minimums (RFC 9106): at least 1 pass, 1 lane and 8 KiB per lane.
  if (iterations < 1 || parallelism < 1 || memory_kib < 8u * parallelism)
    throw Error(Errc::invalid_argument,
                "KDF costs need iterations >= 1, parallelism >= 1, memory_kib >= 8 * parallelism");
  return {memory_kib, iterations, parallelism};
}

extern "C" {

int it_options_new(it_options** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_options{};
    return IT_OK;
  });
}

int it_options_set_kdf(it_options* options, uint32_t memory_kib, uint32_t iterations,
                       uint32_t parallelism) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.kdf = kdf_params(memory_kib, iterations, parallelism);
    return IT_OK;
  });
}

int it_options_set_insecure_fast_kdf(it_options* options) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.kdf = infinitree::KdfParams::insecure_fast();
    return IT_OK;
  });
}

int it_options_set_read_only(it_options* options, int read_only) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.read_only = read_only != 0;
    return IT_OK;
  });
}

int it_options_set_compression(it_options* options, it_compression method) {
  return guard([&]() -> int {
    need(options, "options");
    using C = infinitree::CompressionMethod;
    switch (enum_value(method)) {
      case IT_COMPRESSION_NONE: options->options.compression = C::none; break;
      case IT_COMPRESSION_LZ4: options->options.compression = C::lz4; break;
      case IT_COMPRESSION_ZSTD: options->options.compression = C::zstd; break;
      default: throw Error(Errc::invalid_argument, "unknown compression method");
    }
    return IT_OK;
  });
}

int it_options_set_node_cache_bytes(it_options* options, uint64_t bytes) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.node_cache_bytes = static_cast<size_t>(bytes);
    return IT_OK;
  });
}

int it_options_set_node_bytes(it_options* options, uint64_t bytes) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.target_node_bytes = static_cast<size_t>(bytes);
    return IT_OK;
  });
}

int it_options_set_warm_start_nodes(it_options* options, uint64_t nodes) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.warm_start_nodes = static_cast<size_t>(std::min<uint64_t>(nodes, SIZE_MAX));
    return IT_OK;
  });
}

void it_options_free(it_options* options) { delete options; }

int it_commit_options_new(it_commit_options** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_commit_options{};
    return IT_OK;
  });
}

int it_commit_options_set_force(it_commit_options* options, int force) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.force = force != 0;
    return IT_OK;
  });
}

int it_commit_options_set_orphan(it_commit_options* options, int orphan) {
  return guard([&]() -> int {
    need(options, "options");
    options->options.orphan = orphan != 0;
    return IT_OK;
  });
}

int it_commit_options_add_parent(it_commit_options* options, const char* ref_) {
  return guard([&]() -> int {
    need(options, "options");
    // Resolved at commit time by the core, where "" is the head (rule 4: NULL ref = head).
    options->options.extra_parents.emplace_back(ref(ref_));
    return IT_OK;
  });
}

void it_commit_options_free(it_commit_options* options) { delete options; }

}  // extern "C"
