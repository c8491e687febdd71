// TreeCore::prune and space(): reclaim what no kept commit needs (docs/space.md).
//
//  1. Mark: walk_reachable over the committed state gives each object's live bytes.
//  2. Plan: of this tree's objects (ObjectNamer, plus any object a live chunk is in),
//     those without a live chunk are deleted; those whose live fraction is under the
//     threshold are repacked. Objects already pending are left alone; the writer's open
//     objects are closed first and treated like the rest.
//  3. Repack: every field of every kept commit is rewritten bottom-up (BTree::rewrite):
//     live chunks in repacked objects are copied into new objects, and each node above a
//     moved chunk is written again, once however many commits share it. The dedup index is
//     rebuilt from the live stream chunks; commit records and the commit index follow.
//     Commit ids, parents, messages and field contents do not change.
//  4. Check: a second walk over the new state must not touch any object about to go.
//  5. Publish: one root write records the new state and the deletions with their due time
//     (now + grace); only after it are due objects deleted. A crash anywhere before leaves
//     the old root, whose objects are all still there; a crash after leaves objects of ours
//     that no root reaches, which the next prune finds and deletes.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "object/format.hpp"
#include "stream/stream_reader.hpp"
#include "stream/stream_rewrite.hpp"
#include "tree/tree_core.hpp"

namespace infinitree::detail {

namespace {

struct ObjectUse {
  uint64_t live_bytes = 0;
  ChunkKind kind = ChunkKind::index;
};

struct PrunePlan {
  SpaceReport report;
  std::unordered_map<ObjectId, ObjectUse, ObjectIdHash> live;
  std::vector<ObjectId> to_delete;
  std::unordered_set<ObjectId, ObjectIdHash> to_repack;
  std::vector<PendingDeletion> pending;
};

void validate(const PruneOptions& o) {
  if (!(o.repack_below >= 0.0 && o.repack_below <= 1.0))
    throw Error(Errc::invalid_argument, "repack_below must be between 0 and 1");
  if (o.grace_ms < 0) throw Error(Errc::invalid_argument, "grace_ms must not be negative");
  if (o.temp_grace_ms < 0) throw Error(Errc::invalid_argument, "temp_grace_ms must not be negative");
}

}  // namespace

namespace {

PrunePlan make_plan(const TreeCore& core, const RootRecord& root, const ObjectId& root_id,
                    const std::vector<ChunkStore::OpenObject>& open,
                    const std::vector<PendingDeletion>& pending, const PruneOptions& opts) {
  PrunePlan plan;
  plan.pending = pending;
  ReachVisitor v;
  v.include_dedup_index = false;  // rebuilt by prune: its nodes and entries are no references
  v.chunk = [&](const ChunkPointer& p, ChunkRole) {
    ObjectUse& u = plan.live[p.object];
    u.live_bytes += p.stored_size;
    u.kind = p.kind;
    ++plan.report.live_chunks;
    plan.report.live_bytes += p.stored_size;
    return true;
  };
  core.walk_reachable(root, v);

  std::unordered_set<ObjectId, ObjectIdHash> pending_ids, open_ids;
  for (const auto& p : pending) pending_ids.insert(p.id);
  for (const auto& o : open) open_ids.insert(o.id);
  auto& store = *core.store();
  for (const ObjectId& id : core.backend()->list_objects()) {
    if (id == root_id) continue;
    auto it = plan.live.find(id);
    // Never an object that is neither ours by name nor used by us: another tree's.
    if (it == plan.live.end() && !store.is_ours(id)) continue;
    ++plan.report.objects;
    if (pending_ids.count(id)) {
      ++plan.report.objects_pending;
      continue;
    }
    if (open_ids.count(id)) continue;  // this writer appends to it
    if (it == plan.live.end()) {
      plan.to_delete.push_back(id);
      continue;
    }
    double capacity = static_cast<double>(kObjectSize - object_data_start(it->second.kind));
    if (static_cast<double>(it->second.live_bytes) < opts.repack_below * capacity)
      plan.to_repack.insert(id);
  }
  plan.report.object_bytes = plan.report.objects * uint64_t{kObjectSize};
  plan.report.garbage_bytes = plan.report.object_bytes > plan.report.live_bytes
                                  ? plan.report.object_bytes - plan.report.live_bytes
                                  : 0;
  plan.report.objects_to_delete = plan.to_delete.size();
  plan.report.objects_to_repack = plan.to_repack.size();
  return plan;
}

}  // namespace

SpaceReport TreeCore::space(const PruneOptions& options) const {
  check_open();
  validate(options);
  RootRecord root;
  std::vector<PendingDeletion> pending;
  {
    std::lock_guard meta(meta_mu_);
    root = root_;
    pending = pending_of(root_);
  }
  return make_plan(*this, root, root_id_, store_->open_objects(), pending, options).report;
}

SpaceReport TreeCore::prune(const PruneOptions& options) {
  if (options.dry_run) return space(options);
  validate(options);
  require_writable("prune");
  if (ScanScope::active()) throw Error(Errc::invalid_argument, "cannot prune from inside a scan callback");
  std::unique_lock exclusive(shared_->commit_mu);
  check_open();
  std::lock_guard meta(meta_mu_);
  if (working_->has_changes())
    throw Error(Errc::conflict, "commit or roll back the changes before pruning");

  // The writer's open objects become ordinary objects (repacked or deleted like any other);
  // whatever prune writes goes to fresh ones.
  store_->flush();
  store_->rotate_open_objects();
  store_->flush();
  PrunePlan plan = make_plan(*this, root_, root_id_, {}, pending_of(root_), options);
  SpaceReport& report = plan.report;
  const int64_t now = now_ms();

  // ---- repack: relocate live chunks of sparse objects, rewriting what points at them.
  std::unordered_map<ChunkPointer, ChunkPointer, ChunkPointerHash> moved;
  auto moves = [&](const ChunkPointer& p) { return plan.to_repack.count(p.object) != 0; };
  auto relocate = [&](const ChunkPointer& p) -> ChunkPointer {
    if (!moves(p)) return p;
    if (auto it = moved.find(p); it != moved.end()) return it->second;
    Bytes plain = store_->read(p);
    ChunkPointer np = store_->write(p.kind, plain, p.hash);
    ++report.chunks_moved;
    report.bytes_moved += p.stored_size;
    moved.emplace(p, np);
    return np;
  };
  // Every live stream data chunk, by content hash, for the rebuilt dedup index.
  std::map<std::string, ChunkPointer> dedup;
  stream::RefRewriter ref_rw{moves, relocate, {}};
  std::unordered_set<std::string> refs_seen;
  btree::RewriteVisitor rw;
  rw.moves = moves;
  rw.relocate = relocate;
  rw.rewrite_stream = [&](std::string_view ref) -> std::string {
    stream::StreamRef decoded = stream::StreamRef::decode(as_bytes(ref));
    stream::StreamRef out = stream::rewrite_ref(*store_, decoded, ref_rw);
    std::string enc = to_string(out.encode());
    if (refs_seen.insert(enc).second)
      stream::reachable(*store_, out, [&](const ChunkPointer& p) {
        if (p.kind == ChunkKind::storage)
          dedup.emplace(std::string(reinterpret_cast<const char*>(p.hash.data()), p.hash.size()), p);
      });
    return enc;
  };

  std::vector<std::pair<std::string, CommitRecord>> records;  // by id, ascending
  commits_->scan(btree::Bound{}, btree::Bound{}, [&](std::string_view id, std::string_view) {
    records.emplace_back(std::string(id), load_commit(std::string(id)));
    return true;
  });
  for (auto& [id, record] : records)
    for (auto& f : record.fields) f.root = btree::BTree::rewrite(store_, cache_, f.root, rw);
  for (auto& [id, record] : records)
    for (auto& f : record.system)
      if (f.name != "dedup") f.root = btree::BTree::rewrite(store_, cache_, f.root, rw);

  auto dedup_it = dedup.begin();
  std::optional<ChunkPointer> dedup_root =
      btree::BTree::bulk_load(store_, btree_options_, [&](std::string& key, std::string& value) {
        if (dedup_it == dedup.end()) return false;
        key = dedup_it->first;
        value = to_string(dedup_it->second.encode());
        ++dedup_it;
        return true;
      });

  std::vector<std::pair<std::string, ChunkPointer>> record_ptrs;
  for (auto& [id, record] : records) {
    for (auto& f : record.system)
      if (f.name == "dedup") f.root = dedup_root;
    record_ptrs.emplace_back(id, store_->write(ChunkKind::index, record.encode()));
  }
  size_t next_record = 0;
  RootRecord next = root_;
  next.commits = btree::BTree::bulk_load(store_, btree_options_, [&](std::string& key, std::string& value) {
    if (next_record == record_ptrs.size()) return false;
    key = record_ptrs[next_record].first;
    value = to_string(record_ptrs[next_record].second.encode());
    ++next_record;
    return true;
  });
  next.forgotten = btree::BTree::rewrite(store_, cache_, root_.forgotten, rw);
  next.refs = store_->write(ChunkKind::index, refs_.encode());

  // ---- deletions: everything unreferenced now, after the grace period.
  std::vector<PendingDeletion> pending = plan.pending;
  for (const ObjectId& id : plan.to_delete) pending.push_back({id, now + options.grace_ms});
  for (const ObjectId& id : plan.to_repack) pending.push_back({id, now + options.grace_ms});
  DueSplit split = split_due(pending, now);
  std::vector<ObjectId>& due = split.due;
  set_pending(next, std::move(split.later));

  // ---- check: the new state must not use anything about to be deleted.
  std::unordered_set<ObjectId, ObjectIdHash> going;
  for (const auto& p : pending) going.insert(p.id);
  ReachVisitor check;
  check.chunk = [&](const ChunkPointer& p, ChunkRole) {
    if (going.count(p.object))
      throw Error(Errc::internal, "prune: the repacked state still uses object " + p.object.hex() +
                                      "; nothing was deleted");
    return true;
  };
  walk_reachable(next, check);

  // ---- publish, then delete what is due.
  store_->flush();
  record_open_objects(next, /*clean=*/false);
  write_root(std::move(next));
  delete_objects(due, &report.objects_deleted);
  report.objects_deferred = pending.size() - due.size();
  report.temp_files_removed = backend_->remove_stale_temporaries(options.temp_grace_ms);
  load_state();
  return report;
}

}  // namespace infinitree::detail
