// AWS Signature Version 4 for S3, as pure functions of the request so tests can compare
// them with AWS's published examples and with botocore. HMAC-SHA256 and SHA-256 come from
// crypto/hash (OpenSSL).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace infinitree::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // sent as x-amz-security-token when not empty
};

struct SigningInput {
  std::string method;  // "GET", "PUT", ...
  // The request path as sent, NOT yet percent-encoded ("/bucket/key" or "/key").
  std::string path;
  // Query parameters, unencoded; order does not matter (they are sorted).
  std::vector<std::pair<std::string, std::string>> query;
  // Every header to sign, with any capitalisation; must include host and x-amz-date (and
  // x-amz-content-sha256 for S3, and x-amz-security-token with a session token).
  std::vector<std::pair<std::string, std::string>> headers;
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
  std::string payload_hash;
  std::string amz_date;  // "20130524T000000Z" (UTC): also gives the scope's date
  std::string region;
  std::string service = "s3";
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay, everything else
// becomes %XX (uppercase); '/' stays only when keep_slash.
std::string uri_encode(std::string_view s, bool keep_slash);

// The intermediate strings, exposed for tests and for debugging a SignatureDoesNotMatch.
std::string canonical_request(const SigningInput& in);
std::string string_to_sign(const SigningInput& in);
std::string signed_headers(const SigningInput& in);  // "host;range;x-amz-date"
std::string signature(const SigningInput& in, const Credentials& creds);  // lowercase hex

// "AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
//  SignedHeaders=host;x-amz-date, Signature=..." (botocore's spacing).
std::string authorization_header(const SigningInput& in, const Credentials& creds);

// "20130524T000000Z" for a UNIX time.
std::string amz_date_from_time(long long unix_seconds);

// Hex SHA-256 of a payload (for x-amz-content-sha256).
std::string payload_sha256_hex(std::string_view payload);

}  // namespace infinitree::s3
