// Backends (memory, directory, S3, cache) and the S3 settings.
#include <cstdint>

#include "capi_internal.hpp"

using namespace capi;

namespace {

// An S3 setting that is a count or a duration, stored by the core as int: min..INT32_MAX.
// Counts and timeouts have min 1 (0 workers, attempts or time would fail every request);
// the retry backoff and budget may be 0 (retry at once / never).
int in_range(uint32_t v, uint32_t min, const char* what) {
  if (v < min || v > static_cast<uint32_t>(INT32_MAX))
    throw Error(Errc::invalid_argument,
                std::string(what) + " must be " + std::to_string(min) + " to 2147483647");
  return static_cast<int>(v);
}

// Every string setter: need the handle and the string, then store it.
template <typename F>
int set_string(it_s3_options* options, const char* value, const char* what, F&& store) {
  return guard([&]() -> int {
    need(options, "options");
    store(options->options, std::string(name(value, what)));
    return IT_OK;
  });
}

template <typename F>
int set_number(it_s3_options* options, uint32_t value, uint32_t min, const char* what,
               F&& store) {
  return guard([&]() -> int {
    need(options, "options");
    store(options->options, in_range(value, min, what));
    return IT_OK;
  });
}

using S3 = infinitree::S3Options;

}  // namespace

extern "C" {

int it_backend_new_memory(it_backend** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_backend{infinitree::make_memory_backend()};
    return IT_OK;
  });
}

int it_backend_new_directory(const char* path, it_backend** out) {
  return guard([&]() -> int {
    auto p = name(path, "path");
    need(out, "out");
    if (p.empty()) throw Error(Errc::invalid_argument, "path is empty");
    *out = new it_backend{infinitree::make_directory_backend(std::string(p))};
    return IT_OK;
  });
}

int it_backend_new_s3(const it_s3_options* options, it_backend** out) {
  return guard([&]() -> int {
    need(options, "options");
    need(out, "out");
    *out = new it_backend{infinitree::make_s3_backend(options->options)};
    return IT_OK;
  });
}

int it_backend_new_cache(const it_backend* remote, const char* folder, uint64_t byte_budget,
                     it_backend** out) {
  return guard([&]() -> int {
    need(remote, "remote");
    auto f = name(folder, "folder");
    need(out, "out");
    if (f.empty()) throw Error(Errc::invalid_argument, "folder is empty");
    *out = new it_backend{infinitree::make_cache_backend(remote->backend, std::string(f), byte_budget)};
    return IT_OK;
  });
}

int it_backend_describe(const it_backend* backend, it_buf* out) {
  return guard([&]() -> int {
    need(backend, "backend");
    need(out, "out");
    to_buf(out, backend->backend->describe());
    return IT_OK;
  });
}

void it_backend_free(it_backend* backend) { delete backend; }

int it_s3_options_new(it_s3_options** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_s3_options{};
    return IT_OK;
  });
}

int it_s3_options_set_url(it_s3_options* options, const char* url) {
  return set_string(options, url, "url",
                    [](S3& o, std::string v) { o = infinitree::s3_options_from_url(v, o); });
}
int it_s3_options_set_endpoint(it_s3_options* options, const char* endpoint) {
  return set_string(options, endpoint, "endpoint", [](S3& o, std::string v) { o.endpoint = std::move(v); });
}
int it_s3_options_set_region(it_s3_options* options, const char* region) {
  return set_string(options, region, "region", [](S3& o, std::string v) { o.region = std::move(v); });
}
int it_s3_options_set_bucket(it_s3_options* options, const char* bucket) {
  return set_string(options, bucket, "bucket", [](S3& o, std::string v) { o.bucket = std::move(v); });
}
int it_s3_options_set_prefix(it_s3_options* options, const char* prefix) {
  return set_string(options, prefix, "prefix", [](S3& o, std::string v) { o.prefix = std::move(v); });
}
int it_s3_options_set_access_key_id(it_s3_options* options, const char* access_key_id) {
  return set_string(options, access_key_id, "access_key_id",
                    [](S3& o, std::string v) { o.access_key_id = std::move(v); });
}
int it_s3_options_set_secret_access_key(it_s3_options* options, const char* secret_access_key) {
  return set_string(options, secret_access_key, "secret_access_key",
                    [](S3& o, std::string v) { o.secret_access_key = std::move(v); });
}
int it_s3_options_set_session_token(it_s3_options* options, const char* session_token) {
  return set_string(options, session_token, "session_token",
                    [](S3& o, std::string v) { o.session_token = std::move(v); });
}
int it_s3_options_set_ca_file(it_s3_options* options, const char* ca_file) {
  return set_string(options, ca_file, "ca_file", [](S3& o, std::string v) { o.ca_file = std::move(v); });
}

int it_s3_options_set_addressing(it_s3_options* options, it_s3_addressing addressing) {
  return guard([&]() -> int {
    need(options, "options");
    using A = S3::Addressing;
    switch (enum_value(addressing)) {
      case IT_S3_ADDRESSING_AUTO: options->options.addressing = A::automatic; break;
      case IT_S3_ADDRESSING_PATH: options->options.addressing = A::path_style; break;
      case IT_S3_ADDRESSING_VIRTUAL: options->options.addressing = A::virtual_hosted; break;
      default: throw Error(Errc::invalid_argument, "unknown S3 addressing mode");
    }
    return IT_OK;
  });
}

int it_s3_options_set_parallel_uploads(it_s3_options* options, uint32_t parallel_uploads) {
  return set_number(options, parallel_uploads, 1, "parallel_uploads",
                    [](S3& o, int v) { o.parallel_uploads = v; });
}
int it_s3_options_set_max_attempts(it_s3_options* options, uint32_t max_attempts) {
  return set_number(options, max_attempts, 1, "max_attempts", [](S3& o, int v) { o.max_attempts = v; });
}
int it_s3_options_set_retry_base_ms(it_s3_options* options, uint32_t retry_base_ms) {
  return set_number(options, retry_base_ms, 0, "retry_base_ms", [](S3& o, int v) { o.retry_base_ms = v; });
}
int it_s3_options_set_max_retry_seconds(it_s3_options* options, uint32_t max_retry_seconds) {
  return set_number(options, max_retry_seconds, 0, "max_retry_seconds",
                    [](S3& o, int v) { o.max_retry_seconds = v; });
}
int it_s3_options_set_connect_timeout_ms(it_s3_options* options, uint32_t connect_timeout_ms) {
  return set_number(options, connect_timeout_ms, 1, "connect_timeout_ms",
                    [](S3& o, int v) { o.connect_timeout_ms = v; });
}
int it_s3_options_set_stall_timeout_seconds(it_s3_options* options,
                                            uint32_t stall_timeout_seconds) {
  return set_number(options, stall_timeout_seconds, 1, "stall_timeout_seconds",
                    [](S3& o, int v) { o.stall_timeout_seconds = v; });
}

void it_s3_options_free(it_s3_options* options) { delete options; }

}  // extern "C"
