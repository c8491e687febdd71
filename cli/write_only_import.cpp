#include "write_only_import.hpp"

#include <vector>

#include "file_meta.hpp"
#include "infinitree/write_only.hpp"
#include "snapshot.hpp"

namespace infinitree::cli {

namespace {

// The folder snapshots in the session: map fields F with a map F.streams beside them.
std::vector<std::string> snapshot_fields(const TreeView& session) {
  std::vector<std::string> out;
  const auto fields = session.fields();
  auto is_map = [&](const std::string& name) {
    for (const auto& f : fields)
      if (f.name == name) return f.type == FieldType::map;
    return false;
  };
  for (const auto& f : fields)
    if (f.type == FieldType::map && is_map(streams_field(f.name))) out.push_back(f.name);
  return out;
}

// Empties the owner's map `field`, so the copy mirrors the session's snapshot exactly.
void clear_map(Tree& owner, const std::string& field) {
  if (!owner.has_field(field)) return;
  Map map = owner.map(field);
  std::vector<std::string> keys;
  for (Cursor c = map.cursor(); c.valid(); c.next()) keys.emplace_back(c.key());
  for (const auto& k : keys) map.erase(k);
}

// copy_fields re-wrote the bare refs of F.streams as the owner's streams; the copies in
// F's metadata still name the session's streams. They are only a copy (restore and prune
// go by F.streams), but a snapshot as `store` writes it has them agree.
void align_refs(Tree& owner, const std::string& field) {
  Map metas = owner.map(field), streams = owner.map(streams_field(field));
  std::vector<std::pair<std::string, std::string>> fixed;
  for (Cursor c = streams.cursor(); c.valid(); c.next()) {
    const std::string key(c.key()), ref(c.value());
    auto value = metas.get(key);
    if (!value) continue;
    FileMeta m = decode_file_meta(*value, key);
    if (m.ref == ref) continue;
    m.ref = ref;
    fixed.emplace_back(key, encode_file_meta(m));
  }
  for (const auto& [k, v] : fixed) metas.put(k, v);
}

}  // namespace

SessionSummary describe_session(const Tree& session, uint64_t index) {
  SessionSummary s;
  s.index = index;
  auto log = session.log();
  s.commits = log.size();
  if (log.empty()) {
    s.status = "empty";
    return s;
  }
  s.head = log.front();
  s.first = log.back().id;
  s.stats = decode_commit_stats(s.head->custom);
  s.status = s.stats && s.stats->kind == "checkpoint" ? "incomplete" : "ok";
  return s;
}

ImportResult import_session(Tree& owner, Tree& session, uint64_t index) {
  ImportResult r;
  r.summary = describe_session(session, index);
  if (r.summary.status != "ok") {
    r.outcome = ImportResult::not_importable;
    return r;
  }
  const std::string label = "write-only session " + std::to_string(index);
  if (session.has_field(kImportedField))
    throw Error(Errc::corrupt, label + " holds a field '" + kImportedField +
                                   "', the record of imports in your tree: refused (a writer must not edit it)");
  const CommitInfo& head = *r.summary.head;
  try {
    Map record = owner.map(kImportedField);
    if (auto done = record.get(r.summary.first); done && *done == head.id) {
      r.outcome = ImportResult::already_imported;
      owner.rollback();  // nothing to keep (opening the record field is no change to commit)
      return r;
    }
    const auto snapshots = snapshot_fields(session);
    for (const auto& f : snapshots) {
      clear_map(owner, f);
      clear_map(owner, streams_field(f));
    }
    copy_fields(session, owner);
    for (const auto& f : snapshots) align_refs(owner, f);
    record.put(r.summary.first, head.id);
    CommitStats stats = r.summary.stats && r.summary.stats->kind == "store" ? *r.summary.stats
                                                                            : CommitStats{"import"};
    r.commit = owner.commit("import " + label + ": " + head.message, encode_commit_stats(stats));
  } catch (...) {
    owner.rollback();
    throw;
  }
  return r;
}

}  // namespace infinitree::cli
