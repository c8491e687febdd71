// A forgotten commit's stub (msgpack, an index chunk) -> ForgottenCommit::decode; stable
// across re-encoding.
#include "fuzz_common.hpp"
#include "tree/forgotten_commit.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    ForgottenCommit c = ForgottenCommit::decode({data, size});
    ForgottenCommit again = ForgottenCommit::decode(c.encode());
    fuzz::require(again.parents == c.parents && again.sequence == c.sequence && again.time_ms == c.time_ms,
                  "forgotten commit changes across encode/decode");
  });
  return 0;
}
