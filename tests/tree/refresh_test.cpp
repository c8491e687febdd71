// Readers that follow a writer: a read-only tree refreshes to the newest commit without
// reopening, keeps its field handles, keeps serving its state when a refresh fails, and
// follows in the background with backoff.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "backend/backend_test_util.hpp"
#include "infinitree/tree.hpp"

namespace infinitree {
namespace {

using namespace std::chrono_literals;
using testing_backend::expect_error;

OpenOptions fast(bool read_only = false) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.read_only = read_only;
  return o;
}

class Refresh : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = make_memory_backend();
    writer_ = Tree::create(backend_, "w", "pw", fast());
    writer_->map("m").put("k", "v1");
    first_ = writer_->commit("one").value().id;
    reader_ = Tree::open(backend_, "w", "pw", fast(/*read_only=*/true));
  }
  std::shared_ptr<Backend> backend_;
  std::unique_ptr<Tree> writer_, reader_;
  CommitId first_;
};

TEST_F(Refresh, MovesToTheNewestCommitAndKeepsHandles) {
  auto m = reader_->map("m");
  EXPECT_FALSE(reader_->refresh());  // nothing new
  writer_->map("m").put("k", "v2");
  writer_->map("other").put("x", "y");
  auto second = writer_->commit("two").value().id;
  EXPECT_EQ(m.get("k"), "v1");  // a reader sees what it opened until it refreshes
  EXPECT_TRUE(reader_->refresh());
  EXPECT_EQ(m.get("k"), "v2");  // the same handle, now on the new commit
  EXPECT_EQ(reader_->head()->id, second);
  EXPECT_TRUE(reader_->has_field("other"));
  EXPECT_EQ(reader_->log().size(), 2u);
  EXPECT_FALSE(reader_->refresh());
  // A root rewritten without a new commit (a branch made) is taken, but the head is the same.
  writer_->create_branch("side");
  EXPECT_FALSE(reader_->refresh());
  EXPECT_EQ(reader_->branches().size(), 2u);
}

TEST_F(Refresh, IsForReadOnlyTrees) {
  expect_error(Errc::invalid_argument, [&] { writer_->refresh(); });
  expect_error(Errc::invalid_argument, [&] { writer_->follow(); });
  reader_->close();
  expect_error(Errc::closed, [&] { reader_->refresh(); });
}

TEST_F(Refresh, AFailedRefreshKeepsTheStateItHad) {
  auto m = reader_->map("m");
  // New credentials: the root this reader knows is removed.
  writer_->change_password("w2", "pw2", KdfParams::insecure_fast());
  expect_error(Errc::object_missing, [&] { reader_->refresh(); });
  EXPECT_EQ(m.get("k"), "v1");
  EXPECT_EQ(reader_->head()->id, first_);
}

TEST_F(Refresh, FollowCallsBackForEachNewHead) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<CommitId> seen;
  reader_->follow({5ms, 20ms, 2.0}, [&](const CommitInfo& c) {
    std::lock_guard g(mu);
    seen.push_back(c.id);
    cv.notify_all();
  });
  std::vector<CommitId> made;
  for (int i = 0; i < 3; ++i) {
    writer_->map("m").put("k", "f" + std::to_string(i));
    made.push_back(writer_->commit("f").value().id);
    std::unique_lock g(mu);
    ASSERT_TRUE(cv.wait_for(g, 30s, [&] { return seen.size() == made.size(); }))
        << "the follower did not see commit " << i;
  }
  EXPECT_EQ(seen, made);
  EXPECT_EQ(reader_->map("m").get("k"), "f2");
  reader_->stop_following();
  auto s = reader_->follow_stats();
  EXPECT_EQ(s.new_heads, 3u);
  EXPECT_GE(s.polls, 3u);
  EXPECT_EQ(s.errors, 0u);
  // Stopped: later commits are not picked up by themselves.
  writer_->map("m").put("k", "after");
  writer_->commit("after");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(reader_->map("m").get("k"), "f2");
  EXPECT_EQ(reader_->follow_stats().polls, s.polls);
}

TEST_F(Refresh, UnchangedPollsBackOff) {
  reader_->follow({10ms, 40ms, 2.0});
  std::this_thread::sleep_for(400ms);
  reader_->stop_following();
  // Waits of 10, 20, 40, 40 ... ms: at most about 11 polls in 400 ms (fewer on a busy
  // machine); at a fixed 10 ms it would be about 40.
  auto s = reader_->follow_stats();
  EXPECT_GE(s.polls, 1u);
  EXPECT_LE(s.polls, 12u);
  EXPECT_EQ(s.refreshed, 0u);
}

TEST_F(Refresh, FollowOptionsAreChecked) {
  expect_error(Errc::invalid_argument, [&] { reader_->follow({0ms, 10ms, 2.0}); });
  expect_error(Errc::invalid_argument, [&] { reader_->follow({20ms, 10ms, 2.0}); });
  expect_error(Errc::invalid_argument, [&] { reader_->follow({10ms, 20ms, 0.5}); });
}

TEST_F(Refresh, ClosingStopsTheFollower) {
  reader_->follow({1ms, 1ms, 1.0});
  std::this_thread::sleep_for(20ms);
  reader_->close();  // joins the follower; must not hang or race
  auto polls = reader_->follow_stats().polls;
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(reader_->follow_stats().polls, polls);
}

}  // namespace
}  // namespace infinitree
