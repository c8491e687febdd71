// The conditional-write probe (src/backend/s3_write_probe.hpp): the server under test
// (moto, SeaweedFS) honours If-None-Match: * and If-Match; a server that ignores them
// (scripts/s3/fault_proxy.py --strip-conditions in front of it) is found out, and a tree
// there opens read-only but is refused for writing, directly and through a cache.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "backend/backend_test_util.hpp"
#include "backend/conditional_read.hpp"
#include "backend/s3_write_probe.hpp"
#include "fault_proxy.hpp"
#include "infinitree/tree.hpp"
#include "s3_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;
using testing_s3::FaultProxy;

class ConditionalWriteProbe : public testing_s3::S3Fixture {
 protected:
  OpenOptions fast(bool read_only = false) {
    OpenOptions o;
    o.kdf = KdfParams::insecure_fast();
    o.read_only = read_only;
    return o;
  }
  // The proxy removes signed headers, which a signature-checking server refuses: the
  // "ignoring server" tests need one that does not check (moto's default instance).
  bool server_checks_signatures() const {
    const char* s = std::getenv("INFINITREE_S3_SERVER");
    return s && std::strcmp(s, "seaweedfs") == 0;
  }
  std::vector<std::string> probe_leftovers() {
    std::vector<std::string> out;
    for (const auto& k : client_->list(""))
      if (k.find("infinitree-write-probe-") != std::string::npos) out.push_back(k);
    return out;
  }
};

TEST_F(ConditionalWriteProbe, ServerUnderTestHonoursBothConditions) {
  options_.prefix = "trees/p/";
  s3::Client c(options_);
  auto r = s3::probe_conditional_writes(c, options_.prefix);
  EXPECT_TRUE(r.if_none_match) << "If-None-Match: * over an existing key was not refused";
  EXPECT_TRUE(r.if_match) << "If-Match with a stale ETag was not refused";
  EXPECT_TRUE(probe_leftovers().empty());
}

TEST_F(ConditionalWriteProbe, ProbedOncePerStoreAndProcess) {
  FaultProxy proxy(options_.endpoint, {});
  S3Options o = options_;
  o.endpoint = proxy.endpoint();
  s3::Client c(o);
  int before = proxy.stat("requests");
  s3::require_conditional_writes(c, "");
  int after_first = proxy.stat("requests");
  EXPECT_GE(after_first - before, 4);  // three PUTs and a DELETE at least
  s3::Client again(o);
  s3::require_conditional_writes(again, "");
  EXPECT_EQ(proxy.stat("requests"), after_first);  // the recorded answer
}

TEST_F(ConditionalWriteProbe, IgnoringServerIsFoundOutAndRefusedForWriting) {
  if (server_checks_signatures())
    GTEST_SKIP() << "stripping signed headers breaks signatures on this server; runs on moto";
  // A tree made where conditions are honoured...
  {
    auto t = Tree::create(make_s3_backend(options_), "ann", "pw", fast());
    t->map("m").put("k", "v1");
    ASSERT_TRUE(t->commit("one"));
  }
  FaultProxy proxy(options_.endpoint, {"--strip-conditions", "1"});
  S3Options o = options_;
  o.endpoint = proxy.endpoint();
  s3::Client c(o);
  auto r = s3::probe_conditional_writes(c, "");
  EXPECT_FALSE(r.if_none_match);
  EXPECT_FALSE(r.if_match);

  // ...reads fine through the ignoring server, but is not opened for writing there.
  auto reader = Tree::open(make_s3_backend(o), "ann", "pw", fast(/*read_only=*/true));
  EXPECT_EQ(reader->map("m").get("k"), "v1");
  std::string msg = expect_error(Errc::remote, [&] { Tree::open(make_s3_backend(o), "ann", "pw", fast()); });
  EXPECT_NE(msg.find("ignores conditional writes"), std::string::npos) << msg;
  infinitree::testing::ScratchDir cache;
  expect_error(Errc::remote, [&] {
    Tree::open(make_cache_backend(make_s3_backend(o), cache.path(), 8 * kObjectSize), "ann", "pw", fast());
  });
  expect_error(Errc::remote, [&] { Tree::create(make_s3_backend(o), "bob", "pw", fast()); });
  // Nothing was written: the commit is still the one there, and no probe key is left.
  auto again = Tree::open(make_s3_backend(options_), "ann", "pw", fast(true));
  EXPECT_EQ(again->log().size(), 1u);
  EXPECT_TRUE(probe_leftovers().empty());
}

TEST_F(ConditionalWriteProbe, UnchangedRootCostsOneConditionalRequest) {
  FaultProxy proxy(options_.endpoint, {});
  S3Options o = options_;
  o.endpoint = proxy.endpoint();
  auto b = make_s3_backend(o);
  auto id = ObjectId::random();
  auto v1 = b->write_object_if_version(id, testing_backend::object_of(1), "");
  int before = proxy.stat("requests");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(read_object_if_changed(*b, id, v1).has_value());
  EXPECT_EQ(proxy.stat("requests") - before, 5);
  auto v2 = b->write_object_if_version(id, testing_backend::object_of(2), v1);
  auto changed = read_object_if_changed(*b, id, v1);
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->version, v2);
  EXPECT_EQ((*changed->data)[7], 2);
  EXPECT_FALSE(read_object_if_changed(*b, id, v2).has_value());
  b->delete_object(id);
  expect_error(Errc::object_missing, [&] { read_object_if_changed(*b, id, v2); });
}

}  // namespace
}  // namespace infinitree
