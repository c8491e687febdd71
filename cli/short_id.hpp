// Short commit ids for `log --oneline` and JSON, as git shows them: the first 12 hex digits
// (unique in any history of practical size; the full id is always accepted too).
#pragma once

#include <string>
#include <string_view>

namespace infinitree::cli {

inline constexpr size_t kShortIdDigits = 12;

inline std::string short_id(std::string_view id) { return std::string(id.substr(0, kShortIdDigits)); }

}  // namespace infinitree::cli
