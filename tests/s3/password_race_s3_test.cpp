// A password change on S3 while another process holds the tree open and commits: the change
// must not seal a stale root over the other writer's acknowledged commit.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "infinitree/tree.hpp"
#include "s3_test_util.hpp"

namespace infinitree {
namespace {

class S3PasswordRace : public testing_s3::S3Fixture {
 protected:
  OpenOptions fast() {
    OpenOptions o;
    o.kdf = KdfParams::insecure_fast();
    return o;
  }
};

TEST_F(S3PasswordRace, ChangeAfterAnotherWritersCommitIsAConflictAndLosesNothing) {
  {
    auto t = Tree::create(make_s3_backend(options_), "ann", "old", fast());
    t->map("m").put("a", "1");
    t->commit("first");
  }
  int go[2], done[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(done), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The other process: opens after the parent, commits, reports.
    char c;
    if (read(go[0], &c, 1) != 1) _exit(3);
    try {
      auto t = Tree::open(make_s3_backend(options_), "ann", "old", fast());
      t->map("m").put("b", "from the other writer");
      t->commit("other");
      t->close();
    } catch (const std::exception& e) {
      fprintf(stderr, "other writer: %s\n", e.what());
      _exit(2);
    }
    if (write(done[1], "d", 1) != 1) _exit(3);
    _exit(0);
  }
  auto mine = Tree::open(make_s3_backend(options_), "ann", "old", fast());
  ASSERT_EQ(write(go[1], "g", 1), 1);
  char c;
  ASSERT_EQ(read(done[0], &c, 1), 1);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  try {
    mine->change_password("ann", "new", KdfParams::insecure_fast());
    FAIL() << "a stale handle changed the password";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::conflict) << e.what();
  }
  auto check = Tree::open(make_s3_backend(options_), "ann", "old", [&] {
    auto o = fast();
    o.read_only = true;
    return o;
  }());
  EXPECT_EQ(check->map("m").get("b"), "from the other writer");
  EXPECT_EQ(check->log().size(), 2u);
  EXPECT_THROW(Tree::open(make_s3_backend(options_), "ann", "new", fast()), Error);
}

}  // namespace
}  // namespace infinitree
