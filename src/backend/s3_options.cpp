#include "backend/s3_options.hpp"

#include <cstdint>

#include "infinitree/error.hpp"

namespace infinitree::s3 {

namespace {

void check_range(const char* name, long long value, long long min, long long max,
                 const char* unit) {
  if (value >= min && value <= max) return;
  std::string want = max == INT32_MAX ? std::to_string(min) + " or more"
                                      : std::to_string(min) + " to " + std::to_string(max);
  throw Error(Errc::invalid_argument, std::string("S3 option '") + name + "' is " +
                                          std::to_string(value) + "; it must be " + want +
                                          (*unit ? std::string(" ") + unit : std::string()));
}

bool ascii_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

void validate_options(const S3Options& o) {
  // One thread per upload worker: a bound keeps a typo from asking for millions. The rest
  // only need their minimum: the backoff is capped at 5 s per wait whatever the base, and
  // long timeouts or budgets are a choice, not a hazard.
  check_range("parallel_uploads", o.parallel_uploads, 1, 1024, "");
  check_range("max_attempts", o.max_attempts, 1, INT32_MAX, "");
  check_range("retry_base_ms", o.retry_base_ms, 0, INT32_MAX, "ms");
  check_range("max_retry_seconds", o.max_retry_seconds, 0, INT32_MAX, "s");
  check_range("connect_timeout_ms", o.connect_timeout_ms, 1, INT32_MAX, "ms");
  check_range("stall_timeout_seconds", o.stall_timeout_seconds, 1, INT32_MAX, "s");

  // Bucket names end up in host names (virtual-hosted) and paths (path-style): only the
  // characters S3 has ever allowed, and never a path segment of dots.
  if (o.bucket.empty()) throw Error(Errc::invalid_argument, "S3 backend needs a bucket");
  if (o.bucket.size() > 255 || o.bucket == "." || o.bucket == "..")
    throw Error(Errc::invalid_argument, "S3 option 'bucket' is not a bucket name: '" + o.bucket + "'");
  for (char c : o.bucket)
    if (!ascii_alnum(c) && c != '.' && c != '-' && c != '_')
      throw Error(Errc::invalid_argument,
                  "S3 option 'bucket' may hold only letters, digits, '.', '-' and '_': '" +
                      o.bucket + "'");
  for (char c : o.region)
    if (!ascii_alnum(c) && c != '-' && c != '_')
      throw Error(Errc::invalid_argument,
                  "S3 option 'region' may hold only letters, digits, '-' and '_': '" + o.region + "'");
  normalize_prefix(o.prefix);
}

std::string normalize_prefix(std::string p) {
  while (!p.empty() && p.front() == '/') p.erase(p.begin());
  if (!p.empty() && p.back() != '/') p.push_back('/');
  // S3 keys are at most 1024 bytes, and ours add 64 hex digits.
  if (p.size() > 1024 - 64)
    throw Error(Errc::invalid_argument, "S3 option 'prefix' is longer than 960 bytes");
  size_t start = 0;
  while (start < p.size()) {
    size_t slash = p.find('/', start);
    std::string_view segment(p.data() + start, slash - start);
    if (segment == "." || segment == "..")
      throw Error(Errc::invalid_argument, "S3 option 'prefix' has a '" + std::string(segment) +
                                              "' segment: '" + p + "'");
    start = slash + 1;
  }
  for (unsigned char c : p)
    if (c < 0x20 || c == 0x7f)
      throw Error(Errc::invalid_argument, "S3 option 'prefix' holds a control character");
  return p;
}

}  // namespace infinitree::s3
