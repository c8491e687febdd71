#include "tree/warm_start.hpp"

#include "btree/btree.hpp"

namespace infinitree::detail {

WarmStart::WarmStart(std::shared_ptr<ChunkStore> store, std::shared_ptr<btree::NodeCache> cache,
                     std::vector<ChunkPointer> roots, size_t max_nodes, unsigned threads) {
  thread_ = std::thread([this, store = std::move(store), cache = std::move(cache), roots = std::move(roots),
                         max_nodes, threads] {
    try {
      nodes_ = btree::BTree::warm_up(store, cache, roots, max_nodes, threads, &stop_);
    } catch (...) {
      // Only reading ahead: a lookup that needs what failed here reports it itself.
    }
    done_ = true;
  });
}

WarmStart::~WarmStart() { stop(); }

void WarmStart::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace infinitree::detail
