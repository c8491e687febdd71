// Size limits enforced on every write to a field (Error too_large beyond them).
#pragma once

#include <cstddef>
#include <cstdint>

namespace infinitree {

constexpr size_t kMaxKeySize = 64 * 1024;
constexpr uint64_t kMaxValueSize = 1ull << 30;  // 1 GiB; larger data belongs in a stream

}  // namespace infinitree
