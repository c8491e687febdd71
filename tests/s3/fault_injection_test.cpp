// The S3 backend through scripts/s3/fault_proxy.py, which answers 500/503 to a share of
// requests, cuts connections mid-reply, drops requests and delays others. Writes must
// still land (or fail cleanly once retries run out) and reads must be exact.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend_test_util.hpp"
#include "backend/http_client.hpp"
#include "s3_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

namespace fs = std::filesystem;
using testing_backend::expect_error;
using testing_backend::object_of;

fs::path proxy_script() {
  if (const char* p = std::getenv("INFINITREE_FAULT_PROXY")) return p;
  // tests/s3/this_file.cpp -> scripts/s3/fault_proxy.py
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "scripts" / "s3" /
         "fault_proxy.py";
}

// Runs the proxy as a child process for the lifetime of the object.
class FaultProxy {
 public:
  FaultProxy(const std::string& upstream_endpoint, std::vector<std::string> faults) {
    std::string upstream = upstream_endpoint.substr(upstream_endpoint.find("://") + 3);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> args = {"python3", proxy_script().string(), "--upstream", upstream};
    args.insert(args.end(), faults.begin(), faults.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[64] = {0};
    if (!f || !std::fgets(line, sizeof line, f)) {
      if (f) std::fclose(f);
      throw std::runtime_error("fault proxy did not start: " + proxy_script().string());
    }
    std::fclose(f);
    port_ = std::atoi(line);
  }
  ~FaultProxy() {
    ::kill(pid_, SIGTERM);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // A counter from the proxy's /__stats JSON.
  int stat(const std::string& name) const {
    http::Client c(http::ClientOptions{});
    http::Request r;
    r.method = "GET";
    r.url = endpoint() + "/__stats";
    auto res = c.perform(r);
    std::string body(res.response.body.begin(), res.response.body.end());
    auto pos = body.find("\"" + name + "\": ");
    return pos == std::string::npos ? -1 : std::atoi(body.c_str() + pos + name.size() + 4);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

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

}  // namespace
}  // namespace infinitree
