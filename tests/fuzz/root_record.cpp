// Root record (the msgpack record inside the root object's sealed header) ->
// open_root_object with a fixed key: see root_layout.hpp for why the harness seals.
#include "fuzz_common.hpp"
#include "root_layout.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::check_layout();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Bytes object(kObjectSize, 0);  // only the header changes between runs
  fuzz::seal_record({data, size}, object);
  fuzz::expect_only_errors([&] {
    RootRecord rec = open_root_object(object, fuzz::root_key(), fuzz::root_id());
    fuzz::require(rec.compression <= 2, "root record with an unknown compression accepted");
  });
  return 0;
}
