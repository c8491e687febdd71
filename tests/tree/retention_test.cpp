// RetentionPolicy as restic users know it: keep-last, time buckets, keep-within, and
// branch heads and tags always kept.
#include <gtest/gtest.h>

#include "tree/retention.hpp"

using namespace infinitree;

namespace {
constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;
// 2026-01-05 00:00:00 UTC, a Monday.
constexpr int64_t kMonday = 1767571200000;

std::vector<RetentionCandidate> hourly_for_days(int days) {
  std::vector<RetentionCandidate> v;
  for (int h = 0; h < days * 24; ++h) v.push_back({"c" + std::to_string(h), kMonday + h * kHour, false});
  return v;
}
size_t kept(const std::vector<bool>& k) { return static_cast<size_t>(std::count(k.begin(), k.end(), true)); }
}  // namespace

TEST(Retention, KeepLastKeepsTheNewest) {
  auto c = hourly_for_days(1);
  RetentionPolicy p;
  p.keep_last = 3;
  auto k = apply_retention(c, p);
  EXPECT_EQ(kept(k), 3u);
  EXPECT_TRUE(k[23] && k[22] && k[21]);
}

TEST(Retention, DailyKeepsTheNewestOfEachDay) {
  auto c = hourly_for_days(10);
  RetentionPolicy p;
  p.keep_daily = 4;
  auto k = apply_retention(c, p);
  EXPECT_EQ(kept(k), 4u);
  for (int d = 9; d >= 6; --d) EXPECT_TRUE(k[static_cast<size_t>(d * 24 + 23)]) << "day " << d;
}

TEST(Retention, WeeklyUsesIsoWeeksStartingMonday) {
  auto c = hourly_for_days(15);  // Monday 5 Jan .. Monday 19 Jan 23:00: weeks 2, 3 and 4
  RetentionPolicy p;
  p.keep_weekly = 10;
  auto k = apply_retention(c, p);
  EXPECT_EQ(kept(k), 3u);
  EXPECT_TRUE(k[6 * 24 + 23]);   // Sunday 11 Jan 23:00, last of week 2
  EXPECT_TRUE(k[13 * 24 + 23]);  // Sunday 18 Jan 23:00, last of week 3
  EXPECT_TRUE(k[14 * 24 + 23]);  // the newest
}

TEST(Retention, MonthlyYearlyAndHourly) {
  std::vector<RetentionCandidate> c;
  for (int m = 0; m < 30; ++m) c.push_back({"m" + std::to_string(m), kMonday + m * 31 * kDay, false});
  RetentionPolicy p;
  p.keep_monthly = 5;
  EXPECT_EQ(kept(apply_retention(c, p)), 5u);
  p = {};
  p.keep_yearly = 10;
  EXPECT_EQ(kept(apply_retention(c, p)), 3u);  // 2026, 2027, 2028
  p = {};
  p.keep_hourly = 5;
  EXPECT_EQ(kept(apply_retention(hourly_for_days(1), p)), 5u);
}

TEST(Retention, KeepWithinIsMeasuredFromTheNewestCommit) {
  auto c = hourly_for_days(3);
  RetentionPolicy p;
  p.keep_within_ms = 10 * kHour;
  auto k = apply_retention(c, p);
  EXPECT_EQ(kept(k), 11u);  // the newest and the 10 hours before it
}

TEST(Retention, HeadsAndTagsAreAlwaysKeptAndRulesCombine) {
  auto c = hourly_for_days(2);
  c[0].always_keep = true;
  RetentionPolicy p;
  p.keep_last = 2;
  p.keep_daily = 2;
  auto k = apply_retention(c, p);
  EXPECT_TRUE(k[0]);
  EXPECT_TRUE(k[23]);                 // newest of day 1
  EXPECT_TRUE(k[47] && k[46]);        // last 2 (47 is also the newest of day 2)
  EXPECT_EQ(kept(k), 4u);
}

TEST(Retention, EqualTimesFollowTheGivenOrder) {
  std::vector<RetentionCandidate> c = {{"a", 5, false}, {"b", 5, false}, {"c", 5, false}};
  RetentionPolicy p;
  p.keep_last = 1;
  auto k = apply_retention(c, p);
  EXPECT_EQ(k, (std::vector<bool>{true, false, false}));
}
