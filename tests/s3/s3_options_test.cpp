// S3Options are checked where a backend is made: numeric settings out of range, bucket
// names, regions and prefixes with "." or ".." segments are invalid_argument naming the
// option; and percent-encoding does not depend on the process's locale. No server needed.
#include <gtest/gtest.h>

#include <cctype>
#include <clocale>
#include <cstdlib>

#include "backend/backend_test_util.hpp"
#include "backend/s3_options.hpp"
#include "backend/s3_sigv4.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;

S3Options valid() {
  S3Options o;
  o.endpoint = "http://127.0.0.1:1";
  o.bucket = "b";
  o.access_key_id = "k";
  o.secret_access_key = "s";
  return o;
}

TEST(S3OptionsCheck, NumericSettingsOutOfRangeNameTheOption) {
  struct Case {
    const char* name;
    int S3Options::*field;
    std::vector<int> bad;
    std::vector<int> good;
  };
  const Case cases[] = {
      {"parallel_uploads", &S3Options::parallel_uploads, {-1, 0, 1025, INT32_MIN, INT32_MAX}, {1, 1024}},
      {"max_attempts", &S3Options::max_attempts, {-5, 0, INT32_MIN}, {1, 100, INT32_MAX}},
      {"retry_base_ms", &S3Options::retry_base_ms, {-1, -2, -3, INT32_MIN}, {0, 60000, INT32_MAX}},
      {"max_retry_seconds", &S3Options::max_retry_seconds, {-1, INT32_MIN}, {0, INT32_MAX}},
      {"connect_timeout_ms", &S3Options::connect_timeout_ms, {-1, 0}, {1, INT32_MAX}},
      {"stall_timeout_seconds", &S3Options::stall_timeout_seconds, {-1, 0}, {1, INT32_MAX}},
  };
  for (const auto& c : cases) {
    for (int v : c.bad) {
      S3Options o = valid();
      o.*c.field = v;
      std::string msg = expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
      EXPECT_NE(msg.find(std::string("'") + c.name + "'"), std::string::npos) << msg;
      EXPECT_NE(msg.find(std::to_string(v)), std::string::npos) << msg;
    }
    for (int v : c.good) {
      S3Options o = valid();
      o.*c.field = v;
      if (c.field != &S3Options::parallel_uploads) o.parallel_uploads = 1;
      EXPECT_NO_THROW(make_s3_backend(o)) << c.name << "=" << v;
    }
  }
}

TEST(S3OptionsCheck, BucketRegionAndPrefix) {
  for (const char* bad : {"", ".", "..", "a/b", "a b", "a?b", "a%2Fb", "caf\xC3\xA9"}) {
    S3Options o = valid();
    o.bucket = bad;
    expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
  }
  S3Options o = valid();
  o.region = "us-east-1/../x";
  std::string msg = expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
  EXPECT_NE(msg.find("'region'"), std::string::npos) << msg;

  for (const char* bad : {".", "..", "./a", "a/.", "a/../b", "/../b", "a/./b/", "a/..", "a\nb",
                          "a\x7f"}) {
    S3Options p = valid();
    p.prefix = bad;
    msg = expect_error(Errc::invalid_argument, [&] { make_s3_backend(p); });
    EXPECT_NE(msg.find("'prefix'"), std::string::npos) << msg;
  }
  S3Options long_prefix = valid();
  long_prefix.prefix = std::string(961, 'p');
  expect_error(Errc::invalid_argument, [&] { make_s3_backend(long_prefix); });
  // Dots inside a segment are ordinary characters.
  for (const char* good : {"a.b", "...", ".a/b.", "trees/v1..2", "/a//b/", ""}) {
    S3Options p = valid();
    p.prefix = good;
    EXPECT_NO_THROW(make_s3_backend(p)) << good;
  }
  EXPECT_EQ(s3::normalize_prefix("/a/b"), "a/b/");
  EXPECT_EQ(s3::normalize_prefix(""), "");
}

// Every byte, against RFC 3986's unreserved set written out here.
void expect_rfc3986_encoding() {
  for (int c = 0; c < 256; ++c) {
    std::string one(1, static_cast<char>(c));
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    char hex[4];
    std::snprintf(hex, sizeof hex, "%%%02X", c);
    EXPECT_EQ(s3::uri_encode(one, false), unreserved ? one : std::string(hex)) << c;
  }
  EXPECT_EQ(s3::uri_encode("a/\xC9t\xE9/K", true), "a/%C9t%E9/K");
}

TEST(S3Encoding, PercentEncodingIsRfc3986) { expect_rfc3986_encoding(); }

// Under a Latin-1 locale isalnum(0xE9) is true: an encoder that asks the C library would
// leave the byte unencoded and sign something else than S3 computes.
TEST(S3Encoding, PercentEncodingIgnoresTheLocale) {
  infinitree::testing::ScratchDir dir;
  std::string cmd = "localedef -i en_US -f ISO-8859-1 '" + (dir.path() / "en_US.ISO-8859-1").string() +
                    "' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "localedef cannot build en_US.ISO-8859-1 here";
  ::setenv("LOCPATH", dir.path().c_str(), 1);
  const char* set = std::setlocale(LC_ALL, "en_US.ISO-8859-1");
  ASSERT_NE(set, nullptr);
  struct Restore {
    ~Restore() {
      std::setlocale(LC_ALL, "C");
      ::unsetenv("LOCPATH");
    }
  } restore;
  ASSERT_TRUE(std::isalnum(0xE9));  // the locale really is in effect
  expect_rfc3986_encoding();
  // Header names are lowercased as ASCII, so SignedHeaders stays the same.
  s3::SigningInput in;
  in.headers = {{"X-Amz-D\xC9", "v"}, {"Host", "h"}};
  EXPECT_EQ(s3::signed_headers(in), "host;x-amz-d\xC9");
}

}  // namespace
}  // namespace infinitree
