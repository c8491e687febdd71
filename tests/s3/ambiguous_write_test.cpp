// Conditional root writes whose outcome the exchange left uncertain: the server applied
// the PUT but its answer was lost (on a reused keep-alive connection, which curl resends
// on by itself; on a fresh one, which our own retry resends), or it answered 500 after
// applying it. The client must read the object back and report success, never `conflict`
// for its own write, and never a failure that tempts a caller into a duplicate commit.
#include <gtest/gtest.h>

#include "backend/backend_test_util.hpp"
#include "fault_proxy.hpp"
#include "infinitree/tree.hpp"
#include "s3_test_util.hpp"

namespace infinitree {
namespace {

using testing_backend::expect_error;
using testing_backend::object_of;
using testing_s3::FaultProxy;

// Only conditional PUTs (the root writes) carry If-Match / If-None-Match.
const std::string kConditional = "(?i)\r\nif-(none-)?match:";

class S3AmbiguousWrite : public testing_s3::S3Fixture {
 protected:
  S3Options through(const FaultProxy& proxy, int attempts) {
    S3Options o = options_;
    o.endpoint = proxy.endpoint();
    o.max_attempts = attempts;
    o.retry_base_ms = 1;
    return o;
  }
  OpenOptions fast() {
    OpenOptions o;
    o.kdf = KdfParams::insecure_fast();
    return o;
  }
};

// The answer to the first conditional PUT is lost on a reused keep-alive connection. With
// one attempt allowed, only curl's own silent resend can try again, and that resend gets
// 412 (our first write already changed the object): no retry count shows it.
TEST_F(S3AmbiguousWrite, LostAnswerOnAReusedConnectionIsOurWrite) {
  FaultProxy proxy(options_.endpoint, {"--keep-alive", "--lose-rate", "1.0", "--match",
                                       kConditional, "--fault-limit", "1"});
  auto b = make_s3_backend(through(proxy, 1));
  auto root = ObjectId::random();
  std::string v1 = b->write_object_if_version(root, object_of(1), "");
  EXPECT_EQ(proxy.stat("losses"), 1);
  EXPECT_FALSE(v1.empty());
  auto direct = make_s3_backend(options_);
  auto seen = direct->read_object_versioned(root);
  EXPECT_EQ(seen.version, v1);
  EXPECT_EQ(*seen.data, object_of(1));

  // The same on a replace (If-Match).
  proxy.set("fault-limit=2");
  std::string v2 = b->write_object_if_version(root, object_of(2), v1);
  EXPECT_EQ(proxy.stat("losses"), 2);
  seen = direct->read_object_versioned(root);
  EXPECT_EQ(seen.version, v2);
  EXPECT_EQ(*seen.data, object_of(2));
}

// Lost on a fresh connection (no keep-alive): curl reports the failure and our own retry
// resends; and a 500 that came after the write was applied.
TEST_F(S3AmbiguousWrite, LostAnswerOrLateFiveHundredThenRetriedIsOurWrite) {
  for (const char* fault : {"--lose-rate", "--fail-after-rate"}) {
    SCOPED_TRACE(fault);
    FaultProxy proxy(options_.endpoint, {fault, "1.0", "--match", kConditional, "--fault-limit", "1"});
    auto b = make_s3_backend(through(proxy, 4));
    auto root = ObjectId::random();
    std::string v1 = b->write_object_if_version(root, object_of(1), "");
    proxy.set("fault-limit=2");
    std::string v2 = b->write_object_if_version(root, object_of(2), v1);
    EXPECT_EQ(proxy.stat("losses") + proxy.stat("fail_afters"), 2);
    auto seen = make_s3_backend(options_)->read_object_versioned(root);
    EXPECT_EQ(seen.version, v2);
    EXPECT_EQ(*seen.data, object_of(2));
  }
}

// Every attempt's answer is lost (the first applied, the rest refused upstream): the
// attempts run out, and reading back still shows the write landed.
TEST_F(S3AmbiguousWrite, EveryAnswerLostButTheWriteLanded) {
  FaultProxy proxy(options_.endpoint, {"--lose-rate", "1.0", "--match", kConditional});
  auto b = make_s3_backend(through(proxy, 3));
  auto root = ObjectId::random();
  std::string v = b->write_object_if_version(root, object_of(5), "");
  EXPECT_EQ(proxy.stat("losses"), 3);
  EXPECT_EQ(make_s3_backend(options_)->read_object_versioned(root).version, v);
}

// The other outcomes stay what they are: a request dropped before it reached the server
// is a network error (not a conflict) and changes nothing; a real second writer is still
// a conflict even when its answer came back through a lost-answer retry.
TEST_F(S3AmbiguousWrite, NotLandedIsANetworkErrorAndRealConflictsStayConflicts) {
  auto direct = make_s3_backend(options_);
  auto root = ObjectId::random();
  std::string v1 = direct->write_object_if_version(root, object_of(1), "");
  {
    FaultProxy proxy(options_.endpoint, {"--drop-rate", "1.0", "--match", kConditional});
    auto b = make_s3_backend(through(proxy, 2));
    expect_error(Errc::network, [&] { b->write_object_if_version(root, object_of(2), v1); });
    EXPECT_EQ(direct->read_object_versioned(root).version, v1);
  }
  // Another writer replaced the object after we read it: our PUT's If-Match fails with
  // 412 (here with its answer lost once, so the 412 comes to a retry). The object is not
  // ours and not what we expected: conflict.
  std::string v2 = direct->write_object_if_version(root, object_of(3), v1);
  FaultProxy proxy(options_.endpoint, {"--lose-rate", "1.0", "--match", kConditional,
                                       "--fault-limit", "1"});
  s3::Client c(through(proxy, 3));
  s3::PutCondition cond;
  cond.if_match = v1;
  std::string msg = expect_error(Errc::conflict, [&] { c.put(root.hex(), object_of(4), cond); });
  EXPECT_NE(msg.find("another writer"), std::string::npos) << msg;
  EXPECT_EQ(proxy.stat("losses"), 1);
  EXPECT_EQ(direct->read_object_versioned(root).version, v2);
  cond = {};
  cond.if_none_match = true;  // "create" over an existing object: conflict too
  expect_error(Errc::conflict, [&] { c.put(root.hex(), object_of(4), cond); });
  EXPECT_EQ(*direct->read_object(root), object_of(3));
}

// What a user sees: `init` and a commit whose answers were lost both succeed, and the tree
// holds exactly one commit (no duplicate from a retry, no false "another writer").
TEST_F(S3AmbiguousWrite, InitAndCommitSucceedWhenTheirAnswersAreLost) {
  FaultProxy proxy(options_.endpoint, {"--keep-alive", "--lose-rate", "1.0", "--match",
                                       kConditional, "--fault-limit", "1"});
  auto t = Tree::create(make_s3_backend(through(proxy, 1)), "ann", "pw", fast());
  EXPECT_EQ(proxy.stat("losses"), 1);
  t->map("m").put("k", "v");
  proxy.set("fault-limit=2");
  ASSERT_TRUE(t->commit("only"));
  EXPECT_EQ(proxy.stat("losses"), 2);
  t.reset();

  auto again = Tree::open(make_s3_backend(options_), "ann", "pw", fast());
  auto log = again->log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].message, "only");
  EXPECT_EQ(again->map("m").get("k"), "v");
}

}  // namespace
}  // namespace infinitree
