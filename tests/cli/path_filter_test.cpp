// The pattern matcher shared by store --exclude, restore --include/--exclude and ls.
#include "path_filter.hpp"

#include <gtest/gtest.h>

#include "args.hpp"

namespace infinitree::cli {
namespace {

TEST(PathPattern, NameWithoutSlashMatchesAtAnyDepth) {
  EXPECT_TRUE(pattern_matches("*.o", "main.o"));
  EXPECT_TRUE(pattern_matches("*.o", "src/deep/x.o"));
  EXPECT_TRUE(pattern_matches("node_modules", "a/node_modules"));
  EXPECT_FALSE(pattern_matches("*.o", "src/main.c"));
  EXPECT_FALSE(pattern_matches("deep", "src/deep/x.o"));  // the path itself, not a parent
}

TEST(PathPattern, SlashAnchorsAtTheRootAndStarCrossesFolders) {
  EXPECT_TRUE(pattern_matches("/build", "build"));
  EXPECT_FALSE(pattern_matches("/build", "src/build"));
  EXPECT_TRUE(pattern_matches("src/*.tmp", "src/a/b.tmp"));
  EXPECT_TRUE(pattern_matches("docs/*/draft", "docs/a/b/draft"));
  EXPECT_FALSE(pattern_matches("src/*", "docs/src/a"));
}

TEST(PathFilter, EmptySelectsEverything) {
  PathFilter f;
  EXPECT_TRUE(f.empty());
  EXPECT_TRUE(f.selected("a/b"));
}

TEST(PathFilter, IncludeTakesMatchesAndWhatIsBelowThem) {
  PathFilter f;
  f.include("docs");
  EXPECT_TRUE(f.selected("docs"));
  EXPECT_TRUE(f.selected("docs/a/b"));
  EXPECT_FALSE(f.selected("src/main.c"));
  EXPECT_FALSE(f.selected("documents"));
}

TEST(PathFilter, ExcludeWinsOverIncludeAndCoversWhatIsBelow) {
  PathFilter f;
  f.include("src");
  f.exclude("deep");
  EXPECT_TRUE(f.selected("src/main.c"));
  EXPECT_FALSE(f.selected("src/deep"));
  EXPECT_FALSE(f.selected("src/deep/y.c"));
  PathFilter g;
  g.include("src/deep/y.c");
  g.exclude("src");
  EXPECT_FALSE(g.selected("src/deep/y.c"));
}

TEST(PathFilter, EmptyPatternsAreUsageErrors) {
  PathFilter f;
  EXPECT_THROW(f.include(""), UsageError);
  EXPECT_THROW(f.exclude(" \r"), UsageError);
  EXPECT_TRUE(f.empty());
}

TEST(PathFilter, ParentFolders) {
  EXPECT_EQ(parent_folders("a/b/c"), (std::vector<std::string>{"a", "a/b"}));
  EXPECT_TRUE(parent_folders("a").empty());
}

}  // namespace
}  // namespace infinitree::cli
