// Durations on the command line ("30m", "12h", "7d", "2w", "1y") for forget --keep-within
// and prune --grace.
#pragma once

#include <cstdint>
#include <string_view>

namespace infinitree::cli {

// A whole number followed by one unit: s (seconds), m (minutes), h, d, w (7 days), y (365
// days). "0" alone is zero (only when allow_zero). Throws UsageError naming the option for
// anything else: no unit, an unknown unit, a fraction, a sign, or more than 10,000 years.
int64_t parse_duration_ms(std::string_view text, std::string_view option, bool allow_zero);

}  // namespace infinitree::cli
