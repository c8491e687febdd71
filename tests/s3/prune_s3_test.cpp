// forget + prune on S3, directly and through the cache: space is reclaimed, the kept commit
// reads back from a fresh process-like backend, and a reader that opened before the prune
// keeps reading during the grace period.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "infinitree/tree.hpp"
#include "s3_test_util.hpp"
#include "test_util.hpp"

namespace infinitree {
namespace {

struct PruneVariant {
  const char* name;
  bool cached;
};
void PrintTo(const PruneVariant& v, std::ostream* os) { *os << v.name; }

class S3Prune : public testing_s3::S3Fixture, public ::testing::WithParamInterface<PruneVariant> {
 protected:
  std::shared_ptr<Backend> backend() {
    auto s3 = make_s3_backend(options_);
    if (!GetParam().cached) return s3;
    return make_cache_backend(s3, cache_.path(), 16 * kObjectSize);
  }
  OpenOptions fast(bool read_only = false) {
    OpenOptions o;
    o.kdf = KdfParams::insecure_fast();
    o.read_only = read_only;
    return o;
  }
  infinitree::testing::ScratchDir cache_;
};

std::string filler(int round, int i) {
  auto d = infinitree::testing::random_data(200 * 1024);
  d[0] = static_cast<uint8_t>(round);
  d[1] = static_cast<uint8_t>(i);
  return std::string(d.begin(), d.end());
}

TEST_P(S3Prune, ForgetAndPruneReclaimAndKeepTheKeptCommit) {
  std::map<std::string, std::string> last;
  auto t = Tree::create(backend(), "ann", "pw", fast());
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 30; ++i) {
      std::string v = filler(round, i);
      t->map("m").put("k" + std::to_string(i), v);
      last["k" + std::to_string(i)] = v;
    }
    t->commit("round " + std::to_string(round));
  }
  size_t before = make_s3_backend(options_)->list_objects().size();

  // A reader opens the current version before the writer changes and prunes everything.
  auto reader = Tree::open(backend(), "ann", "pw", fast(true));
  for (int i = 0; i < 30; ++i) {
    std::string v = filler(9, i);
    t->map("m").put("k" + std::to_string(i), v);
  }
  t->commit("overwrite all");
  RetentionPolicy keep_last;
  keep_last.keep_last = 1;
  t->forget(keep_last);
  PruneOptions graceful;
  graceful.grace_ms = 3000;
  auto pruned_at = std::chrono::steady_clock::now();
  SpaceReport deferred = t->prune(graceful);
  EXPECT_GT(deferred.objects_deferred, 0u);
  EXPECT_EQ(deferred.objects_deleted, 0u);
  for (const auto& [k, v] : last) ASSERT_EQ(reader->map("m").get(k), v) << "reader lost " << k;
  ASSERT_LT(std::chrono::steady_clock::now() - pruned_at, std::chrono::milliseconds(3000))
      << "the machine is too slow for this test's grace period";

  // After the grace period the deferred objects go, with everything the last commit left.
  std::this_thread::sleep_for(std::chrono::milliseconds(3100) - (std::chrono::steady_clock::now() - pruned_at));
  for (int i = 0; i < 30; ++i) t->map("m").put("k" + std::to_string(i), "small");
  t->commit("small");
  t->forget(keep_last);
  PruneOptions now;
  now.grace_ms = 0;
  SpaceReport r = t->prune(now);
  EXPECT_GT(r.objects_deleted, 0u);
  EXPECT_EQ(t->space().objects_pending, 0u);
  t->close();
  size_t after = make_s3_backend(options_)->list_objects().size();
  std::printf("S3 prune: %zu objects before, %zu after\n", before, after);
  EXPECT_LE(after, 3u) << "root, one index object, at most one more";
  auto fresh = Tree::open(make_s3_backend(options_), "ann", "pw", fast(true));
  for (int i = 0; i < 30; ++i) EXPECT_EQ(fresh->map("m").get("k" + std::to_string(i)), "small");
  EXPECT_EQ(fresh->verify([](const std::string& p) { ADD_FAILURE() << p; }).problems, 0u);
}

INSTANTIATE_TEST_SUITE_P(S3, S3Prune,
                         ::testing::Values(PruneVariant{"direct", false}, PruneVariant{"cached", true}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace infinitree
