// The list of objects whose deletion is deferred (msgpack, an index chunk) -> decode_pending;
// stable across re-encoding.
#include "fuzz_common.hpp"
#include "tree/pending_deletions.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    auto list = decode_pending({data, size});
    auto again = decode_pending(encode_pending(list));
    fuzz::require(again.size() == list.size(), "pending deletions change across encode/decode");
    for (size_t i = 0; i < list.size(); ++i)
      fuzz::require(again[i].id == list[i].id && again[i].due_ms == list[i].due_ms,
                    "pending deletions change across encode/decode");
  });
  return 0;
}
