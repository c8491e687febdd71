// Shared by the libFuzzer harnesses (see docs/fuzzing.md). Each harness feeds untrusted
// bytes to one decoder. The contract under test is the project's: bad input gets an
// infinitree::Error with a stable code. Anything else (another exception, a crash, a
// sanitizer report, a leak, an allocation over libFuzzer's limit) is a finding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "infinitree/error.hpp"
#include "util/bytes.hpp"

namespace infinitree::fuzz {

// Runs `fn`; an infinitree::Error is the expected answer to bad input. Other exceptions
// propagate and libFuzzer reports them (uncaught exception -> abort -> crash artifact).
template <typename Fn>
void expect_only_errors(Fn&& fn) {
  try {
    fn();
  } catch (const Error&) {
  }
}

// A property that must hold for every input; reported as a crash when it does not.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
  }
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reads little-endian integers from the front of the input, zero-filled when it is short.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), n_(size) {}
  uint8_t u8() { return n_ ? (--n_, *p_++) : 0; }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{u8()} << (8 * i);
    return v;
  }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{u8()} << (8 * i);
    return v;
  }
  ByteView rest() const { return {p_, n_}; }

 private:
  const uint8_t* p_;
  size_t n_;
};

}  // namespace infinitree::fuzz
