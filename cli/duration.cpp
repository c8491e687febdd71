#include "duration.hpp"

#include <charconv>
#include <string>

#include "args.hpp"

namespace infinitree::cli {

int64_t parse_duration_ms(std::string_view text, std::string_view option, bool allow_zero) {
  const std::string shown = "option '--" + std::string(option) + "' ";
  const std::string example = " (a whole number and a unit: s, m, h, d, w or y, e.g. 30m, 12h, 7d, 2w, 1y)";
  if (text == "0") {
    if (!allow_zero) throw UsageError(shown + "needs a duration above zero" + example);
    return 0;
  }
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc::result_out_of_range) throw UsageError(shown + "duration out of range: '" + std::string(text) + "'");
  if (ec != std::errc() || p == text.data())
    throw UsageError(shown + "needs a duration, not '" + std::string(text) + "'" + example);
  std::string_view unit(p, static_cast<size_t>(text.data() + text.size() - p));
  int64_t ms_per_unit = 0;
  if (unit == "s") ms_per_unit = 1000;
  else if (unit == "m") ms_per_unit = 60 * 1000;
  else if (unit == "h") ms_per_unit = 3600 * 1000;
  else if (unit == "d") ms_per_unit = 24 * 3600 * 1000;
  else if (unit == "w") ms_per_unit = 7LL * 24 * 3600 * 1000;
  else if (unit == "y") ms_per_unit = 365LL * 24 * 3600 * 1000;
  else if (unit.empty())
    throw UsageError(shown + "needs a unit in '" + std::string(text) + "'" + example);
  else
    throw UsageError(shown + "has an unknown unit '" + std::string(unit) + "' in '" + std::string(text) + "'" + example);
  // 10,000 years keeps every product far from int64's limit (about 292 million years).
  const uint64_t limit = 10000ULL * 365 * 24 * 3600 * 1000;
  if (n > limit / static_cast<uint64_t>(ms_per_unit))
    throw UsageError(shown + "duration out of range: '" + std::string(text) + "' (at most 10000y)");
  if (n == 0 && !allow_zero) throw UsageError(shown + "needs a duration above zero" + example);
  return static_cast<int64_t>(n) * ms_per_unit;
}

}  // namespace infinitree::cli
