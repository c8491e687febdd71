#include "mount_catalog.hpp"

#include <algorithm>
#include <ctime>
#include <utility>
#include <vector>

#include "common.hpp"
#include "mount_names.hpp"
#include "short_id.hpp"

namespace infinitree::cli {

// restic names snapshots by their time, in the local zone by default; UTC here, so the
// names do not depend on where the store is mounted.
std::string snapshot_time_name(int64_t ms) {
  time_t secs = static_cast<time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::shared_ptr<const MountCatalog> build_mount_catalog(const Tree& tree) {
  auto cat = std::make_shared<MountCatalog>();
  std::vector<std::string> pending;
  for (const auto& [name, id] : tree.branches())
    if (id) {
      cat->branches[encode_name(name)] = *id;
      pending.push_back(*id);
    }
  for (const auto& [name, id] : tree.tags()) {
    cat->tags[encode_name(name)] = id;
    pending.push_back(id);
  }
  // Every commit reachable from a branch or a tag, merge parents included.
  while (!pending.empty()) {
    std::string start = std::move(pending.back());
    pending.pop_back();
    if (cat->commits.count(start)) continue;
    for (auto& c : tree.log(HistoryFilter::up_to(start))) {
      if (cat->commits.count(c.id)) break;
      for (size_t i = 1; i < c.parents.size(); ++i) pending.push_back(c.parents[i]);
      std::string id = c.id;
      cat->commits.emplace(std::move(id), std::move(c));
    }
  }
  std::map<std::string, int> prefixes;
  for (const auto& [id, c] : cat->commits) ++prefixes[short_id(id)];
  for (const auto& [id, c] : cat->commits)
    if (prefixes[short_id(id)] == 1) cat->short_ids[short_id(id)] = id;

  // Snapshots oldest first, so the first of one second keeps the plain name.
  std::vector<std::pair<const CommitInfo*, std::string>> stores;  // with the host
  for (const auto& [id, c] : cat->commits)
    if (auto st = decode_commit_stats(c.custom); st && st->kind == "store") stores.emplace_back(&c, st->host);
  std::sort(stores.begin(), stores.end(), [](const auto& a, const auto& b) {
    return a.first->time_ms != b.first->time_ms ? a.first->time_ms < b.first->time_ms
                                                : a.first->sequence < b.first->sequence;
  });
  for (const auto& [c, host] : stores) {
    const std::string base = snapshot_time_name(c->time_ms);
    std::string name = base;
    for (int n = 1; cat->snapshots.count(name); ++n) name = base + "-" + std::to_string(n);
    cat->snapshots[name] = c->id;
    cat->latest = name;
    if (host.empty()) continue;
    auto& h = cat->hosts[encode_name(host)];
    h.snapshots[name] = c->id;
    h.latest = name;
  }
  return cat;
}

}  // namespace infinitree::cli
