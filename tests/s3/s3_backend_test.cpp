// The S3 backend against a real S3-compatible server (moto in server mode, started by
// scripts/s3/run-s3-tests.sh). Skipped with a message when no server is configured.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend_test_util.hpp"
#include "infinitree/tree.hpp"
#include "s3_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;
using testing_backend::object_of;
using testing_s3::S3Fixture;

class S3Backend : public S3Fixture {};

TEST_F(S3Backend, RoundTripRangeListDelete) {
  auto b = make_s3_backend(options_);
  auto id = ObjectId::random();
  auto data = infinitree::testing::random_data(kObjectSize);
  b->write_object(id, data);
  b->sync();
  EXPECT_TRUE(b->has_object(id));
  EXPECT_EQ(*b->read_object(id), data);
  EXPECT_EQ(b->read_range(id, 12345, 1000),
            std::vector<uint8_t>(data.begin() + 12345, data.begin() + 13345));
  EXPECT_EQ(b->read_range(id, kObjectSize - 1, 1), std::vector<uint8_t>(1, data.back()));
  EXPECT_TRUE(b->read_range(id, 5, 0).empty());
  expect_error(Errc::object_truncated, [&] { b->read_range(id, kObjectSize - 1, 2); });
  EXPECT_EQ(b->list_objects(), std::vector<ObjectId>{id});

  b->delete_object(id);
  b->delete_object(id);  // idempotent
  EXPECT_FALSE(b->has_object(id));
  expect_error(Errc::object_missing, [&] { b->read_object(id); });
  expect_error(Errc::object_missing, [&] { b->read_range(id, 0, 10); });
  expect_error(Errc::object_missing, [&] { b->read_range(id, 0, 0); });
  EXPECT_TRUE(b->list_objects().empty());
}

TEST_F(S3Backend, WrongSizeIsRejectedBeforeQueueing) {
  auto b = make_s3_backend(options_);
  std::vector<uint8_t> small(10);
  expect_error(Errc::invalid_argument, [&] { b->write_object(ObjectId::random(), small); });
  b->sync();
  EXPECT_TRUE(client_->list("").empty());
}

TEST_F(S3Backend, ParallelUploadsQueuedReadsAndSync) {
  options_.parallel_uploads = 4;
  auto b = make_s3_backend(options_);
  std::vector<ObjectId> ids;
  for (int i = 0; i < 12; ++i) {
    ids.push_back(ObjectId::random());
    b->write_object(ids.back(), object_of(static_cast<uint8_t>(i)));
    // Readable at once, whether still queued or already uploaded.
    EXPECT_EQ((*b->read_object(ids.back()))[100], i);
    EXPECT_TRUE(b->has_object(ids.back()));
  }
  b->sync();
  auto listed = b->list_objects();
  std::sort(listed.begin(), listed.end());
  auto expected = ids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed, expected);
  // A fresh handle (as another process would) reads exactly what was written.
  auto other = make_s3_backend(options_);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(*other->read_object(ids[i]), object_of(static_cast<uint8_t>(i)));
}

TEST_F(S3Backend, LastWriteOfAnIdWins) {
  options_.parallel_uploads = 4;
  auto b = make_s3_backend(options_);
  auto id = ObjectId::random();
  for (int i = 0; i < 6; ++i) b->write_object(id, object_of(static_cast<uint8_t>(i)));
  b->sync();
  EXPECT_EQ(*make_s3_backend(options_)->read_object(id), object_of(5));
}

TEST_F(S3Backend, DeleteAfterQueuedWriteStaysDeleted) {
  auto b = make_s3_backend(options_);
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  b->delete_object(id);
  b->sync();
  EXPECT_FALSE(make_s3_backend(options_)->has_object(id));
}

TEST_F(S3Backend, EveryObjectInTheBucketIsExactly4MiBWithAnOpaqueName) {
  options_.prefix = "trees/t1";
  auto b = make_s3_backend(options_);
  for (int i = 0; i < 3; ++i) b->write_object(ObjectId::random(), object_of(static_cast<uint8_t>(i)));
  b->write_object_if_version(ObjectId::random(), object_of(9), "");
  b->sync();
  auto keys = client_->list("");
  ASSERT_EQ(keys.size(), 4u);
  for (const auto& k : keys) {
    ASSERT_EQ(k.rfind("trees/t1/", 0), 0u) << k;
    std::string name = k.substr(9);
    EXPECT_EQ(name.size(), 64u) << k;
    EXPECT_TRUE(std::all_of(name.begin(), name.end(),
                            [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }));
    EXPECT_EQ(client_->get(k).data->size(), kObjectSize) << k;
  }
}

TEST_F(S3Backend, PrefixesSeparateStoresAndForeignKeysAreIgnored) {
  S3Options a = options_, c = options_;
  a.prefix = "a/";
  c.prefix = "c";
  auto ba = make_s3_backend(a), bc = make_s3_backend(c);
  auto ida = ObjectId::random(), idc = ObjectId::random();
  ba->write_object(ida, object_of(1));
  bc->write_object(idc, object_of(2));
  ba->sync();
  bc->sync();
  std::vector<uint8_t> note = {'h', 'i'};
  client_->put("a/README", note);
  client_->put("a/deeper/" + ida.hex(), note);
  EXPECT_EQ(ba->list_objects(), std::vector<ObjectId>{ida});
  EXPECT_EQ(bc->list_objects(), std::vector<ObjectId>{idc});
  EXPECT_FALSE(ba->has_object(idc));
}

TEST_F(S3Backend, ListFollowsContinuationTokens) {
  std::vector<uint8_t> tiny = {1, 2, 3};
  std::vector<std::string> keys;
  for (int i = 0; i < 23; ++i) {
    keys.push_back("p/" + std::to_string(1000 + i));
    client_->put(keys.back(), tiny);
  }
  auto listed = client_->list("p/", /*page_size=*/5);
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, keys);
}

TEST_F(S3Backend, ConditionalWritesDetectASecondWriter) {
  auto writer1 = make_s3_backend(options_);
  auto writer2 = make_s3_backend(options_);
  auto root = ObjectId::random();
  EXPECT_EQ(writer1->object_version(root), "");
  std::string v1 = writer1->write_object_if_version(root, object_of(1), "");
  ASSERT_FALSE(v1.empty());
  expect_error(Errc::conflict, [&] { writer2->write_object_if_version(root, object_of(2), ""); });

  // Both writers open the tree at v1.
  auto seen1 = writer1->read_object_versioned(root);
  auto seen2 = writer2->read_object_versioned(root);
  EXPECT_EQ(seen1.version, v1);
  EXPECT_EQ(seen2.version, v1);
  EXPECT_EQ(*seen2.data, object_of(1));
  std::string v2 = writer2->write_object_if_version(root, object_of(2), seen2.version);
  EXPECT_NE(v2, v1);
  std::string msg = expect_error(Errc::conflict, [&] {
    writer1->write_object_if_version(root, object_of(3), seen1.version);
  });
  EXPECT_NE(msg.find("another writer"), std::string::npos) << msg;
  EXPECT_EQ(*writer1->read_object(root), object_of(2));
  EXPECT_EQ(writer1->object_version(root), v2);
}

TEST_F(S3Backend, ConditionalWriteWaitsForQueuedUploads) {
  auto b = make_s3_backend(options_);
  std::vector<ObjectId> deps;
  for (int i = 0; i < 6; ++i) {
    deps.push_back(ObjectId::random());
    b->write_object(deps.back(), object_of(static_cast<uint8_t>(i)));
  }
  b->write_object_if_version(ObjectId::random(), object_of(7), "");
  // When the root is in place, everything before it is in the bucket, not just queued.
  auto direct = s3::Client(options_);
  for (const auto& id : deps) EXPECT_TRUE(direct.head(id.hex()).has_value());
}

TEST_F(S3Backend, ConditionalWriteRaceAcrossProcesses) {
  auto root = ObjectId::random();
  std::string v;
  {
    // Destroyed (its upload threads joined) before fork(): children of a multi-threaded
    // process should not start threads (and TSan refuses to).
    auto b = make_s3_backend(options_);
    v = b->write_object_if_version(root, object_of(0), "");
  }
  // Four processes race to replace v: exactly one may win.
  std::vector<pid_t> kids;
  for (int k = 0; k < 4; ++k) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int rc = 3;
      try {
        auto mine = make_s3_backend(options_);
        mine->write_object_if_version(root, object_of(static_cast<uint8_t>(10 + k)), v);
        rc = 0;
      } catch (const Error& e) {
        rc = e.code() == Errc::conflict ? 1 : 2;
      }
      ::_exit(rc);
    }
    kids.push_back(pid);
  }
  int wins = 0, conflicts = 0;
  for (pid_t pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) ++wins;
    if (WEXITSTATUS(status) == 1) ++conflicts;
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(conflicts, 3);
}

TEST_F(S3Backend, MissingBucketIsNotFoundNamingTheBucket) {
  S3Options o = options_;
  o.bucket = testing_s3::random_bucket_name();
  auto b = make_s3_backend(o);
  std::string msg = expect_error(Errc::not_found, [&] { b->list_objects(); });
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  EXPECT_NE(msg.find(o.bucket), std::string::npos) << msg;
  expect_error(Errc::not_found, [&] { b->read_object(ObjectId::random()); });
  // HEAD's 404 has no body: the backend asks about the bucket before saying "absent".
  msg = expect_error(Errc::not_found, [&] { b->object_version(ObjectId::random()); });
  EXPECT_NE(msg.find("bucket '" + o.bucket + "' does not exist"), std::string::npos) << msg;
  expect_error(Errc::not_found, [&] { b->has_object(ObjectId::random()); });
  expect_error(Errc::not_found, [&] { b->is_empty(); });
  // A failed upload surfaces at sync(), stays readable, and is retried by the next sync:
  // a commit retried after a failure must not write a root over a missing object.
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  msg = expect_error(Errc::not_found, [&] { b->sync(); });
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  EXPECT_EQ(*b->read_object(id), object_of(1));
  expect_error(Errc::not_found, [&] { b->sync(); });
  expect_error(Errc::not_found, [&] { b->write_object_if_version(ObjectId::random(), object_of(2), ""); });
  s3::Client(o).create_bucket();  // the cause goes away
  b->sync();
  EXPECT_EQ(*make_s3_backend(o)->read_object(id), object_of(1));
  s3::Client(o).remove(id.hex());
  s3::Client(o).delete_bucket();
}

// The three reasons a tree does not open are told apart: no bucket (not_found, naming the
// bucket), no tree in the store (the store is empty), and credentials that open no tree
// in a store that holds one (wrong_credentials).
TEST_F(S3Backend, MissingBucketMissingTreeAndWrongCredentialsDiffer) {
  OpenOptions fast;
  fast.kdf = KdfParams::insecure_fast();
  S3Options gone = options_;
  gone.bucket = testing_s3::random_bucket_name();
  std::string msg = expect_error(Errc::not_found, [&] {
    Tree::open(make_s3_backend(gone), "ann", "pw", fast);
  });
  EXPECT_NE(msg.find("bucket '" + gone.bucket + "' does not exist"), std::string::npos) << msg;
  msg = expect_error(Errc::not_found, [&] {
    Tree::create(make_s3_backend(gone), "ann", "pw", fast);
  });
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;

  auto b = make_s3_backend(options_);
  EXPECT_TRUE(b->is_empty());
  client_->put("readme.txt", as_bytes(std::string("not an object")));  // foreign keys do not count
  EXPECT_TRUE(b->is_empty());
  Tree::create(b, "ann", "pw", fast)->close();
  EXPECT_FALSE(b->is_empty());
  expect_error(Errc::wrong_credentials, [&] { Tree::open(b, "ann", "nope", fast); });
  client_->remove("readme.txt");
}

TEST_F(S3Backend, KeysWithEntitiesAndNonAsciiListExactly) {
  const std::vector<std::string> keys = {"a&b<c>\"d'", "caf\xC3\xA9/\xE2\x82\xAC",
                                         "smile-\xF0\x9F\x98\x80", "plus+space %20"};
  for (const auto& k : keys) client_->put(k, as_bytes(k));
  auto listed = client_->list("");
  std::sort(listed.begin(), listed.end());
  auto want = keys;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(listed, want);
  for (const auto& k : keys) EXPECT_EQ(as_string_view(*client_->get(k).data), k);
}

TEST_F(S3Backend, DeletingAFailedUploadAbandonsIt) {
  S3Options o = options_;
  o.bucket = testing_s3::random_bucket_name();
  o.max_attempts = 1;
  auto b = make_s3_backend(o);
  auto id = ObjectId::random();
  b->write_object(id, object_of(1));
  expect_error(Errc::not_found, [&] { b->sync(); });
  s3::Client(o).create_bucket();
  b->delete_object(id);  // abandons the failed upload
  b->sync();             // so nothing is left to retry
  EXPECT_FALSE(b->has_object(id));
  EXPECT_TRUE(b->list_objects().empty());
  s3::Client(o).delete_bucket();
}

TEST_F(S3Backend, UnreachableEndpointIsANetworkErrorAfterRetries) {
  S3Options o = options_;
  // A port nobody listens on (bound then closed).
  o.endpoint = "http://127.0.0.1:1";
  o.max_attempts = 3;
  o.retry_base_ms = 1;
  auto b = make_s3_backend(o);
  std::string msg = expect_error(Errc::network, [&] { b->read_object(ObjectId::random()); });
  EXPECT_NE(msg.find("3 attempt"), std::string::npos) << msg;
}

TEST_F(S3Backend, VirtualHostedAddressing) {
  // curl resolves *.localhost to loopback itself, so bucket.localhost:port reaches moto.
  S3Options o = options_;
  std::string ep = o.endpoint;
  auto colon = ep.rfind(':');
  o.endpoint = "http://localhost" + ep.substr(colon);
  o.addressing = S3Options::Addressing::virtual_hosted;
  auto b = make_s3_backend(o);
  auto id = ObjectId::random();
  b->write_object(id, object_of(4));
  b->sync();
  EXPECT_EQ(*b->read_object(id), object_of(4));
  // The object landed in the test bucket, as path-style sees it.
  EXPECT_TRUE(client_->head(id.hex()).has_value());
}

TEST_F(S3Backend, CredentialsFromTheEnvironment) {
  S3Options o = options_;
  o.access_key_id.clear();
  o.secret_access_key.clear();
  // Restore the environment whatever happens: later tests need it.
  struct Restore {
    std::string key, secret;
    bool had_key, had_secret;
    ~Restore() {
      if (had_key) ::setenv("AWS_ACCESS_KEY_ID", key.c_str(), 1);
      if (had_secret) ::setenv("AWS_SECRET_ACCESS_KEY", secret.c_str(), 1);
    }
  } restore{std::getenv("AWS_ACCESS_KEY_ID") ? std::getenv("AWS_ACCESS_KEY_ID") : "",
            std::getenv("AWS_SECRET_ACCESS_KEY") ? std::getenv("AWS_SECRET_ACCESS_KEY") : "",
            std::getenv("AWS_ACCESS_KEY_ID") != nullptr,
            std::getenv("AWS_SECRET_ACCESS_KEY") != nullptr};
  ::setenv("AWS_ACCESS_KEY_ID", "envkey", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
  auto b = make_s3_backend(o);  // would throw invalid_argument without credentials
  EXPECT_TRUE(b->list_objects().empty());
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
}

TEST_F(S3Backend, DescribeAndWriterLock) {
  options_.prefix = "x";
  auto a = make_s3_backend(options_);
  auto b = make_s3_backend(options_);
  EXPECT_NE(a->describe().find("s3://" + options_.bucket + "/x/"), std::string::npos);
  auto root = ObjectId::random();
  auto lock = a->lock_writer(root);
  expect_error(Errc::locked, [&] { b->lock_writer(root); });
}

TEST(S3Options, FromUrl) {
  auto o = s3_options_from_url("s3://bucket/some/prefix");
  EXPECT_EQ(o.bucket, "bucket");
  EXPECT_EQ(o.prefix, "some/prefix");
  EXPECT_EQ(s3_options_from_url("s3://b").prefix, "");
  expect_error(Errc::invalid_argument, [] { s3_options_from_url("http://b/x"); });
  expect_error(Errc::invalid_argument, [] { s3_options_from_url("s3:///x"); });
}

TEST(S3Options, BadEndpointsAreInvalidArgument) {
  S3Options o;
  o.bucket = "b";
  o.access_key_id = "k";
  o.secret_access_key = "s";
  o.endpoint = "ftp://x";
  expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
  o.endpoint = "127.0.0.1:9000";
  expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
  o.endpoint = "http://host/path";
  expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
  o.endpoint = "http://host";
  o.bucket.clear();
  expect_error(Errc::invalid_argument, [&] { make_s3_backend(o); });
}

}  // namespace
}  // namespace infinitree
