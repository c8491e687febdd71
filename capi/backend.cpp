// Backends (memory, directory, S3, cache) and the S3 settings.
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "capi_internal.hpp"

using namespace capi;

namespace {

int parse_int(std::string_view key, const char* text) {
  errno = 0;
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (errno || end == text || *end != '\0' || v < INT_MIN || v > INT_MAX)
    throw Error(Errc::invalid_argument, "S3 option '" + std::string(key) + "' needs an integer");
  return static_cast<int>(v);
}

}  // namespace

extern "C" {

int it_backend_memory(it_backend** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_backend{infinitree::make_memory_backend()};
    return IT_OK;
  });
}

int it_backend_directory(const char* path, it_backend** out) {
  return guard([&]() -> int {
    auto p = name(path, "path");
    need(out, "out");
    if (p.empty()) throw Error(Errc::invalid_argument, "path is empty");
    *out = new it_backend{infinitree::make_directory_backend(std::string(p))};
    return IT_OK;
  });
}

int it_backend_s3(const it_s3_options* options, it_backend** out) {
  return guard([&]() -> int {
    need(options, "options");
    need(out, "out");
    *out = new it_backend{infinitree::make_s3_backend(options->options)};
    return IT_OK;
  });
}

int it_backend_cache(it_backend* remote, const char* folder, uint64_t byte_budget,
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

int it_s3_options_set(it_s3_options* options, const char* key, const char* value) {
  return guard([&]() -> int {
    need(options, "options");
    std::string_view k = name(key, "key");
    std::string v(name(value, "value"));
    auto& o = options->options;
    using A = infinitree::S3Options::Addressing;
    if (k == "url") o = infinitree::s3_options_from_url(v, o);
    else if (k == "endpoint") o.endpoint = v;
    else if (k == "region") o.region = v;
    else if (k == "bucket") o.bucket = v;
    else if (k == "prefix") o.prefix = v;
    else if (k == "access_key_id") o.access_key_id = v;
    else if (k == "secret_access_key") o.secret_access_key = v;
    else if (k == "session_token") o.session_token = v;
    else if (k == "ca_file") o.ca_file = v;
    else if (k == "addressing") {
      if (v == "auto") o.addressing = A::automatic;
      else if (v == "path") o.addressing = A::path_style;
      else if (v == "virtual") o.addressing = A::virtual_hosted;
      else throw Error(Errc::invalid_argument, "addressing must be auto, path or virtual");
    } else if (k == "parallel_uploads") o.parallel_uploads = parse_int(k, value);
    else if (k == "max_attempts") o.max_attempts = parse_int(k, value);
    else if (k == "retry_base_ms") o.retry_base_ms = parse_int(k, value);
    else if (k == "max_retry_seconds") o.max_retry_seconds = parse_int(k, value);
    else if (k == "connect_timeout_ms") o.connect_timeout_ms = parse_int(k, value);
    else if (k == "stall_timeout_seconds") o.stall_timeout_seconds = parse_int(k, value);
    else throw Error(Errc::invalid_argument, "unknown S3 option '" + std::string(k) + "'");
    return IT_OK;
  });
}

void it_s3_options_free(it_s3_options* options) { delete options; }

}  // extern "C"
