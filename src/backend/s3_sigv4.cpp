#include "backend/s3_sigv4.hpp"

#include <algorithm>
#include <ctime>

#include "crypto/hash.hpp"
#include "infinitree/error.hpp"
#include "util/bytes.hpp"

namespace infinitree::s3 {

namespace {

// ASCII only, never the C library's locale-dependent classification: under a Latin-1
// locale isalnum(0xE9) is true and tolower() maps more than A-Z, which would change what
// we sign and send.
bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == '~';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Header values are trimmed and runs of spaces collapse to one (SigV4 canonical form).
std::string canonical_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> canonical_headers_list(const SigningInput& in) {
  std::vector<std::pair<std::string, std::string>> h;
  for (const auto& [name, value] : in.headers) h.emplace_back(lower(name), canonical_value(value));
  std::stable_sort(h.begin(), h.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Repeated headers merge into one comma-separated value.
  std::vector<std::pair<std::string, std::string>> merged;
  for (auto& kv : h) {
    if (!merged.empty() && merged.back().first == kv.first)
      merged.back().second += "," + kv.second;
    else
      merged.push_back(std::move(kv));
  }
  return merged;
}

std::string scope(const SigningInput& in) {
  if (in.amz_date.size() != 16)
    throw Error(Errc::invalid_argument, "x-amz-date must look like 20130524T000000Z");
  return in.amz_date.substr(0, 8) + "/" + in.region + "/" + in.service + "/aws4_request";
}

std::string hex_of(const crypto::Digest& d) { return hex_encode(d); }

}  // namespace

std::string uri_encode(std::string_view s, bool keep_slash) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
  return out;
}

std::string signed_headers(const SigningInput& in) {
  std::string out;
  for (const auto& [name, value] : canonical_headers_list(in)) {
    if (!out.empty()) out.push_back(';');
    out += name;
  }
  return out;
}

std::string canonical_request(const SigningInput& in) {
  // S3 paths are encoded once (other services double-encode); an empty path is "/".
  std::string path = in.path.empty() ? "/" : uri_encode(in.path, /*keep_slash=*/true);

  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& [k, v] : in.query) q.emplace_back(uri_encode(k, false), uri_encode(v, false));
  std::sort(q.begin(), q.end());
  std::string query;
  for (const auto& [k, v] : q) {
    if (!query.empty()) query.push_back('&');
    query += k + "=" + v;
  }

  std::string headers;
  for (const auto& [name, value] : canonical_headers_list(in)) headers += name + ":" + value + "\n";

  return in.method + "\n" + path + "\n" + query + "\n" + headers + "\n" + signed_headers(in) +
         "\n" + in.payload_hash;
}

std::string string_to_sign(const SigningInput& in) {
  return "AWS4-HMAC-SHA256\n" + in.amz_date + "\n" + scope(in) + "\n" +
         hex_of(crypto::sha256(as_bytes(canonical_request(in))));
}

std::string signature(const SigningInput& in, const Credentials& creds) {
  std::string secret = "AWS4" + creds.secret_access_key;
  auto k_date = crypto::hmac_sha256(as_bytes(secret), as_bytes(in.amz_date.substr(0, 8)));
  auto k_region = crypto::hmac_sha256(k_date, as_bytes(in.region));
  auto k_service = crypto::hmac_sha256(k_region, as_bytes(in.service));
  auto k_signing = crypto::hmac_sha256(k_service, as_bytes("aws4_request"));
  return hex_of(crypto::hmac_sha256(k_signing, as_bytes(string_to_sign(in))));
}

std::string authorization_header(const SigningInput& in, const Credentials& creds) {
  return "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + scope(in) +
         ", SignedHeaders=" + signed_headers(in) + ", Signature=" + signature(in, creds);
}

std::string amz_date_from_time(long long unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string payload_sha256_hex(std::string_view payload) {
  return hex_of(crypto::sha256(as_bytes(payload)));
}

}  // namespace infinitree::s3
