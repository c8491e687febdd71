#include "backend/s3_client.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <thread>

#include <openssl/evp.h>

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

// S3's ETag of a single-part upload is the quoted hex MD5 of the body. Used only to
// recognize our own earlier attempt after a retried conditional PUT.
std::string md5_etag(std::span<const uint8_t> data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr) != 1) return {};
  return "\"" + hex_encode(ByteView(md, len)) + "\"";
}

bool retryable_status(long status, const std::string& code) {
  return status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout" ||
         code == "InternalError" || code == "ServiceUnavailable";
}

std::string error_code_of(const http::Response& r) {
  return xml_first(as_string_view(r.body), "Code");
}

thread_local std::mt19937_64 jitter_rng{std::random_device{}()};

}  // namespace

std::string xml_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out.push_back('&');
    else if (ent == "lt") out.push_back('<');
    else if (ent == "gt") out.push_back('>');
    else if (ent == "quot") out.push_back('"');
    else if (ent == "apos") out.push_back('\'');
    else if (!ent.empty() && ent[0] == '#') {
      long v = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X')
                   ? std::strtol(std::string(ent.substr(2)).c_str(), nullptr, 16)
                   : std::strtol(std::string(ent.substr(1)).c_str(), nullptr, 10);
      if (v > 0 && v < 128) out.push_back(static_cast<char>(v));
    } else {
      out.append(s.substr(i, semi - i + 1));
      i = semi;
      continue;
    }
    i = semi;
  }
  return out;
}

std::vector<std::string> xml_all(std::string_view xml, std::string_view tag) {
  std::vector<std::string> out;
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    size_t start = pos + open.size();
    size_t end = xml.find(close, start);
    if (end == std::string_view::npos) break;
    out.push_back(xml_unescape(xml.substr(start, end - start)));
    pos = end + close.size();
  }
  return out;
}

std::string xml_first(std::string_view xml, std::string_view tag) {
  auto all = xml_all(xml, tag);
  return all.empty() ? std::string() : all.front();
}

Client::Client(const S3Options& options) : options_(options) {
  if (options_.bucket.empty()) throw Error(Errc::invalid_argument, "S3 backend needs a bucket");
  creds_.access_key_id = env_or(options_.access_key_id, "AWS_ACCESS_KEY_ID");
  creds_.secret_access_key = env_or(options_.secret_access_key, "AWS_SECRET_ACCESS_KEY");
  creds_.session_token = options_.session_token.empty() && options_.access_key_id.empty()
                             ? env_or("", "AWS_SESSION_TOKEN")
                             : options_.session_token;
  if (creds_.access_key_id.empty() || creds_.secret_access_key.empty())
    throw Error(Errc::invalid_argument,
                "no S3 credentials: pass them or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  if (options_.region.empty()) options_.region = "us-east-1";
  if (options_.max_attempts < 1) options_.max_attempts = 1;

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

http::Response Client::execute(const std::string& method, const std::string& key,
                               const std::vector<std::pair<std::string, std::string>>& query,
                               http::Headers extra_headers, std::span<const uint8_t> body,
                               size_t expected_body, const std::string& what) {
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
    http::Result res = http_->perform(req);

    bool retry = false;
    Errc give_up_code = Errc::network;
    if (!res.ok) {
      last_problem = res.error;
      retry = res.retryable;
      if (!retry) throw Error(Errc::network, what + " " + describe() + ": " + res.error);
    } else {
      long status = res.response.status;
      std::string code = status >= 400 ? error_code_of(res.response) : std::string();
      if (!retryable_status(status, code)) {
        if (attempt > 1) res.response.headers.emplace_back("x-infinitree-attempts",
                                                           std::to_string(attempt));
        return std::move(res.response);
      }
      retry = true;
      give_up_code = Errc::remote;
      last_problem = "HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code);
    }

    // Exponential backoff with "equal jitter": half the delay fixed, half random, so
    // many clients retrying together spread out.
    long long delay_ms = std::min<long long>(5000, static_cast<long long>(options_.retry_base_ms)
                                                       << std::min(attempt - 1, 20));
    delay_ms = delay_ms / 2 +
               static_cast<long long>(jitter_rng() % static_cast<uint64_t>(delay_ms / 2 + 1));
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (!retry || attempt >= options_.max_attempts ||
        elapsed + std::chrono::milliseconds(delay_ms) > budget)
      throw Error(give_up_code, what + " " + describe() + " failed after " +
                                    std::to_string(attempt) + " attempt(s): " + last_problem);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
}

void Client::fail(const http::Response& r, const std::string& what, const std::string& key) const {
  std::string body(as_string_view(r.body));
  std::string code = xml_first(body, "Code");
  std::string message = xml_first(body, "Message");
  std::string detail = "HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code) +
                       (message.empty() ? "" : ": " + message);
  std::string where = "s3://" + options_.bucket + "/" + key;
  if (r.status == 403)
    throw Error(Errc::remote_auth,
                "S3 refused our credentials for " + what + " " + where + " (" + detail + ")");
  if (code == "NoSuchBucket")
    throw Error(Errc::remote, "bucket '" + options_.bucket + "' does not exist at " + scheme_ +
                                  "://" + endpoint_host_ + " (" + detail + ")");
  if (r.status == 404)
    throw Error(Errc::object_missing, "object " + where + " does not exist (" + detail + ")");
  if (r.status == 412 || code == "ConditionalRequestConflict")
    throw Error(Errc::conflict, "object " + where +
                                    " changed since it was read: another writer committed (" +
                                    detail + ")");
  if (r.status == 416)
    throw Error(Errc::object_truncated, "range runs past the end of " + where + " (" + detail + ")");
  if (r.status == 301 || r.status == 307 || code == "PermanentRedirect" ||
      code == "AuthorizationHeaderMalformed")
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
  auto r = execute("PUT", key, {}, extra, data, 0, "PUT");
  if (r.status >= 200 && r.status < 300) return r.header("etag");
  bool retried = !r.header("x-infinitree-attempts").empty();
  if (retried && (r.status == 412 || error_code_of(r) == "ConditionalRequestConflict")) {
    // An earlier attempt may have succeeded with its answer lost on the way back: if the
    // object now holds exactly our bytes, the write is ours.
    auto etag = head(key);
    if (etag && *etag == md5_etag(data)) return *etag;
  }
  fail(r, "PUT", key);
}

GetResult Client::get(const std::string& key, uint64_t offset, uint64_t length) {
  http::Headers extra;
  if (length > 0)
    extra.emplace_back("range", "bytes=" + std::to_string(offset) + "-" +
                                    std::to_string(offset + length - 1));
  auto r = execute("GET", key, {}, extra, {}, length > 0 ? length : kObjectSize, "GET");
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

std::optional<std::string> Client::head(const std::string& key) {
  auto r = execute("HEAD", key, {}, {}, {}, 0, "HEAD");
  if (r.status == 404) return std::nullopt;
  if (r.status < 200 || r.status >= 300) fail(r, "HEAD", key);
  return r.header("etag");
}

void Client::remove(const std::string& key) {
  auto r = execute("DELETE", key, {}, {}, {}, 0, "DELETE");
  if (r.status == 404 && error_code_of(r) != "NoSuchBucket") return;
  if (r.status < 200 || r.status >= 300) fail(r, "DELETE", key);
}

std::vector<std::string> Client::list(const std::string& prefix, int page_size) {
  std::vector<std::string> keys;
  std::string token;
  for (;;) {
    std::vector<std::pair<std::string, std::string>> query = {{"list-type", "2"},
                                                              {"prefix", prefix}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    if (page_size > 0) query.emplace_back("max-keys", std::to_string(page_size));
    auto r = execute("GET", "", query, {}, {}, 0, "LIST");
    if (r.status != 200) fail(r, "LIST", prefix);
    std::string_view xml = as_string_view(r.body);
    for (auto& k : xml_all(xml, "Key")) keys.push_back(std::move(k));
    if (xml_first(xml, "IsTruncated") != "true") break;
    token = xml_first(xml, "NextContinuationToken");
    if (token.empty())
      throw Error(Errc::remote, "LIST " + describe() + ": truncated page without a continuation token");
  }
  return keys;
}

void Client::create_bucket() {
  std::string body;
  if (options_.region != "us-east-1")
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
           "<LocationConstraint>" + options_.region + "</LocationConstraint></CreateBucketConfiguration>";
  http::Headers extra = {{"content-length", std::to_string(body.size())}};
  auto r = execute("PUT", "", {}, extra, as_bytes(body), 0, "CREATE BUCKET");
  if (r.status >= 200 && r.status < 300) return;
  if (error_code_of(r) == "BucketAlreadyOwnedByYou") return;
  fail(r, "CREATE BUCKET", "");
}

void Client::delete_bucket() {
  auto r = execute("DELETE", "", {}, {}, {}, 0, "DELETE BUCKET");
  if (r.status < 200 || r.status >= 300) fail(r, "DELETE BUCKET", "");
}

}  // namespace infinitree::s3
