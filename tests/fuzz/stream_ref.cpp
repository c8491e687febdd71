// Stream refs (map values) and chunk-list pages (index chunks).
// Input: mode byte; mode even: a stream ref; mode odd: level (u8), begin (u64le),
// end (u64le), then a list page that must cover [begin, end) at that level.
#include "fuzz_common.hpp"
#include "stream/stream_ref.hpp"

using namespace infinitree;
using namespace infinitree::stream;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const uint8_t mode = in.u8();
  fuzz::expect_only_errors([&] {
    if (mode % 2 == 0) {
      StreamRef ref = StreamRef::decode(in.rest());
      fuzz::require(StreamRef::decode(ref.encode()) == ref, "stream ref changes across encode/decode");
    } else {
      uint8_t level = in.u8();
      uint64_t begin = in.u64(), end = in.u64();
      auto entries = decode_list_page(in.rest(), level, begin, end);
      fuzz::require(decode_list_page(encode_list_page(level, entries), level, begin, end) == entries,
                    "list page changes across encode/decode");
    }
  });
  return 0;
}
