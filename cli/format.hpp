// Human-readable numbers for output: byte sizes, rates, durations, times, ratios.
#pragma once

#include <cstdint>
#include <string>

namespace infinitree::cli {

std::string human_bytes(double bytes);          // "1.5 MiB"
std::string human_duration(double seconds);     // "1:02:03", "4:05", "0:07"
std::string utc_time(int64_t ms_since_epoch);   // "2026-11-28 08:55:01 UTC"
std::string fixed(double value, int decimals);  // "12.34"

}  // namespace infinitree::cli
