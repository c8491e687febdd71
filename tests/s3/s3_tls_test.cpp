// HTTPS: certificates are always verified. Against a moto over TLS with a self-signed
// certificate (made by scripts/s3/start-moto.sh): refused without its CA file, working
// with it.
#include <gtest/gtest.h>

#include "backend/backend_test_util.hpp"
#include "s3_test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;
using testing_backend::object_of;

class S3Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* ep = std::getenv("INFINITREE_S3_TLS_ENDPOINT");
    const char* ca = std::getenv("INFINITREE_S3_TLS_CA");
    if (!ep || !*ep || !ca || !*ca)
      GTEST_SKIP() << "INFINITREE_S3_TLS_ENDPOINT is not set: run scripts/s3/run-s3-tests.sh "
                      "(starts moto over HTTPS)";
    options_.endpoint = ep;
    ca_ = ca;
    options_.bucket = testing_s3::random_bucket_name();
    options_.access_key_id = "testing";
    options_.secret_access_key = "testing";
    options_.addressing = S3Options::Addressing::path_style;
    options_.retry_base_ms = 1;
  }
  S3Options options_;
  std::string ca_;
};

TEST_F(S3Tls, UnknownCertificateIsRefused) {
  auto b = make_s3_backend(options_);
  std::string msg = expect_error(Errc::network, [&] { b->list_objects(); });
  EXPECT_NE(msg.find("certificate"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("attempt"), std::string::npos) << "not retried: " << msg;
}

TEST_F(S3Tls, CaFileMakesItTrusted) {
  options_.ca_file = ca_;
  s3::Client(options_).create_bucket();
  auto b = make_s3_backend(options_);
  auto id = ObjectId::random();
  b->write_object(id, object_of(8));
  b->sync();
  EXPECT_EQ(*make_s3_backend(options_)->read_object(id), object_of(8));
}

TEST_F(S3Tls, MissingCaFileIsANetworkError) {
  options_.ca_file = "/nonexistent/ca.pem";
  auto b = make_s3_backend(options_);
  expect_error(Errc::network, [&] { b->list_objects(); });
}

}  // namespace
}  // namespace infinitree
