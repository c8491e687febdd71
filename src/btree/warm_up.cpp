// BTree::warm_up: reading the upper levels of versions ahead of the first lookups.
//
// A reader that opens a tree on remote storage pays one round trip per level for its first
// lookups. Inner nodes are few (about one per hundred leaves), so reading all of them in
// parallel, level by level, turns the first lookups' O(depth) sequential reads into about
// one leaf read each. Children are attached to their parents (shared_child) as a lookup's
// own reads would, so the nodes stay reachable from the parent even if the cache evicts.
#include <atomic>
#include <mutex>

#include "btree/btree.hpp"
#include "btree/node_source.hpp"
#include "infinitree/error.hpp"
#include "util/parallel_for.hpp"

namespace infinitree::btree {

namespace {

// A node to read: a version root (no parent; may be a layer list) or child `index` of an
// inner node already read.
struct Pending {
  ConstNodePtr parent;
  size_t index = 0;
  ChunkPointer ptr;
};

bool stopped(const std::atomic<bool>* stop) { return stop && stop->load(std::memory_order_relaxed); }

}  // namespace

size_t BTree::warm_up(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                      const std::vector<ChunkPointer>& roots, size_t max_nodes, unsigned threads,
                      const std::atomic<bool>* stop) {
  if (!store) throw Error(Errc::invalid_argument, "warm_up needs a chunk store");
  std::vector<Pending> level;
  for (const ChunkPointer& r : roots) level.push_back({nullptr, 0, r});
  size_t read = 0;
  while (!level.empty() && read < max_nodes && !stopped(stop)) {
    if (level.size() > max_nodes - read) level.resize(max_nodes - read);
    std::vector<ConstNodePtr> nodes(level.size());
    util::parallel_for(level.size(), threads, [&](size_t i) {
      if (stopped(stop)) return;
      const Pending& p = level[i];
      try {
        nodes[i] = p.parent ? shared_child(*store, cache.get(), p.parent, p.index)
                            : load_node(*store, cache.get(), p.ptr, kAnyLevel);
      } catch (const Error&) {
        // Advisory: the lookup that needs this node will read it again and report why not.
      }
    });
    std::vector<Pending> next;
    for (const ConstNodePtr& n : nodes) {
      if (!n) continue;
      ++read;
      if (n->layers) {
        // A layer list: its base and deltas are versions' roots themselves.
        if (n->layers->base) next.push_back({nullptr, 0, *n->layers->base});
        for (const DeltaRef& d : n->layers->deltas)
          if (d.root) next.push_back({nullptr, 0, *d.root});
      } else if (n->level >= 2) {
        // Children at level >= 1 are inner nodes; level-1 nodes' children are leaves.
        for (size_t i = 0; i < n->kids.size(); ++i) next.push_back({n, i, n->kids[i].ptr});
      }
    }
    level = std::move(next);
  }
  return read;
}

}  // namespace infinitree::btree
