// TreeCore::walk_reachable: everything a committed state references, each chunk once. The
// one walk behind verify, space() and prune, so they always agree on what is live.
//
// From the root record: the refs and pending-deletion chunks, the nodes of the commit index
// and of the forgotten-commit index, then every commit the index holds (all branches, tags
// and lines, whether reachable from a ref or not) and every field of each: B-tree nodes,
// spilled values, and the list pages and data chunks of every value flagged as a stream.
#include "stream/stream_reader.hpp"
#include "stream/stream_ref.hpp"
#include "tree/chunk_seen_set.hpp"
#include "tree/tree_core.hpp"

namespace infinitree::detail {

void TreeCore::walk_reachable(const RootRecord& root, const ReachVisitor& v) const {
  ObjectTable objects;
  ChunkSeenSet seen(objects);
  std::string where;
  auto report = [&](const ChunkPointer& p, ChunkRole role) {
    if (seen.insert(p)) v.chunk(p, role);
  };
  auto guarded = [&](const std::string& what, const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      if (!v.problem) throw;
      v.problem(what, e);
    }
  };

  btree::WalkVisitor tv;
  tv.enter_node = [&](const ChunkPointer& p) { return seen.insert(p) && v.chunk(p, ChunkRole::node); };
  tv.on_chunk = [&](const ChunkPointer& p) { report(p, ChunkRole::spill); };
  tv.on_stream = [&](std::string_view key, std::string_view ref) {
    guarded(where + " stream '" + std::string(key) + "'", [&] {
      stream::reachable(*store_, stream::StreamRef::decode(as_bytes(ref)), [&](const ChunkPointer& p) {
        report(p, p.kind == ChunkKind::storage ? ChunkRole::stream_data : ChunkRole::stream_list);
      });
    });
  };
  if (v.problem) tv.on_error = [&](const ChunkPointer&, const Error& e) { v.problem(where, e); };

  if (root.refs) report(*root.refs, ChunkRole::meta);
  if (root.pending) report(*root.pending, ChunkRole::meta);
  where = "commit index";
  guarded(where, [&] { btree::BTree::walk(store_, cache_, root.commits, tv); });
  where = "forgotten commits";
  guarded(where, [&] { btree::BTree::walk(store_, cache_, root.forgotten, tv); });

  // Commit pointers first (a few hundred bytes per commit), then each commit's fields.
  std::vector<std::pair<std::string, ChunkPointer>> commits;
  guarded("commit index", [&] {
    btree::BTree index(store_, cache_, root.commits, btree_options_);
    index.scan(btree::Bound{}, btree::Bound{}, [&](std::string_view id, std::string_view ptr) {
      commits.emplace_back(std::string(id), ChunkPointer::decode(as_bytes(ptr)));
      return true;
    });
  });
  for (const auto& [id, ptr] : commits) {
    std::string commit_where = "commit " + commit_id_hex(id).substr(0, 12);
    if (!seen.insert(ptr)) continue;
    if (!v.chunk(ptr, ChunkRole::commit)) continue;
    CommitRecord record;
    try {
      record = CommitRecord::decode(store_->read(ptr));
    } catch (const Error& e) {
      if (!v.problem) throw;
      v.problem(commit_where, e);
      continue;
    }
    auto walk_field = [&](const FieldRoot& f, bool system) {
      if (!f.root) return;
      if (system && f.name == "dedup" && !v.include_dedup_index) return;
      where = commit_where + " field '" + f.name + "'";
      guarded(where, [&] { btree::BTree::walk(store_, cache_, f.root, tv); });
    };
    for (const auto& f : record.fields) walk_field(f, false);
    for (const auto& f : record.system) walk_field(f, true);
  }
}

}  // namespace infinitree::detail
