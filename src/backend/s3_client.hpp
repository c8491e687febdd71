// The S3 REST calls the backend needs (PUT, GET with Range, HEAD, DELETE, ListObjectsV2,
// bucket create/delete for tests), each signed with SigV4 and retried with exponential
// backoff and jitter on 5xx, 429, SlowDown and connection errors (honouring Retry-After).
// Synchronous and thread-safe; the upload pool lives in the backend.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/http_client.hpp"
#include "backend/s3_sigv4.hpp"
#include "backend/s3_xml.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"

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

// The final answer to a request after retries.
struct Reply {
  http::Response response;
  // Exchanges this request took, the final one included (curl's own transparent resend on
  // a dead reused connection happens inside one exchange and is not counted).
  int attempts = 1;
};

// Limits that keep a hostile or broken endpoint from exhausting the process.
constexpr size_t kBodySlack = 64 * 1024;          // over what a GET can legitimately return
constexpr size_t kMaxListPage = 8 * 1024 * 1024;  // 1,000 keys of 1 KiB with metadata
constexpr int kDefaultPageKeys = 1000;            // S3's own maximum for max-keys
constexpr long kMaxListPages = 100'000;           // 100 million keys, 400 TB of objects
constexpr int kMaxEmptyPages = 100;               // truncated pages in a row without a key
constexpr long long kMaxRetryAfterMs = 30'000;    // the longest Retry-After we wait

class Client {
 public:
  // Validates the options (s3_options.hpp): invalid_argument naming a bad one.
  explicit Client(const S3Options& options);

  // Stores `data` under `key`; returns the new ETag. With a condition, an outcome the
  // exchange left uncertain (a lost answer, a 5xx, a 412 after a resend) is settled by
  // reading the object back: our bytes there means success; otherwise, if the object is no
  // longer what the condition expected, Error(conflict); otherwise the transport error.
  std::string put(const std::string& key, std::span<const uint8_t> data,
                  const PutCondition& condition = {});
  // The whole object, or `length` bytes at `offset` when length > 0. 404 -> object_missing.
  GetResult get(const std::string& key, uint64_t offset = 0, uint64_t length = 0);
  // The whole object unless its ETag is still `etag` (If-None-Match: an unchanged object
  // is a bodiless 304): nullopt then. An empty `etag` always reads. 404 -> object_missing.
  std::optional<GetResult> get_if_changed(const std::string& key, const std::string& etag);
  // The ETag, or nullopt if there is no such object (or no such bucket: see check_bucket).
  std::optional<std::string> head(const std::string& key);
  void remove(const std::string& key);  // a missing key is not an error
  // Every key under `prefix`, following continuation tokens; page_size > 0 asks for
  // smaller pages (max-keys), which tests use to exercise pagination. A listing that never
  // ends (a repeated token, keys going backwards, endless empty or too many pages) is
  // Error(remote).
  std::vector<std::string> list(const std::string& prefix, int page_size = 0);
  // The same, handing each key to `visit` until it returns false. Tests lower max_pages.
  void list(const std::string& prefix, int page_size,
            const std::function<bool(const std::string&)>& visit, long max_pages = kMaxListPages);
  // A bucket-level request for when an object was not found by HEAD (whose 404 has no
  // body to say why): throws Error(not_found) if the bucket does not exist. Returns false
  // when the server will not tell (no permission to list), true when the bucket exists.
  bool check_bucket();

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
  Reply execute(const std::string& method, const std::string& key,
                const std::vector<std::pair<std::string, std::string>>& query,
                http::Headers extra_headers, std::span<const uint8_t> body,
                size_t expected_body, size_t max_body, const std::string& what);
  // Throws the Error for a non-2xx response.
  [[noreturn]] void fail(const http::Response& r, const std::string& what,
                         const std::string& key) const;
  // Settles a conditional PUT whose outcome is uncertain (see put()). `failure` is the
  // transport error if every attempt failed, null after a 412/409.
  std::string settle_conditional_put(const std::string& key, std::span<const uint8_t> data,
                                     const PutCondition& condition, const Error* failure);
  ListPage list_page(const std::string& prefix, const std::string& token, int max_keys);

  S3Options options_;
  Credentials creds_;
  std::string scheme_;
  std::string endpoint_host_;  // host[:port]
  bool path_style_ = true;
  std::unique_ptr<http::Client> http_;
};

}  // namespace infinitree::s3
