// A whole tree lifecycle on S3, directly and through the cache: create, commit, reopen
// from another process (which commits too), checkout, reseal, and a second writer that
// must fail with conflict instead of overwriting.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend_test_util.hpp"
#include "fault_proxy.hpp"
#include "infinitree/tree.hpp"
#include "s3_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;

struct Variant {
  const char* name;
  bool cached;
};
void PrintTo(const Variant& v, std::ostream* os) { *os << v.name; }

class S3TreeLifecycle : public testing_s3::S3Fixture,
                        public ::testing::WithParamInterface<Variant> {
 protected:
  // A fresh backend, as a new process would make it.
  std::shared_ptr<Backend> backend(const S3Options& o) {
    auto s3 = make_s3_backend(o);
    if (!GetParam().cached) return s3;
    return make_cache_backend(s3, cache_.path(), 16 * kObjectSize);
  }
  std::shared_ptr<Backend> backend() { return backend(options_); }

  OpenOptions fast() {
    OpenOptions o;
    o.kdf = KdfParams::insecure_fast();
    return o;
  }

  infinitree::testing::ScratchDir cache_;
};

std::string big_value(int seed) {
  auto d = infinitree::testing::compressible_data(300 * 1024, static_cast<uint32_t>(seed));
  return std::string(d.begin(), d.end());
}

TEST_P(S3TreeLifecycle, CreateCommitReopenElsewhereCheckoutReseal) {
  std::string first_commit;
  {
    auto t = Tree::create(backend(), "ann", "pw1", fast());
    auto m = t->map("plants");
    for (int i = 0; i < 200; ++i) m.put("k" + std::to_string(i), "v1-" + std::to_string(i));
    m.put("big", big_value(1));
    first_commit = t->commit("first").value().id;
    m.put("k7", "v2-7");
    m.erase("k8");
    ASSERT_TRUE(t->commit("second").has_value());
    expect_error(Errc::locked, [&] { Tree::open(backend(), "ann", "pw1", fast()); });
  }  // everything (upload threads included) is gone before fork()

  pid_t pid = ::fork();
  if (pid == 0) {
    // Another process: opens, checks, commits a third time.
    int rc = 0;
    try {
      auto t = Tree::open(backend(), "ann", "pw1", fast());
      auto m = t->map("plants");
      if (m.get("k7") != "v2-7" || m.contains("k8") || m.get("big") != big_value(1)) rc = 1;
      m.put("from-child", "yes");
      if (!t->commit("third")) rc = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
      rc = 3;
    }
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  {
    auto t = Tree::open(backend(), "ann", "pw1", fast());
    auto log = t->log();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].message, "third");
    EXPECT_EQ(t->map("plants").get("from-child"), "yes");
    auto old = t->checkout(first_commit);
    EXPECT_EQ(old->map("plants").get("k7"), "v1-7");
    EXPECT_EQ(old->map("plants").get("k8"), "v1-8");
    EXPECT_FALSE(old->map("plants").contains("from-child"));
    t->change_password("ann", "pw2", KdfParams::insecure_fast());
  }
  expect_error(Errc::wrong_credentials, [&] { Tree::open(backend(), "ann", "pw1", fast()); });
  auto t = Tree::open(backend(), "ann", "pw2", fast());
  EXPECT_EQ(t->map("plants").get("big"), big_value(1));
  EXPECT_EQ(t->log().size(), 3u);
  t->close();

  // What the store sees: only 4 MiB objects with opaque names.
  auto keys = client_->list("");
  EXPECT_GE(keys.size(), 2u);
  for (const auto& k : keys) {
    EXPECT_EQ(k.size(), 64u) << k;
    EXPECT_EQ(client_->get(k).data->size(), kObjectSize) << k;
  }
}

TEST_P(S3TreeLifecycle, SecondWriterFailsWithConflictAndLosesNothing) {
  {
    auto t = Tree::create(backend(), "bob", "pw", fast());
    t->map("m").put("a", "1");
    ASSERT_TRUE(t->commit("base"));
  }
  // Two machines: the same bucket through two host names, so no process-local lock is
  // shared between them (as with two real hosts).
  S3Options other = options_;
  other.endpoint = "http://localhost" + options_.endpoint.substr(options_.endpoint.rfind(':'));
  auto writer_a = Tree::open(backend(), "bob", "pw", fast());
  auto writer_b = Tree::open(backend(other), "bob", "pw", fast());
  writer_b->map("m").put("b", "2");
  ASSERT_TRUE(writer_b->commit("from b"));
  writer_a->map("m").put("a", "changed by a");
  std::string msg = expect_error(Errc::conflict, [&] { writer_a->commit("from a"); });
  EXPECT_NE(msg.find("another writer"), std::string::npos) << msg;
  writer_a.reset();
  writer_b.reset();

  auto t = Tree::open(backend(), "bob", "pw", fast());
  EXPECT_EQ(t->log().front().message, "from b");
  EXPECT_EQ(t->map("m").get("a"), "1");
  EXPECT_EQ(t->map("m").get("b"), "2");
}

// Commits through a proxy that fails, cuts and delays requests still succeed, and read back
// exactly; when every request fails the commit fails cleanly, the previous commit stays
// what others see, and the same commit succeeds once the store answers again.
TEST_P(S3TreeLifecycle, CommitsThroughFaultsSucceedOrFailCleanly) {
  testing_s3::FaultProxy proxy(options_.endpoint,
                               {"--error-rate", "0.15", "--cut-rate", "0.1", "--drop-rate",
                                "0.05", "--delay-rate", "0.1", "--delay-ms", "30", "--seed", "11"});
  S3Options faulty = options_;
  faulty.endpoint = proxy.endpoint();
  // Enough attempts for 30% faults; a short total so the all-fail phase gives up quickly.
  faulty.max_attempts = 15;
  faulty.retry_base_ms = 5;
  faulty.max_retry_seconds = 3;
  auto t = Tree::create(backend(faulty), "cy", "pw", fast());
  auto m = t->map("m");
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 50; ++i) m.put("k" + std::to_string(c) + "-" + std::to_string(i), big_value(c * 100 + i).substr(0, 2000));
    m.put("big" + std::to_string(c), big_value(c));
    ASSERT_TRUE(t->commit("c" + std::to_string(c)));
  }
  EXPECT_GT(proxy.stat("errors") + proxy.stat("cuts") + proxy.stat("drops"), 0);

  // Every request fails now: the commit fails cleanly.
  m.put("late", "value");
  m.put("late-big", big_value(77));
  proxy.set("error-rate=1.0&cut-rate=0&drop-rate=0&delay-rate=0");
  EXPECT_THROW(t->commit("c3"), Error);
  {
    auto seen = Tree::open(backend(), "cy", "pw", [&] {
      auto o = fast();
      o.read_only = true;
      return o;
    }());
    EXPECT_EQ(seen->log().front().message, "c2");
    EXPECT_FALSE(seen->map("m").contains("late"));
    EXPECT_EQ(seen->map("m").get("big2"), big_value(2));
  }
  // The store answers again: the retried commit lands, with everything it points to.
  proxy.set("error-rate=0");
  ASSERT_TRUE(t->commit("c3", {}, CommitOptions{.force = true}));
  t.reset();
  auto again = Tree::open(backend(), "cy", "pw", fast());
  EXPECT_EQ(again->log().front().message, "c3");
  EXPECT_EQ(again->map("m").get("late-big"), big_value(77));
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 50; i += 7)
      EXPECT_EQ(again->map("m").get("k" + std::to_string(c) + "-" + std::to_string(i)),
                big_value(c * 100 + i).substr(0, 2000));
  Tree::VerifyReport report = again->verify([](const std::string& p) { ADD_FAILURE() << p; });
  EXPECT_EQ(report.problems, 0u);
}

INSTANTIATE_TEST_SUITE_P(S3, S3TreeLifecycle,
                         ::testing::Values(Variant{"direct", false}, Variant{"cached", true}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace infinitree
