// Commit record (index chunk, msgpack) -> CommitRecord::decode; a decoded record must
// survive its own encoding.
#include "fuzz_common.hpp"
#include "tree/commit_record.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    CommitRecord c = CommitRecord::decode({data, size});
    CommitRecord again = CommitRecord::decode(c.encode());
    fuzz::require(again.id == c.id && again.parents == c.parents && again.message == c.message &&
                      again.fields.size() == c.fields.size() && again.sequence == c.sequence,
                  "commit record changes across encode/decode");
  });
  return 0;
}
