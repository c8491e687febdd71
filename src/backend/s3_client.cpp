#include "backend/s3_client.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <thread>
#include <unordered_set>

#include "backend/s3_options.hpp"
#include "infinitree/error.hpp"
#include "util/bytes.hpp"

namespace infinitree::s3 {

namespace {

const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string env_or(const std::string& given, const char* name) {
  if (!given.empty()) return given;
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool retryable_status(long status, const std::string& code) {
  return status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout" ||
         code == "InternalError" || code == "ServiceUnavailable";
}

std::string error_code_of(const http::Response& r) {
  return r.status >= 300 ? parse_error_body(as_string_view(r.body)).code : std::string();
}

// Retry-After in its seconds form, in milliseconds (capped), or -1 when absent or in the
// HTTP-date form (then our own backoff applies).
long long retry_after_ms(const http::Response& r) {
  std::string v = r.header("retry-after");
  if (v.empty() || v.size() > 9) return -1;
  for (char c : v)
    if (c < '0' || c > '9') return -1;
  return std::min(kMaxRetryAfterMs, std::stoll(v) * 1000);
}

thread_local std::mt19937_64 jitter_rng{std::random_device{}()};

}  // namespace

Client::Client(const S3Options& options) : options_(options) {
  validate_options(options_);
  creds_.access_key_id = env_or(options_.access_key_id, "AWS_ACCESS_KEY_ID");
  creds_.secret_access_key = env_or(options_.secret_access_key, "AWS_SECRET_ACCESS_KEY");
  creds_.session_token = options_.session_token.empty() && options_.access_key_id.empty()
                             ? env_or("", "AWS_SESSION_TOKEN")
                             : options_.session_token;
  if (creds_.access_key_id.empty() || creds_.secret_access_key.empty())
    throw Error(Errc::invalid_argument,
                "no S3 credentials: pass them or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  if (options_.region.empty()) options_.region = "us-east-1";

  std::string endpoint = options_.endpoint;
  bool aws = endpoint.empty();
  if (aws) endpoint = "https://s3." + options_.region + ".amazonaws.com";
  auto sep = endpoint.find("://");
  if (sep == std::string::npos)
    throw Error(Errc::invalid_argument, "S3 endpoint must start with http:// or https://: " + endpoint);
  scheme_ = endpoint.substr(0, sep);
  if (scheme_ != "http" && scheme_ != "https")
    throw Error(Errc::invalid_argument, "S3 endpoint must use http or https: " + endpoint);
  endpoint_host_ = endpoint.substr(sep + 3);
  while (!endpoint_host_.empty() && endpoint_host_.back() == '/') endpoint_host_.pop_back();
  if (endpoint_host_.empty() || endpoint_host_.find('/') != std::string::npos)
    throw Error(Errc::invalid_argument, "S3 endpoint must be scheme://host[:port]: " + endpoint);
  switch (options_.addressing) {
    case S3Options::Addressing::path_style: path_style_ = true; break;
    case S3Options::Addressing::virtual_hosted: path_style_ = false; break;
    case S3Options::Addressing::automatic: path_style_ = !aws; break;
  }

  http::ClientOptions ho;
  ho.ca_file = options_.ca_file;
  ho.connect_timeout_ms = options_.connect_timeout_ms;
  ho.stall_timeout_seconds = options_.stall_timeout_seconds;
  http_ = std::make_unique<http::Client>(ho);
}

std::string Client::describe() const {
  return "s3://" + options_.bucket + "/" + options_.prefix + " at " + scheme_ + "://" +
         endpoint_host_;
}

Client::Target Client::target(const std::string& key) const {
  Target t;
  if (path_style_) {
    t.host = endpoint_host_;
    t.path = "/" + options_.bucket + (key.empty() ? "" : "/" + key);
  } else {
    t.host = options_.bucket + "." + endpoint_host_;
    t.path = "/" + key;
  }
  t.url = scheme_ + "://" + t.host + uri_encode(t.path, /*keep_slash=*/true);
  return t;
}

Reply Client::execute(const std::string& method, const std::string& key,
                      const std::vector<std::pair<std::string, std::string>>& query,
                      http::Headers extra_headers, std::span<const uint8_t> body,
                      size_t expected_body, size_t max_body, const std::string& what) {
  Target t = target(key);
  std::string url = t.url;
  for (size_t i = 0; i < query.size(); ++i)
    url += (i == 0 ? "?" : "&") + uri_encode(query[i].first, false) + "=" +
           uri_encode(query[i].second, false);
  const std::string payload_hash =
      body.empty() ? kEmptyHash : payload_sha256_hex(as_string_view(body));

  const auto start = std::chrono::steady_clock::now();
  const auto budget = std::chrono::seconds(options_.max_retry_seconds);
  std::string last_problem;
  for (int attempt = 1;; ++attempt) {
    SigningInput in;
    in.method = method;
    in.path = t.path;
    in.query = query;
    in.amz_date = amz_date_from_time(static_cast<long long>(std::time(nullptr)));
    in.region = options_.region;
    in.payload_hash = payload_hash;
    in.headers = {{"host", t.host}, {"x-amz-date", in.amz_date},
                  {"x-amz-content-sha256", payload_hash}};
    if (!creds_.session_token.empty())
      in.headers.emplace_back("x-amz-security-token", creds_.session_token);
    for (const auto& h : extra_headers) in.headers.push_back(h);

    http::Request req;
    req.method = method;
    req.url = url;
    req.headers = in.headers;
    req.headers.emplace_back("Authorization", authorization_header(in, creds_));
    req.body = body;
    req.expected_body = expected_body;
    req.max_body = max_body;
    http::Result res = http_->perform(req);

    Errc give_up_code = Errc::network;
    long long server_delay_ms = -1;  // what Retry-After asked for
    if (!res.ok) {
      last_problem = res.error;
      if (res.too_large)
        throw Error(Errc::remote, what + " " + describe() + ": " + res.error);
      if (!res.retryable) throw Error(Errc::network, what + " " + describe() + ": " + res.error);
    } else {
      long status = res.response.status;
      std::string code = error_code_of(res.response);
      if (!retryable_status(status, code)) return Reply{std::move(res.response), attempt};
      give_up_code = Errc::remote;
      last_problem = "HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code);
      if (status == 503 || status == 429) server_delay_ms = retry_after_ms(res.response);
      if (server_delay_ms >= 0)
        last_problem += " (Retry-After: " + res.response.header("retry-after") + " s)";
    }

    // Exponential backoff with "equal jitter": half the delay fixed, half random, so
    // many clients retrying together spread out. Options are validated (retry_base_ms >=
    // 0), so the modulus is at least 1. A Retry-After from the server is a floor.
    long long delay_ms = std::min<long long>(5000, static_cast<long long>(options_.retry_base_ms)
                                                       << std::min(attempt - 1, 20));
    delay_ms = delay_ms / 2 +
               static_cast<long long>(jitter_rng() % static_cast<uint64_t>(delay_ms / 2 + 1));
    delay_ms = std::max(delay_ms, server_delay_ms);
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (attempt >= options_.max_attempts || elapsed + std::chrono::milliseconds(delay_ms) > budget)
      throw Error(give_up_code, what + " " + describe() + " failed after " +
                                    std::to_string(attempt) + " attempt(s): " + last_problem);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
}

void Client::fail(const http::Response& r, const std::string& what, const std::string& key) const {
  ErrorBody e = parse_error_body(as_string_view(r.body));
  std::string detail = "HTTP " + std::to_string(r.status) + (e.code.empty() ? "" : " " + e.code) +
                       (e.message.empty() ? "" : ": " + e.message);
  std::string where = "s3://" + options_.bucket + "/" + key;
  if (r.status == 403)
    throw Error(Errc::remote_auth,
                "S3 refused our credentials for " + what + " " + where + " (" + detail + ")");
  if (e.code == "NoSuchBucket")
    throw Error(Errc::not_found, "no store: the bucket '" + options_.bucket +
                                     "' does not exist at " + scheme_ + "://" + endpoint_host_ +
                                     " (" + detail + ")");
  if (r.status == 404)
    throw Error(Errc::object_missing, "object " + where + " does not exist (" + detail + ")");
  if (r.status == 412 || e.code == "ConditionalRequestConflict")
    throw Error(Errc::conflict, "object " + where +
                                    " changed since it was read: another writer committed (" +
                                    detail + ")");
  if (r.status == 416)
    throw Error(Errc::object_truncated, "range runs past the end of " + where + " (" + detail + ")");
  if (r.status == 301 || r.status == 307 || e.code == "PermanentRedirect" ||
      e.code == "AuthorizationHeaderMalformed")
    throw Error(Errc::remote, what + " " + where + ": wrong region or endpoint for the bucket (" +
                                  detail + ")");
  throw Error(Errc::remote, what + " " + where + " failed: " + detail);
}

std::string Client::put(const std::string& key, std::span<const uint8_t> data,
                        const PutCondition& condition) {
  // Reserved up front: growing from empty here trips GCC 12's -Warray-bounds at -O3.
  http::Headers extra;
  extra.reserve(3);
  extra.push_back({"content-length", std::to_string(data.size())});
  if (!condition.if_match.empty()) extra.push_back({"if-match", condition.if_match});
  if (condition.if_none_match) extra.push_back({"if-none-match", "*"});
  const bool conditional = extra.size() > 1;
  Reply r;
  try {
    r = execute("PUT", key, {}, extra, data, 0, http::kDefaultMaxBody, "PUT");
  } catch (const Error& e) {
    // Every attempt failed, but any of them may have been applied with its answer lost
    // (a connection cut after the server wrote, a 5xx after the body arrived). An
    // unconditional PUT is idempotent; a conditional one must find out.
    if (!conditional || (e.code() != Errc::network && e.code() != Errc::remote)) throw;
    return settle_conditional_put(key, data, condition, &e);
  }
  if (r.response.status >= 200 && r.response.status < 300) return r.response.header("etag");
  // A 412 does not prove another writer: an earlier attempt of ours (our own retry, or
  // curl's silent resend on a dead keep-alive connection, which no attempt count shows)
  // may have been applied with its answer lost, and then our retry fails its own condition.
  if (conditional && (r.response.status == 412 ||
                      error_code_of(r.response) == "ConditionalRequestConflict"))
    return settle_conditional_put(key, data, condition, nullptr);
  fail(r.response, "PUT", key);
}

std::string Client::settle_conditional_put(const std::string& key, std::span<const uint8_t> data,
                                           const PutCondition& condition, const Error* failure) {
  const std::string where = "s3://" + options_.bucket + "/" + key;
  GetResult now;
  try {
    now = get(key);
  } catch (const Error& e) {
    if (e.code() != Errc::object_missing)
      throw Error(failure ? failure->code() : e.code(),
                  "PUT " + where + ": the outcome is unknown" +
                      (failure ? std::string(" (") + failure->what() + ")" : std::string()) +
                      " and reading the object back failed: " + e.what());
  }
  // Our exact bytes are there: the write landed (root objects are sealed with fresh
  // nonces, so another writer never stores the same bytes).
  if (now.data && now.data->size() == data.size() &&
      std::equal(data.begin(), data.end(), now.data->begin()))
    return now.etag;
  std::string version = now.data ? now.etag : std::string();
  bool unchanged = condition.if_none_match ? !now.data : version == condition.if_match;
  if (failure && unchanged) throw *failure;  // ours did not land and nothing else did
  throw Error(Errc::conflict, "object " + where +
                                  " changed since it was read: another writer committed"
                                  " (version now '" + version + "', expected '" +
                                  (condition.if_none_match ? std::string("none") : condition.if_match) +
                                  "')");
}

GetResult Client::get(const std::string& key, uint64_t offset, uint64_t length) {
  http::Headers extra;
  if (length > 0)
    extra.emplace_back("range", "bytes=" + std::to_string(offset) + "-" +
                                    std::to_string(offset + length - 1));
  // A whole object is kObjectSize bytes; a server that ignores Range sends it whole too.
  const size_t cap = kObjectSize + kBodySlack;
  auto reply = execute("GET", key, {}, extra, {}, length > 0 ? length : kObjectSize, cap, "GET");
  auto& r = reply.response;
  if (r.status != 200 && r.status != 206) fail(r, "GET", key);
  GetResult out;
  out.etag = r.header("etag");
  if (length > 0 && r.status == 200) {
    // The server ignored the Range header: slice the whole object ourselves.
    if (offset > r.body.size() || length > r.body.size() - offset)
      throw Error(Errc::object_truncated, "range " + std::to_string(offset) + "+" +
                                              std::to_string(length) + " runs past the end of s3://" +
                                              options_.bucket + "/" + key);
    out.data = std::make_shared<std::vector<uint8_t>>(
        r.body.begin() + static_cast<ptrdiff_t>(offset),
        r.body.begin() + static_cast<ptrdiff_t>(offset + length));
    return out;
  }
  if (length > 0 && r.body.size() != length)
    throw Error(Errc::object_truncated, "s3://" + options_.bucket + "/" + key + " returned " +
                                            std::to_string(r.body.size()) + " bytes for a range of " +
                                            std::to_string(length));
  out.data = std::make_shared<std::vector<uint8_t>>(std::move(r.body));
  return out;
}

std::optional<GetResult> Client::get_if_changed(const std::string& key, const std::string& etag) {
  if (etag.empty()) return get(key);
  http::Headers extra = {{"if-none-match", etag}};
  auto reply = execute("GET", key, {}, extra, {}, kObjectSize, kObjectSize + kBodySlack, "GET");
  auto& r = reply.response;
  if (r.status == 304) return std::nullopt;
  if (r.status != 200) fail(r, "GET", key);
  GetResult out;
  out.etag = r.header("etag");
  // A server that ignores If-None-Match on GET answers 200 with the same ETag: unchanged too.
  if (out.etag == etag) return std::nullopt;
  out.data = std::make_shared<std::vector<uint8_t>>(std::move(r.body));
  return out;
}

std::optional<std::string> Client::head(const std::string& key) {
  auto r = execute("HEAD", key, {}, {}, {}, 0, http::kDefaultMaxBody, "HEAD").response;
  if (r.status == 404) return std::nullopt;
  if (r.status < 200 || r.status >= 300) fail(r, "HEAD", key);
  return r.header("etag");
}

void Client::remove(const std::string& key) {
  auto r = execute("DELETE", key, {}, {}, {}, 0, http::kDefaultMaxBody, "DELETE").response;
  if (r.status == 404 && error_code_of(r) != "NoSuchBucket") return;
  if (r.status < 200 || r.status >= 300) fail(r, "DELETE", key);
}

ListPage Client::list_page(const std::string& prefix, const std::string& token, int max_keys) {
  std::vector<std::pair<std::string, std::string>> query = {{"list-type", "2"}, {"prefix", prefix}};
  if (!token.empty()) query.emplace_back("continuation-token", token);
  query.emplace_back("max-keys", std::to_string(max_keys));
  auto r = execute("GET", "", query, {}, {}, 0, kMaxListPage, "LIST").response;
  if (r.status != 200) fail(r, "LIST", prefix);
  try {
    return parse_list_page(as_string_view(r.body), static_cast<size_t>(max_keys));
  } catch (const Error& e) {
    throw Error(e.code(), "LIST " + describe() + ": " + e.what());
  }
}

std::vector<std::string> Client::list(const std::string& prefix, int page_size) {
  std::vector<std::string> keys;
  list(prefix, page_size, [&](const std::string& k) {
    keys.push_back(k);
    return true;
  });
  return keys;
}

void Client::list(const std::string& prefix, int page_size,
                  const std::function<bool(const std::string&)>& visit, long max_pages) {
  const int max_keys = page_size > 0 ? std::min(page_size, kDefaultPageKeys) : kDefaultPageKeys;
  auto hostile = [&](const std::string& why) {
    return Error(Errc::remote, "LIST " + describe() + ": " + why +
                                   "; the listing would never end (a broken or hostile endpoint?)");
  };
  // Tokens seen so far, by hash: a server that hands out a token twice loops forever.
  std::unordered_set<size_t> tokens;
  std::string token, last_key;
  int empty_in_a_row = 0;
  for (long pages = 1;; ++pages) {
    ListPage page = list_page(prefix, token, max_keys);
    for (const auto& k : page.keys) {
      // S3 lists in key order: a key at or before the last one means pages are replayed.
      if (!last_key.empty() && k <= last_key)
        throw hostile("key '" + k + "' comes after '" + last_key + "'");
      last_key = k;
      if (!visit(k)) return;
    }
    if (!page.truncated) return;
    if (page.next_token.empty())
      throw Error(Errc::remote, "LIST " + describe() + ": truncated page without a continuation token");
    if (!tokens.insert(std::hash<std::string>{}(page.next_token)).second)
      throw hostile("the continuation token repeats");
    empty_in_a_row = page.keys.empty() ? empty_in_a_row + 1 : 0;
    if (empty_in_a_row >= kMaxEmptyPages)
      throw hostile(std::to_string(kMaxEmptyPages) + " truncated pages in a row hold no key");
    if (pages >= max_pages) throw hostile("more than " + std::to_string(max_pages) + " pages");
    token = std::move(page.next_token);
  }
}

bool Client::check_bucket() {
  try {
    list_page("", "", 1);
    return true;
  } catch (const Error& e) {
    // Without s3:ListBucket a 403 says nothing about the bucket: the 404 stands as is.
    if (e.code() == Errc::remote_auth) return false;
    throw;
  }
}

void Client::create_bucket() {
  std::string body;
  if (options_.region != "us-east-1")
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
           "<LocationConstraint>" + options_.region + "</LocationConstraint></CreateBucketConfiguration>";
  http::Headers extra = {{"content-length", std::to_string(body.size())}};
  auto r = execute("PUT", "", {}, extra, as_bytes(body), 0, http::kDefaultMaxBody, "CREATE BUCKET")
               .response;
  if (r.status >= 200 && r.status < 300) return;
  if (error_code_of(r) == "BucketAlreadyOwnedByYou") return;
  fail(r, "CREATE BUCKET", "");
}

void Client::delete_bucket() {
  auto r = execute("DELETE", "", {}, {}, {}, 0, http::kDefaultMaxBody, "DELETE BUCKET").response;
  if (r.status < 200 || r.status >= 300) fail(r, "DELETE BUCKET", "");
}

}  // namespace infinitree::s3
