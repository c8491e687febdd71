// Checks on S3Options, made once where an S3 client is constructed, so that no later
// arithmetic (backoff, timeouts, pool sizes) ever sees a value it cannot handle.
#pragma once

#include <string>

#include "infinitree/backend.hpp"

namespace infinitree::s3 {

// Throws Error(invalid_argument) naming the first option that is out of range or malformed:
// the numeric settings, the bucket name, the region and the prefix.
void validate_options(const S3Options& options);

// The prefix as keys use it: leading '/' dropped, a trailing '/' added unless empty.
// Throws Error(invalid_argument) for a "." or ".." segment (HTTP stacks fold them, so the
// request would reach another key than the one signed) or a control character (which
// ListObjectsV2's XML cannot carry).
std::string normalize_prefix(std::string prefix);

}  // namespace infinitree::s3
