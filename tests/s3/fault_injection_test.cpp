// The S3 backend through scripts/s3/fault_proxy.py, which answers 500/503 to a share of
// requests, cuts connections mid-reply, drops requests and delays others. Writes must
// still land (or fail cleanly once retries run out) and reads must be exact.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend_test_util.hpp"
#include "fault_proxy.hpp"
#include "s3_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing_s3::FaultProxy;
using testing_backend::expect_error;
using testing_backend::object_of;

class S3Faults : public testing_s3::S3Fixture {};

TEST_F(S3Faults, WritesLandAndReadsAreExactDespiteFaults) {
  FaultProxy proxy(options_.endpoint, {"--error-rate", "0.2", "--cut-rate", "0.15", "--drop-rate",
                                       "0.05", "--delay-rate", "0.2", "--delay-ms", "40",
                                       "--seed", "7"});
  S3Options o = options_;
  o.endpoint = proxy.endpoint();
  o.max_attempts = 20;
  o.retry_base_ms = 5;
  o.parallel_uploads = 4;
  auto b = make_s3_backend(o);

  // INFINITREE_SOAK=1: many more objects and root rewrites through the same faults.
  const bool soak = std::getenv("INFINITREE_SOAK") != nullptr;
  const int objects = soak ? 100 : 10, rounds = soak ? 50 : 5;
  std::vector<ObjectId> ids;
  std::vector<std::vector<uint8_t>> data;
  for (int i = 0; i < objects; ++i) {
    ids.push_back(ObjectId::random());
    data.push_back(infinitree::testing::random_data(kObjectSize));
    b->write_object(ids.back(), data.back());
  }
  b->sync();
  // The root goes last and conditionally; a cut reply to it must not look like a conflict.
  auto root = ObjectId::random();
  std::string v = b->write_object_if_version(root, object_of(1), "");
  for (int round = 0; round < rounds; ++round) {
    auto seen = b->read_object_versioned(root);
    ASSERT_EQ(seen.version, v);
    v = b->write_object_if_version(root, object_of(static_cast<uint8_t>(2 + round)), seen.version);
  }

  // Read everything back through the faulty path and directly: exact.
  auto direct = make_s3_backend(options_);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(*b->read_object(ids[i]), data[i]) << i;
    EXPECT_EQ(*direct->read_object(ids[i]), data[i]) << i;
    size_t off = (4096 * i) % (kObjectSize - 70000);
    EXPECT_EQ(b->read_range(ids[i], off, 70000),
              std::vector<uint8_t>(data[i].begin() + off, data[i].begin() + off + 70000));
  }
  EXPECT_EQ(*direct->read_object(root), object_of(static_cast<uint8_t>(1 + rounds)));
  auto listed = b->list_objects();
  EXPECT_EQ(listed.size(), ids.size() + 1);

  // The faults really happened (counts, not timings).
  EXPECT_GT(proxy.stat("errors"), 0);
  EXPECT_GT(proxy.stat("cuts"), 0);
  EXPECT_GT(proxy.stat("drops"), 0);
}

TEST_F(S3Faults, FailsCleanlyWhenRetriesRunOutAndLosesNothing) {
  auto direct = make_s3_backend(options_);
  auto kept = ObjectId::random();
  auto root = ObjectId::random();
  direct->write_object(kept, object_of(1));
  std::string v = direct->write_object_if_version(root, object_of(2), "");

  FaultProxy proxy(options_.endpoint, {"--error-rate", "1.0"});
  S3Options o = options_;
  o.endpoint = proxy.endpoint();
  o.max_attempts = 3;
  o.retry_base_ms = 1;
  auto b = make_s3_backend(o);
  b->write_object(ObjectId::random(), object_of(3));
  std::string msg = expect_error(Errc::remote, [&] { b->sync(); });
  EXPECT_NE(msg.find("3 attempt"), std::string::npos) << msg;
  expect_error(Errc::remote, [&] { b->read_object(kept); });
  expect_error(Errc::remote, [&] { b->write_object_if_version(root, object_of(4), v); });

  // The previous state is intact.
  EXPECT_EQ(*direct->read_object(kept), object_of(1));
  auto r = direct->read_object_versioned(root);
  EXPECT_EQ(r.version, v);
  EXPECT_EQ(*r.data, object_of(2));
  EXPECT_EQ(direct->list_objects().size(), 2u);
  EXPECT_EQ(proxy.stat("forwarded"), 0);
}

TEST_F(S3Faults, CutConnectionsOnEveryReplyExhaustAsNetworkErrors) {
  FaultProxy proxy(options_.endpoint, {"--drop-rate", "1.0"});
  S3Options o = options_;
  o.endpoint = proxy.endpoint();
  o.max_attempts = 2;
  o.retry_base_ms = 1;
  auto b = make_s3_backend(o);
  std::string msg = expect_error(Errc::network, [&] { b->read_object(ObjectId::random()); });
  EXPECT_NE(msg.find("2 attempt"), std::string::npos) << msg;
}

// 503 and 429 with Retry-After: the next attempt waits at least that long (our own backoff
// here would be a millisecond), and a Retry-After longer than the time left gives up at
// once instead of sleeping past the budget.
TEST_F(S3Faults, RetryAfterIsHonouredAndBounded) {
  auto id = ObjectId::random();
  make_s3_backend(options_)->write_object(id, object_of(9));
  for (const char* status : {"503", "429"}) {
    SCOPED_TRACE(status);
    FaultProxy proxy(options_.endpoint, {"--error-rate", "1.0", "--error-status", status,
                                         "--retry-after", "1", "--fault-limit", "2"});
    S3Options o = options_;
    o.endpoint = proxy.endpoint();
    o.max_attempts = 5;
    o.retry_base_ms = 1;
    auto b = make_s3_backend(o);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(*b->read_object(id), object_of(9));
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
    EXPECT_EQ(proxy.stat("errors"), 2);
    EXPECT_EQ(proxy.stat("forwarded"), 1);
  }
  {
    FaultProxy proxy(options_.endpoint, {"--error-rate", "1.0", "--error-status", "503",
                                         "--retry-after", "3600"});
    S3Options o = options_;
    o.endpoint = proxy.endpoint();
    o.max_attempts = 5;
    o.max_retry_seconds = 10;
    auto b = make_s3_backend(o);
    auto start = std::chrono::steady_clock::now();
    // Capped at 30 s per wait, which is still past the 10 s budget: no wait at all.
    std::string msg = expect_error(Errc::remote, [&] { b->read_object(id); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_NE(msg.find("Retry-After: 3600"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 attempt"), std::string::npos) << msg;
    EXPECT_EQ(proxy.stat("errors"), 1);
  }
}

}  // namespace
}  // namespace infinitree
