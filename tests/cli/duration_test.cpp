// Durations for forget --keep-within and prune --grace: units, zero, and the errors.
#include <gtest/gtest.h>

#include "args.hpp"
#include "duration.hpp"

using namespace infinitree::cli;

TEST(Duration, Units) {
  EXPECT_EQ(parse_duration_ms("45s", "grace", false), 45'000);
  EXPECT_EQ(parse_duration_ms("30m", "grace", false), 30LL * 60'000);
  EXPECT_EQ(parse_duration_ms("12h", "grace", false), 12LL * 3'600'000);
  EXPECT_EQ(parse_duration_ms("7d", "grace", false), 7LL * 86'400'000);
  EXPECT_EQ(parse_duration_ms("2w", "grace", false), 14LL * 86'400'000);
  EXPECT_EQ(parse_duration_ms("1y", "grace", false), 365LL * 86'400'000);
  EXPECT_EQ(parse_duration_ms("10000y", "grace", false), 10000LL * 365 * 86'400'000);
}

TEST(Duration, Zero) {
  EXPECT_EQ(parse_duration_ms("0", "grace", true), 0);
  EXPECT_EQ(parse_duration_ms("0m", "grace", true), 0);
  EXPECT_THROW(parse_duration_ms("0", "keep-within", false), UsageError);
  EXPECT_THROW(parse_duration_ms("0d", "keep-within", false), UsageError);
}

TEST(Duration, Errors) {
  for (const char* bad : {"", "7", "d", "7x", "7dd", "-7d", "+7d", "1.5h", " 7d", "7d ", "7D", "10001y",
                          "99999999999999999999d", "7 d"})
    EXPECT_THROW(parse_duration_ms(bad, "keep-within", true), UsageError) << "'" << bad << "'";
  try {
    parse_duration_ms("7x", "keep-within", true);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--keep-within"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
  }
}
