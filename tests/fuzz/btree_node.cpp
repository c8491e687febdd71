// B-tree node plaintext (index chunk) -> btree::decode_node. A decoded node is then
// walked, so lazily read parts (keys, values, child pointers) are exercised too.
#include "btree/node_codec.hpp"
#include "fuzz_common.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    btree::NodePtr node = btree::decode_node(Bytes(data, data + size));
    size_t total = 0;
    if (node->leaf()) {
      for (size_t i = 0; i < node->fanout(); ++i) total += node->key(i).size() + node->value_bytes(i).size();
    } else {
      total += node->count();
    }
    fuzz::require(node->fanout() <= size, "a node has more entries than input bytes");
    (void)total;
  });
  return 0;
}
