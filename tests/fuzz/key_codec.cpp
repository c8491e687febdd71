// Order-preserving key encoding (map keys read back by typed maps) -> keys::decode.
#include "fuzz_common.hpp"
#include "infinitree/key_codec.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    keys::Decoded d = keys::decode(fuzz::as_text(data, size));
    fuzz::require(d.parts.size() <= size, "more key components than input bytes");
  });
  return 0;
}
