// Shared set-up for tests against a real S3-compatible server: options from the
// environment (scripts/s3/run-s3-tests.sh starts moto and sets them), and a fresh bucket
// per test that is emptied and removed afterwards.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "backend/s3_client.hpp"
#include "crypto/random.hpp"
#include "infinitree/backend.hpp"
#include "util/bytes.hpp"

namespace infinitree::testing_s3 {

inline const char* kSkipMessage =
    "INFINITREE_S3_ENDPOINT is not set: run scripts/s3/run-s3-tests.sh (starts a local moto "
    "S3 server) or export INFINITREE_S3_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

// Options for the server under test, or nullopt when none is configured.
inline std::optional<S3Options> env_options() {
  const char* endpoint = std::getenv("INFINITREE_S3_ENDPOINT");
  if (!endpoint || !*endpoint) return std::nullopt;
  S3Options o;
  o.endpoint = endpoint;
  if (const char* r = std::getenv("INFINITREE_S3_REGION")) o.region = r;
  o.addressing = S3Options::Addressing::path_style;
  o.retry_base_ms = 10;
  return o;
}

inline std::string random_bucket_name() {
  return "it-test-" + hex_encode(crypto::random_bytes(8));
}

// A fresh bucket for one test; removed with its contents at the end.
class S3Fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto o = env_options();
    if (!o) GTEST_SKIP() << kSkipMessage;
    options_ = *o;
    options_.bucket = random_bucket_name();
    client_ = std::make_unique<s3::Client>(options_);
    client_->create_bucket();
  }
  void TearDown() override {
    if (!client_) return;
    try {
      for (const auto& k : client_->list("")) client_->remove(k);
      client_->delete_bucket();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cleaning up the test bucket: " << e.what();
    }
  }
  S3Options options_;
  std::unique_ptr<s3::Client> client_;
};

}  // namespace infinitree::testing_s3
