// The background warm-up of a newly opened tree: reads the inner B-tree nodes of the head
// commit's fields (and of the commit log) into the node cache while the caller already works
// (btree/warm_up.cpp says why). Owned by TreeCore and stopped (joined) before it closes.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "btree/node_cache.hpp"
#include "object/chunk_pointer.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::detail {

class WarmStart {
 public:
  // Starts reading up to `max_nodes` nodes of `roots` on a thread of its own, which uses up
  // to `threads` threads for each level. Failures end the warm-up silently: it only reads
  // ahead what lookups would read anyway.
  WarmStart(std::shared_ptr<ChunkStore> store, std::shared_ptr<btree::NodeCache> cache,
            std::vector<ChunkPointer> roots, size_t max_nodes, unsigned threads);
  ~WarmStart();  // stop()
  WarmStart(const WarmStart&) = delete;
  WarmStart& operator=(const WarmStart&) = delete;

  // Asks the warm-up to end after the node reads in progress and waits for it. Idempotent.
  void stop();
  bool done() const { return done_.load(); }
  uint64_t nodes_read() const { return nodes_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<uint64_t> nodes_{0};
  std::thread thread_;
};

}  // namespace infinitree::detail
