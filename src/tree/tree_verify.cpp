// Tree::verify: reads and authenticates every chunk a tree references, through the same
// reachability walk prune uses.
#include "infinitree/tree.hpp"
#include "btree/btree.hpp"
#include "tree/tree_core.hpp"

namespace infinitree {

Tree::VerifyReport Tree::verify(const std::function<void(const std::string&)>& problem) const {
  core_->check_open();
  VerifyReport report;
  auto& store = *core_->store();
  RootRecord root = core_->root_record();
  {
    // Every commit in the commit index, on any branch, tag or line.
    btree::BTree index(core_->store(), nullptr, root.commits);
    report.commits = index.size();
  }
  // The same walk prune uses: each chunk once, so one damaged chunk is one problem.
  detail::ReachVisitor v;
  v.chunk = [&](const ChunkPointer& ptr, detail::ChunkRole) {
    try {
      report.bytes += store.read(ptr).size();
      ++report.chunks;
      return true;
    } catch (const Error& e) {
      ++report.problems;
      problem("chunk in object " + ptr.object.hex().substr(0, 16) + " at offset " +
              std::to_string(ptr.offset) + ": " + e.what());
      return false;
    }
  };
  v.problem = [&](const std::string& where, const Error& e) {
    ++report.problems;
    problem(where + ": " + e.what());
  };
  core_->walk_reachable(root, v);
  return report;
}

}  // namespace infinitree
