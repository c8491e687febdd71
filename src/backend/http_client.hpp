// A small blocking HTTP client over libcurl's easy interface, for the S3 backend. Easy
// handles are pooled so connections (and TLS sessions) are reused across requests and
// threads. It reports transport failures as values; retry policy lives in the S3 client.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace infinitree::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // GET, PUT, HEAD, DELETE
  std::string url;     // fully encoded
  Headers headers;     // sent as given (curl adds nothing we sign)
  std::span<const uint8_t> body;  // PUT only; borrowed for the call
  size_t expected_body = 0;       // a hint to reserve the response buffer
};

struct Response {
  long status = 0;
  Headers headers;  // names lowercased
  std::vector<uint8_t> body;
  // The first header with this (lowercase) name, or "".
  std::string header(std::string_view name) const;
};

struct Result {
  bool ok = false;         // the exchange completed (whatever the HTTP status)
  bool retryable = false;  // when !ok: a connection-level failure worth retrying
  std::string error;       // when !ok: curl's message
  Response response;
};

struct ClientOptions {
  std::string ca_file;
  long connect_timeout_ms = 10000;
  long stall_timeout_seconds = 30;
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Thread-safe.
  Result perform(const Request& request);

 private:
  void* acquire();
  void release(void* handle);

  ClientOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles
};

}  // namespace infinitree::http
