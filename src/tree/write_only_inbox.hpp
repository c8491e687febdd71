// The name of a write-only inbox entry (write_only.cpp), for tests that damage or delete
// one; nothing else needs it.
#pragma once

#include <cstdint>
#include <string_view>

#include "infinitree/backend.hpp"

namespace infinitree::detail {

// The object id of entry `index` of the inbox a read or write key names.
ObjectId write_only_entry_id(std::string_view key, uint64_t index);

}  // namespace infinitree::detail
