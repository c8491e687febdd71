#include "backend/http_client.hpp"

#include <algorithm>
#include <cctype>
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

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::vector<uint8_t>*>(user);
  out->insert(out->end(), data, data + size * n);
  return size * n;
}

struct HeaderState {
  Headers* headers;
  bool complete = false;  // the blank line that ends the header section arrived
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* state = static_cast<HeaderState*>(user);
  auto* out = state->headers;
  std::string_view line(data, size * n);
  // A new status line (after a redirect or 100-continue) starts a fresh header set.
  if (line.rfind("HTTP/", 0) == 0) {
    out->clear();
    state->complete = false;
    return size * n;
  }
  if (line == "\r\n" || line == "\n") {
    state->complete = true;
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
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
  result.response.body.reserve(request.expected_body);

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
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &result.response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  HeaderState header_state{&result.response.headers};
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &header_state);
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
  if (code == CURLE_OK && !header_state.complete) {
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
