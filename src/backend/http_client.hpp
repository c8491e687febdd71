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

// Caps on what a response may hold, so a broken or hostile server cannot exhaust memory.
constexpr size_t kDefaultMaxBody = 64 * 1024;       // answers that carry no data (PUT, DELETE)
constexpr size_t kMaxErrorBody = 64 * 1024;         // any status >= 300: an error document
constexpr size_t kMaxHeaderBytes = 64 * 1024;       // all header lines of one response

struct Request {
  std::string method;  // GET, PUT, HEAD, DELETE
  std::string url;     // fully encoded; sent exactly as given (no dot-segment removal)
  Headers headers;     // sent as given (curl adds nothing we sign)
  std::span<const uint8_t> body;  // PUT only; borrowed for the call
  size_t expected_body = 0;       // a hint to reserve the response buffer
  // The largest 2xx body this request can legitimately get; a larger one ends the
  // exchange with Result::error (not retryable). Error bodies are capped at kMaxErrorBody.
  size_t max_body = kDefaultMaxBody;
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
  bool too_large = false;  // when !ok: the body or headers passed their cap
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
