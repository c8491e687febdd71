// Refs record (branches and tags, msgpack) -> Refs::decode; stable across re-encoding.
#include "fuzz_common.hpp"
#include "tree/commit_record.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    Refs r = Refs::decode({data, size});
    Refs again = Refs::decode(r.encode());
    fuzz::require(again.branches == r.branches && again.tags == r.tags,
                  "refs change across encode/decode");
  });
  return 0;
}
