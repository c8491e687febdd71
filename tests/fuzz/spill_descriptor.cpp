// Spill descriptor (a leaf value that points at storage chunks) -> btree::parse_spill.
#include "btree/value_spill.hpp"
#include "fuzz_common.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    btree::SpillDescriptor d = btree::parse_spill(fuzz::as_text(data, size));
    fuzz::require(d.pieces.size() <= size, "more pieces than input bytes");
  });
  return 0;
}
