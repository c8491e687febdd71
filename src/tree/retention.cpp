#include "tree/retention.hpp"

#include <algorithm>
#include <ctime>
#include <numeric>

namespace infinitree {

namespace {

std::tm utc(int64_t time_ms) {
  std::time_t t = static_cast<std::time_t>(time_ms / 1000 - (time_ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

// A number naming the bucket a time falls in, for each kind of bucket.
enum class Bucket { hour, day, week, month, year };

int64_t bucket_of(int64_t time_ms, Bucket b) {
  std::tm tm = utc(time_ms);
  int64_t year = tm.tm_year + 1900;
  switch (b) {
    case Bucket::hour: return ((year * 1000 + tm.tm_yday) * 100) + tm.tm_hour;
    case Bucket::day: return year * 1000 + tm.tm_yday;
    case Bucket::month: return year * 100 + tm.tm_mon;
    case Bucket::year: return year;
    case Bucket::week: {
      // ISO 8601 week: the week belongs to the year of its Thursday.
      int wday = (tm.tm_wday + 6) % 7;  // Monday = 0
      int64_t days = time_ms / 86400000 - (time_ms % 86400000 < 0 ? 1 : 0);
      int64_t thursday = days - wday + 3;
      std::tm th = utc(thursday * 86400000);
      return (th.tm_year + 1900) * 100 + th.tm_yday / 7;
    }
  }
  return 0;
}

}  // namespace

std::vector<bool> apply_retention(const std::vector<RetentionCandidate>& commits,
                                  const RetentionPolicy& policy) {
  std::vector<bool> keep(commits.size(), false);
  std::vector<size_t> order(commits.size());
  std::iota(order.begin(), order.end(), 0);
  // Newest first; stable, so equal times keep the caller's order.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return commits[a].time_ms > commits[b].time_ms; });

  for (size_t i = 0; i < order.size(); ++i) {
    if (commits[order[i]].always_keep) keep[order[i]] = true;
    if (i < policy.keep_last) keep[order[i]] = true;
  }
  if (policy.keep_within_ms > 0 && !order.empty()) {
    int64_t newest = commits[order.front()].time_ms;
    for (size_t i : order)
      if (newest - commits[i].time_ms <= policy.keep_within_ms) keep[i] = true;
  }
  const std::pair<uint32_t, Bucket> rules[] = {
      {policy.keep_hourly, Bucket::hour},   {policy.keep_daily, Bucket::day},
      {policy.keep_weekly, Bucket::week},   {policy.keep_monthly, Bucket::month},
      {policy.keep_yearly, Bucket::year},
  };
  for (const auto& [count, bucket] : rules) {
    if (count == 0) continue;
    uint32_t taken = 0;
    bool have_last = false;
    int64_t last = 0;
    // The newest commit of each bucket, for the `count` newest buckets.
    for (size_t i : order) {
      if (taken == count) break;
      int64_t b = bucket_of(commits[i].time_ms, bucket);
      if (have_last && b == last) continue;
      have_last = true;
      last = b;
      keep[i] = true;
      ++taken;
    }
  }
  return keep;
}

}  // namespace infinitree
