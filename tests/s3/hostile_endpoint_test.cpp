// The S3 client against tests/s3/hostile_server.py (no moto needed): bodies larger than a
// request can legitimately get, listings that never end, and XML tricks all end in a
// clear Error(remote), quickly, instead of an exhausted process.
#include <gtest/gtest.h>

#include <chrono>

#include "backend/backend_test_util.hpp"
#include "backend/s3_client.hpp"
#include "fault_proxy.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;
using testing_s3::HostileServer;

S3Options options_for(const HostileServer& server) {
  S3Options o;
  o.endpoint = server.endpoint();
  o.bucket = "b";
  o.access_key_id = "k";
  o.secret_access_key = "s";
  o.addressing = S3Options::Addressing::path_style;
  o.max_attempts = 3;
  o.retry_base_ms = 1;
  return o;
}

// Runs `f` and expects Error(remote) whose message holds `needle`.
void expect_remote(const std::function<void()>& f, const std::string& needle) {
  std::string msg = expect_error(Errc::remote, f);
  EXPECT_NE(msg.find(needle), std::string::npos) << msg;
}

TEST(S3HostileEndpoint, ObjectBodyIsCappedAtAnObjectAndSlack) {
  HostileServer server("object-endless");
  auto b = make_s3_backend(options_for(server));
  expect_remote([&] { b->read_object(ObjectId::random()); }, "response body over");
  EXPECT_EQ(server.stat("requests"), 1);  // not retried
  expect_remote([&] { b->read_range(ObjectId::random(), 0, 4096); }, "response body over");
}

TEST(S3HostileEndpoint, ErrorBodyAndHeadersAreCapped) {
  {
    HostileServer server("error-endless");
    auto b = make_s3_backend(options_for(server));
    expect_remote([&] { b->read_object(ObjectId::random()); }, "HTTP 404");
  }
  {
    HostileServer server("headers-endless");
    auto b = make_s3_backend(options_for(server));
    expect_remote([&] { b->has_object(ObjectId::random()); }, "response headers over");
  }
}

TEST(S3HostileEndpoint, ListingsThatNeverEndAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"list-repeat-token", "continuation token repeats"},
      {"list-backwards", "comes after"},
      {"list-empty", "truncated pages in a row hold no key"},
      {"list-too-many", "more than 1000 keys in one page"},
      {"list-huge", "response body over"},
      {"list-doctype", "DOCTYPE is not allowed"},
  };
  for (const auto& [mode, needle] : cases) {
    SCOPED_TRACE(mode);
    HostileServer server(mode);
    auto b = make_s3_backend(options_for(server));
    auto start = std::chrono::steady_clock::now();
    expect_remote([&] { b->list_objects(); }, needle);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  }
}

// Fresh tokens and ever larger keys look like a real, huge bucket: only the page limit
// stops it (lowered here so the test is quick).
TEST(S3HostileEndpoint, EndlessListingStopsAtThePageLimit) {
  HostileServer server("list-endless");
  s3::Client c(options_for(server));
  long seen = 0;
  std::string msg = expect_error(Errc::remote, [&] {
    c.list("", 0, [&](const std::string&) { return ++seen, true; }, 50);
  });
  EXPECT_NE(msg.find("more than 50 pages"), std::string::npos) << msg;
  EXPECT_EQ(seen, 50);
  EXPECT_EQ(server.stat("requests"), 50);
}

TEST(S3HostileEndpoint, ListedKeysDecodeEntitiesAndUtf8) {
  HostileServer server("list-entities");
  s3::Client c(options_for(server));
  std::vector<std::string> want = {"<x>", "a&b", "caf\xC3\xA9", "na\xC3\xAFve-\xE2\x82\xAC",
                                   "quote\"'", "smile-\xF0\x9F\x98\x80"};
  EXPECT_EQ(c.list(""), want);
}

}  // namespace
}  // namespace infinitree
