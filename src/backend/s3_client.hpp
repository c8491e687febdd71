// The S3 REST calls the backend needs (PUT, GET with Range, HEAD, DELETE, ListObjectsV2,
// bucket create/delete for tests), each signed with SigV4 and retried with exponential
// backoff and jitter on 5xx, 429, SlowDown and connection errors. Synchronous and
// thread-safe; the upload pool lives in the backend.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/http_client.hpp"
#include "backend/s3_sigv4.hpp"
#include "infinitree/backend.hpp"

namespace infinitree::s3 {

// A precondition on a PUT: If-Match (replace exactly this ETag) or If-None-Match: *
// (create only). Both empty: unconditional.
struct PutCondition {
  std::string if_match;
  bool if_none_match = false;
};

struct GetResult {
  std::shared_ptr<std::vector<uint8_t>> data;
  std::string etag;
};

class Client {
 public:
  explicit Client(const S3Options& options);

  // Stores `data` under `key`; returns the new ETag. A failed precondition (412, or 409
  // from servers that report a concurrent conditional write so) is Error(conflict).
  std::string put(const std::string& key, std::span<const uint8_t> data,
                  const PutCondition& condition = {});
  // The whole object, or `length` bytes at `offset` when length > 0. 404 -> object_missing.
  GetResult get(const std::string& key, uint64_t offset = 0, uint64_t length = 0);
  // The ETag, or nullopt if there is no such object.
  std::optional<std::string> head(const std::string& key);
  void remove(const std::string& key);  // a missing key is not an error
  // Every key under `prefix`, following continuation tokens; page_size > 0 asks for
  // smaller pages (max-keys), which tests use to exercise pagination.
  std::vector<std::string> list(const std::string& prefix, int page_size = 0);

  void create_bucket();  // succeeds if this caller already owns it
  void delete_bucket();  // the bucket must be empty

  const std::string& bucket() const { return options_.bucket; }
  std::string describe() const;

 private:
  struct Target {
    std::string url;
    std::string host;
    std::string path;  // unencoded, as signed
  };
  Target target(const std::string& key) const;
  // Signs and sends, retrying what is retryable; returns the final response (any status)
  // or throws Error(network/remote) once attempts or time run out.
  http::Response execute(const std::string& method, const std::string& key,
                         const std::vector<std::pair<std::string, std::string>>& query,
                         http::Headers extra_headers, std::span<const uint8_t> body,
                         size_t expected_body, const std::string& what);
  // Throws the Error for a non-2xx response.
  [[noreturn]] void fail(const http::Response& r, const std::string& what,
                         const std::string& key) const;

  S3Options options_;
  Credentials creds_;
  std::string scheme_;
  std::string endpoint_host_;  // host[:port]
  bool path_style_ = true;
  std::unique_ptr<http::Client> http_;
};

// Minimal XML helpers for S3's small responses (error bodies, list pages).
std::string xml_unescape(std::string_view s);
// The text of every <tag>...</tag> in order.
std::vector<std::string> xml_all(std::string_view xml, std::string_view tag);
std::string xml_first(std::string_view xml, std::string_view tag);

}  // namespace infinitree::s3
