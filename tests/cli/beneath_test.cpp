// Unit tests of beneath.hpp: folders below a handle are reached without following links,
// with openat2 and with the component-by-component walk, and removals stay below.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "beneath.hpp"
#include "infinitree/error.hpp"

using namespace infinitree;
using namespace infinitree::cli;
namespace fs = std::filesystem;

namespace {

class Beneath : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    set_openat2_allowed(GetParam());
    static int counter = 0;
    base_ = fs::temp_directory_path() /
            ("it-beneath-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(base_);
    fs::create_directories(base_ / "dest" / "real" / "deeper");
    fs::create_directories(base_ / "outside" / "keep");
    std::ofstream(base_ / "outside" / "keep" / "data") << "precious";
    fs::create_symlink("../outside", base_ / "dest" / "link");
    fs::create_symlink("../../outside", base_ / "dest" / "real" / "link");
    std::ofstream(base_ / "dest" / "file") << "x";
    root_ = Fd(::open((base_ / "dest").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_);
  }
  void TearDown() override {
    set_openat2_allowed(true);
    fs::remove_all(base_);
  }
  bool outside_intact() const {
    std::ifstream in(base_ / "outside" / "keep" / "data");
    std::string s;
    in >> s;
    return s == "precious" && fs::is_directory(base_ / "outside") &&
           std::distance(fs::recursive_directory_iterator(base_ / "outside"), {}) == 2;
  }
  static Errc code_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return Errc::ok;
  }
  // The device and inode a handle refers to, to compare with a path's.
  static std::pair<dev_t, ino_t> id_of(int fd) {
    struct stat st;
    EXPECT_EQ(::fstat(fd, &st), 0);
    return {st.st_dev, st.st_ino};
  }
  static std::pair<dev_t, ino_t> id_of(const fs::path& p) {
    struct stat st;
    EXPECT_EQ(::lstat(p.c_str(), &st), 0);
    return {st.st_dev, st.st_ino};
  }

  fs::path base_;
  Fd root_;
};

TEST_P(Beneath, OpensFoldersBelowTheRoot) {
  EXPECT_EQ(id_of(open_folder_beneath(root_.get(), "", {}, "t").get()), id_of(base_ / "dest"));
  EXPECT_EQ(id_of(open_folder_beneath(root_.get(), ".", {}, "t").get()), id_of(base_ / "dest"));
  EXPECT_EQ(id_of(open_folder_beneath(root_.get(), "real/deeper", {}, "t").get()),
            id_of(base_ / "dest" / "real" / "deeper"));
}

TEST_P(Beneath, NeverFollowsASymlinkOrEntersAFile) {
  for (const char* rel : {"link", "link/keep", "real/link", "real/link/keep", "file", "file/x"})
    EXPECT_EQ(code_of([&] { open_folder_beneath(root_.get(), rel, {}, "t"); }), Errc::already_exists) << rel;
  // Creating missing folders does not go through links either.
  BeneathOptions create{true, false};
  EXPECT_EQ(code_of([&] { open_folder_beneath(root_.get(), "link/new", create, "t"); }), Errc::already_exists);
  EXPECT_FALSE(fs::exists(base_ / "outside" / "new"));
  EXPECT_TRUE(outside_intact());
}

TEST_P(Beneath, CreatesMissingFoldersAndReplacesLinksOnlyWhenAsked) {
  EXPECT_EQ(code_of([&] { open_folder_beneath(root_.get(), "new/sub", {}, "t"); }), Errc::not_found);
  open_folder_beneath(root_.get(), "new/sub", {true, false}, "t");
  EXPECT_TRUE(fs::is_directory(base_ / "dest" / "new" / "sub"));
  // --overwrite: the link itself is replaced by a folder; its target is untouched.
  Fd fd = open_folder_beneath(root_.get(), "link/keep", {true, true}, "t");
  EXPECT_EQ(id_of(fd.get()), id_of(base_ / "dest" / "link" / "keep"));
  EXPECT_FALSE(fs::is_symlink(base_ / "dest" / "link"));
  open_folder_beneath(root_.get(), "file/x", {true, true}, "t");
  EXPECT_TRUE(fs::is_directory(base_ / "dest" / "file" / "x"));
  EXPECT_TRUE(outside_intact());
}

TEST_P(Beneath, RemovesBelowWithoutFollowing) {
  remove_beneath(root_.get(), "link", "t");  // the link only
  EXPECT_FALSE(fs::exists(fs::symlink_status(base_ / "dest" / "link")));
  // A folder holding a link to outside, and a folder without permissions: emptied and gone.
  fs::create_directories(base_ / "dest" / "real" / "locked" / "in");
  ::chmod((base_ / "dest" / "real" / "locked").c_str(), 0);
  remove_beneath(root_.get(), "real", "t");
  EXPECT_FALSE(fs::exists(base_ / "dest" / "real"));
  remove_beneath(root_.get(), "file", "t");
  remove_beneath(root_.get(), "missing", "t");  // not an error
  EXPECT_TRUE(fs::is_empty(base_ / "dest"));
  EXPECT_TRUE(outside_intact());
}

INSTANTIATE_TEST_SUITE_P(Openat2AndWalk, Beneath, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "openat2" : "walk"; });

TEST(BeneathSplit, Parent) {
  EXPECT_EQ(split_parent("a/b/c"), (std::pair<std::string_view, std::string_view>{"a/b", "c"}));
  EXPECT_EQ(split_parent("c"), (std::pair<std::string_view, std::string_view>{"", "c"}));
}

}  // namespace
