#include "backend/http_client.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <curl/curl.h>

#include "infinitree/error.hpp"

namespace infinitree::http {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw Error(Errc::internal, "curl_global_init failed");
  });
}

// ASCII only: header names must not change with the process's locale.
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Everything the callbacks fill in during one exchange.
struct Receiving {
  Response* response;
  size_t max_body;           // for a 2xx answer
  long status = 0;           // of the current status line
  size_t header_bytes = 0;
  bool complete = false;     // the blank line that ends the header section arrived
  bool too_large = false;    // a cap was hit (the exchange was aborted)
  std::string too_large_what;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* in = static_cast<Receiving*>(user);
  auto& body = in->response->body;
  size_t cap = in->status >= 200 && in->status < 300 ? in->max_body : kMaxErrorBody;
  if (size * n > cap - std::min(cap, body.size())) {
    in->too_large = true;
    in->too_large_what = "a response body over " + std::to_string(cap) + " bytes (HTTP " +
                         std::to_string(in->status) + ")";
    return 0;  // curl aborts with CURLE_WRITE_ERROR
  }
  body.insert(body.end(), data, data + size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* in = static_cast<Receiving*>(user);
  auto* out = &in->response->headers;
  std::string_view line(data, size * n);
  // A new status line (after a redirect or 100-continue) starts a fresh header set.
  if (line.rfind("HTTP/", 0) == 0) {
    out->clear();
    in->header_bytes = 0;
    in->complete = false;
    auto space = line.find(' ');
    in->status = space == std::string_view::npos ? 0 : std::atol(std::string(line.substr(space + 1, 3)).c_str());
    return size * n;
  }
  in->header_bytes += line.size();
  if (in->header_bytes > kMaxHeaderBytes) {
    in->too_large = true;
    in->too_large_what = "response headers over " + std::to_string(kMaxHeaderBytes) + " bytes";
    return 0;
  }
  if (line == "\r\n" || line == "\n") {
    in->complete = true;
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = ascii_lower(c);
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  out->emplace_back(std::move(name), std::string(value));
  return size * n;
}

struct Upload {
  std::span<const uint8_t> data;
  size_t pos = 0;
};

size_t on_read(char* buffer, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t len = std::min(size * n, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, len);
  up->pos += len;
  return len;
}

// Rewinds the upload when curl must resend the body (e.g. on a reused dead connection).
int on_seek(void* user, curl_off_t offset, int origin) {
  auto* up = static_cast<Upload*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > up->data.size())
    return CURL_SEEKFUNC_FAIL;
  up->pos = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

bool is_retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;  // certificate problems, bad URLs, ... do not heal by retrying
  }
}

}  // namespace

std::string Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

Client::Client(ClientOptions options) : options_(std::move(options)) { global_init(); }

Client::~Client() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* Client::acquire() {
  {
    std::lock_guard g(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  CURL* h = curl_easy_init();
  if (!h) throw Error(Errc::out_of_memory, "curl_easy_init failed");
  return h;
}

void Client::release(void* handle) {
  std::lock_guard g(mu_);
  idle_.push_back(handle);
}

Result Client::perform(const Request& request) {
  CURL* h = static_cast<CURL*>(acquire());
  curl_easy_reset(h);  // keeps the connection cache

  Result result;
  Upload upload{request.body, 0};
  result.response.body.reserve(std::min(request.expected_body, request.max_body));
  Receiving receiving{&result.response, request.max_body};

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers)
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  // No "Expect: 100-continue" round trip, no default Accept header.
  headers = curl_slist_append(headers, "Expect:");
  headers = curl_slist_append(headers, "Accept:");

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &receiving);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &receiving);
  // The path goes out exactly as it was signed: no "/./" or "/../" folding by curl.
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, options_.stall_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &upload);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode code = curl_easy_perform(h);
  curl_slist_free_all(headers);
  if (receiving.too_large) {
    // A hostile or broken endpoint: retrying would only fetch the same flood again.
    result.too_large = true;
    result.error = "the server sent " + receiving.too_large_what + "; this request cannot "
                   "legitimately get that much";
  } else if (code == CURLE_OK && !receiving.complete) {
    // curl accepts a connection that dies in the middle of the headers of a bodiless
    // answer (HEAD) as complete; we would read a 200 without its ETag. Treat it as the
    // broken exchange it is.
    result.retryable = true;
    result.error = "connection closed in the middle of the response headers";
  } else if (code == CURLE_OK) {
    result.ok = true;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.response.status);
  } else {
    result.retryable = is_retryable(code);
    result.error = std::string(curl_easy_strerror(code)) + (errbuf[0] ? std::string(": ") + errbuf : "");
  }
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  release(h);
  return result;
}

}  // namespace infinitree::http
