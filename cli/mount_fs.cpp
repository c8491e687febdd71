#include "mount_fs.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <unordered_set>

#include "file_meta.hpp"
#include "mount_names.hpp"
#include "snapshot.hpp"

namespace infinitree::cli {

namespace {

const char* const kTops[] = {"branches", "hosts", "ids", "snapshots", "tags"};

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) parts.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return parts;
}

// A name a folder can hold: what a snapshot key's component must be to be shown.
bool valid_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.size() <= kMaxFileName &&
         name.find('\0') == std::string_view::npos;
}

// Decimal without leading zeros: the only name of a list position.
bool parse_index(const std::string& s, uint64_t& out) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

[[noreturn]] void not_found() { throw Error(Errc::not_found, "no such entry"); }

}  // namespace

struct MountFs::Commit {
  std::string id;
  std::shared_ptr<TreeView> view;
  std::map<std::string, FieldInfo> fields;  // file name -> field (companions left out)
  std::set<std::string> snapshots;          // the fields that are folder snapshots
};

struct MountFs::Node {
  enum Kind { kRoot, kTop, kLink, kCommit, kField, kSnapshotEntry, kContent } kind = kRoot;
  MountAttr attr;
  std::string top;       // kTop: which top folder
  std::string host;      // kTop in hosts/: the host folder
  std::string target;    // kLink
  std::shared_ptr<Commit> commit;
  FieldInfo field;       // kField and below
  bool snapshot = false;
  std::string rel;       // kSnapshotEntry: the snapshot key ("." for its root)
  std::string value;     // kContent: inline bytes
  std::string ref;       // kContent and snapshot files: the stream, if any
};

long MountFile::read(char* buf, size_t n, uint64_t offset) {
  std::lock_guard lock(mu_);
  try {
    if (offset >= size_) return 0;
    n = static_cast<size_t>(std::min<uint64_t>(n, size_ - offset));
    if (!reader_) {
      std::memcpy(buf, inline_.data() + offset, n);
      return static_cast<long>(n);
    }
    // Sequential reads keep the reader's position, so it prefetches the next chunk while the
    // kernel consumes this one; a jump seeks.
    if (reader_->tell() != offset) reader_->seek(offset);
    size_t got = 0;
    while (got < n) {
      size_t k = reader_->read(buf + got, n - got);
      if (k == 0) break;
      got += k;
    }
    if (got < n)
      throw Error(Errc::corrupt, "the stream ended at " + std::to_string(offset + got) + " of " +
                                     std::to_string(size_) + " bytes");
    return static_cast<long>(got);
  } catch (const std::exception& e) {
    warn_(shown_ + ": " + e.what());
    return -EIO;
  }
}

MountFs::MountFs(std::unique_ptr<Tree> tree, std::function<void(const std::string&)> warn)
    : tree_(std::move(tree)), warn_(std::move(warn)), mounted_ns_(now_ns()) {}

MountFs::~MountFs() = default;

std::shared_ptr<const MountCatalog> MountFs::catalog(bool may_refresh) {
  std::lock_guard lock(catalog_mu_);
  const int64_t now = steady_ms();
  if (catalog_ && (!may_refresh || now - catalog_at_ms_ < refresh_ms_)) return catalog_;
  try {
    if (catalog_) tree_->refresh();
    catalog_ = build_mount_catalog(*tree_);
  } catch (const Error& e) {
    if (!catalog_) throw;
    warn_(std::string("cannot read the new branches and tags (showing the old ones): ") + e.what());
  }
  catalog_at_ms_ = now;
  return catalog_;
}

std::shared_ptr<MountFs::Commit> MountFs::commit(const std::string& id) {
  {
    std::lock_guard lock(commits_mu_);
    for (auto it = commits_.begin(); it != commits_.end(); ++it)
      if ((*it)->id == id) {
        auto c = *it;
        commits_.erase(it);
        commits_.push_front(c);
        return c;
      }
  }
  auto c = std::make_shared<Commit>();
  c->id = id;
  c->view = std::shared_ptr<TreeView>(tree_->checkout(id));
  const auto fields = c->view->fields();
  std::map<std::string, FieldType> types;
  for (const auto& f : fields) types[f.name] = f.type;
  std::set<std::string> hidden;
  for (const auto& f : fields) {
    if (f.type != FieldType::map) continue;
    auto companion = types.find(streams_field(f.name));
    if (companion == types.end() || companion->second != FieldType::map) continue;
    // A folder snapshot has its root folder as the entry ".".
    auto root = c->view->map(f.name).get(".");
    if (!root) continue;
    try {
      if (decode_file_meta(*root, ".").type != FileMeta::kDir) continue;
    } catch (const Error&) {
      continue;  // not a snapshot after all: shown as a map
    }
    c->snapshots.insert(f.name);
    hidden.insert(streams_field(f.name));
  }
  for (const auto& f : fields)
    if (!hidden.count(f.name)) c->fields[encode_name(f.name)] = f;
  std::lock_guard lock(commits_mu_);
  commits_.push_front(c);
  if (commits_.size() > kMaxCommits) commits_.pop_back();
  return c;
}

MountFs::Node MountFs::resolve(const std::string& path) {
  const auto parts = split_path(path);
  Node node;
  node.attr.uid = static_cast<uint32_t>(::getuid());
  node.attr.gid = static_cast<uint32_t>(::getgid());
  node.attr.mtime_ns = mounted_ns_;
  if (parts.empty()) return node;
  if (std::find(std::begin(kTops), std::end(kTops), parts[0]) == std::end(kTops)) not_found();
  // Only the top folders look for new commits: a path inside a commit stays valid anyway.
  const auto cat = catalog(parts.size() <= 2);
  node.top = parts[0];
  node.kind = Node::kTop;
  if (parts.size() == 1) return node;

  const std::string& name = parts[1];
  // A symlink at depth 2 (depth 3 under hosts/).
  auto link = [&](std::string target, const std::string& id) {
    if (parts.size() > (node.top == "hosts" ? 3u : 2u)) not_found();
    node.kind = Node::kLink;
    node.target = std::move(target);
    node.attr.kind = MountAttr::kLink;
    node.attr.mode = 0777;
    node.attr.size = node.target.size();
    if (auto c = cat->commits.find(id); c != cat->commits.end()) node.attr.mtime_ns = c->second.time_ms * 1000000;
    return node;
  };
  std::string id;
  if (node.top == "hosts") {
    auto h = cat->hosts.find(name);
    if (h == cat->hosts.end()) not_found();
    node.host = name;
    if (parts.size() == 2) return node;  // a folder of that host's snapshots
    if (parts.size() > 3) not_found();
    const std::string& snap = parts[2];
    if (snap == "latest") {
      node = link(h->second.latest, h->second.snapshots.at(h->second.latest));
    } else {
      auto it = h->second.snapshots.find(snap);
      if (it == h->second.snapshots.end()) not_found();
      node = link("../../ids/" + it->second, it->second);
    }
    return node;
  } else if (node.top == "ids") {
    if (!cat->commits.count(name)) {
      auto s = cat->short_ids.find(name);
      if (s == cat->short_ids.end()) not_found();
      return link(s->second, s->second);
    }
    id = name;
  } else if (node.top == "snapshots" && name == "latest" && !cat->latest.empty()) {
    return link(cat->latest, cat->snapshots.at(cat->latest));
  } else {
    const auto& names = node.top == "branches" ? cat->branches : node.top == "tags" ? cat->tags : cat->snapshots;
    auto it = names.find(name);
    if (it == names.end()) not_found();
    return link("../ids/" + it->second, it->second);
  }

  const int64_t commit_ns = cat->commits.at(id).time_ms * 1000000;
  node.kind = Node::kCommit;
  node.attr.mtime_ns = commit_ns;
  node.commit = commit(id);
  if (parts.size() == 2) return node;

  auto field = node.commit->fields.find(parts[2]);
  if (field == node.commit->fields.end()) not_found();
  node.field = field->second;
  node.snapshot = node.commit->snapshots.count(node.field.name) != 0;
  TreeView& view = *node.commit->view;

  if (node.snapshot) {
    std::string rel = ".";
    for (size_t i = 3; i < parts.size(); ++i) {
      if (!valid_name(parts[i])) not_found();
      rel = i == 3 ? parts[i] : rel + "/" + parts[i];
    }
    node.kind = Node::kSnapshotEntry;
    node.rel = rel;
    Map files = view.map(node.field.name);
    auto value = files.get(rel);
    if (!value) {
      // A folder with entries but none of its own (a snapshot made by another tool).
      if (!files.prefix_cursor(rel + "/").valid()) not_found();
      node.attr.mode = 0755;
      node.attr.mtime_ns = commit_ns;
      return node;
    }
    FileMeta m = decode_file_meta(*value, rel);
    node.attr.kind = m.type == FileMeta::kDir ? MountAttr::kDir : m.type == FileMeta::kSymlink ? MountAttr::kLink
                                                                                              : MountAttr::kFile;
    node.attr.mode = m.mode;
    node.attr.mtime_ns = m.mtime_ns;
    node.attr.uid = m.uid;
    node.attr.gid = m.gid;
    if (m.type == FileMeta::kSymlink) {
      node.target = m.target;
      node.attr.size = m.target.size();
    } else if (m.type == FileMeta::kFile) {
      node.attr.size = m.size;
      // The streams map holds the current ref (prune rewrites it; snapshot.hpp).
      auto ref = view.map(streams_field(node.field.name)).get(rel);
      node.ref = ref ? *ref : m.ref;
    }
    return node;
  }

  node.kind = Node::kField;
  node.attr.mtime_ns = commit_ns;
  const FieldType type = node.field.type;
  if (type == FieldType::value) {
    if (parts.size() > 3) not_found();
    auto v = view.value(node.field.name).get();
    if (!v) not_found();
    node.value = std::move(*v);
  } else {
    if (parts.size() == 3) return node;
    if (parts.size() > 4) not_found();
    const std::string& entry = parts[3];
    if (type == FieldType::list) {
      uint64_t index = 0;
      List list = view.list(node.field.name);
      if (!parse_index(entry, index) || index >= list.size()) not_found();
      node.value = list.at(index);
    } else {
      auto decoded = decode_name(entry);
      if (!decoded) not_found();
      std::optional<std::string> key;
      if (!decoded->long_name) {
        key = decoded->key;
      } else {
        // A long name: the key starts with the decoded prefix and encodes to this name.
        const std::string& prefix = decoded->key;
        auto match = [&](std::string_view k) {
          if (k.substr(0, prefix.size()) != prefix) return false;  // past the prefix: stop
          if (encode_name(k) != entry) return true;
          key = std::string(k);
          return false;
        };
        if (type == FieldType::set) view.set(node.field.name).scan(prefix, {}, match);
        else view.map(node.field.name).scan(prefix, {}, [&](std::string_view k, std::string_view) { return match(k); });
        if (!key) not_found();
      }
      if (type == FieldType::set) {
        if (!view.set(node.field.name).contains(*key)) not_found();
      } else {
        auto v = view.map(node.field.name).get(*key);
        if (!v) not_found();
        node.value = std::move(*v);
      }
    }
  }
  node.kind = Node::kContent;
  node.attr.kind = MountAttr::kFile;
  node.attr.mode = 0444;
  if (type != FieldType::set && is_stream_ref(node.value)) {
    node.ref = std::move(node.value);
    node.value.clear();
    node.attr.size = view.open_stream(node.ref)->size();
  } else {
    node.attr.size = node.value.size();
  }
  return node;
}

int MountFs::fail(const std::string& path, const std::exception& e) {
  if (const auto* err = dynamic_cast<const Error*>(&e); err && err->code() == Errc::not_found) return -ENOENT;
  warn_(path + ": " + e.what());
  return -EIO;
}

// Each entry point turns every failure into an errno: nothing may escape into FUSE.
#define MOUNT_GUARD(path, body)                 \
  try {                                         \
    body                                        \
  } catch (const std::bad_alloc&) {             \
    return -ENOMEM;                             \
  } catch (const std::exception& e) {           \
    return fail(path, e);                       \
  }

int MountFs::getattr(const std::string& path, MountAttr& out) {
  MOUNT_GUARD(path, {
    Node node = resolve(path);
    out = node.attr;
    if (node.kind == Node::kCommit || node.kind == Node::kField || node.kind == Node::kTop ||
        node.kind == Node::kRoot)
      out.mode = 0555;
    return 0;
  })
}

int MountFs::readlink(const std::string& path, std::string& target) {
  MOUNT_GUARD(path, {
    Node node = resolve(path);
    if (node.attr.kind != MountAttr::kLink) return -EINVAL;
    target = node.target;
    return 0;
  })
}

int MountFs::readdir(const std::string& path,
                     const std::function<void(const std::string& name, MountAttr::Kind)>& add) {
  MOUNT_GUARD(path, {
    Node node = resolve(path);
    if (node.attr.kind != MountAttr::kDir) return -ENOTDIR;
    switch (node.kind) {
      case Node::kRoot:
        for (const char* top : kTops) add(top, MountAttr::kDir);
        return 0;
      case Node::kTop: {
        const auto cat = catalog(false);  // resolve() just refreshed it if due
        if (node.top == "hosts") {
          if (node.host.empty()) {
            for (const auto& [name, h] : cat->hosts) add(name, MountAttr::kDir);
            return 0;
          }
          auto h = cat->hosts.find(node.host);
          if (h == cat->hosts.end()) return -ENOENT;  // gone in a refresh since resolve()
          for (const auto& [name, id] : h->second.snapshots) add(name, MountAttr::kLink);
          if (!h->second.snapshots.count("latest")) add("latest", MountAttr::kLink);
          return 0;
        }
        if (node.top == "ids") {
          for (const auto& [id, c] : cat->commits) add(id, MountAttr::kDir);
          for (const auto& [s, id] : cat->short_ids) add(s, MountAttr::kLink);
          return 0;
        }
        const auto& names = node.top == "branches" ? cat->branches : node.top == "tags" ? cat->tags : cat->snapshots;
        for (const auto& [name, id] : names) add(name, MountAttr::kLink);
        if (node.top == "snapshots" && !cat->latest.empty() && !names.count("latest")) add("latest", MountAttr::kLink);
        return 0;
      }
      case Node::kCommit:
        for (const auto& [name, f] : node.commit->fields)
          add(name, node.commit->snapshots.count(f.name) || f.type != FieldType::value ? MountAttr::kDir
                                                                                          : MountAttr::kFile);
        return 0;
      case Node::kField: {
        TreeView& view = *node.commit->view;
        if (node.field.type == FieldType::list) {
          const uint64_t n = view.list(node.field.name).size();
          for (uint64_t i = 0; i < n; ++i) add(std::to_string(i), MountAttr::kFile);
        } else if (node.field.type == FieldType::set) {
          view.set(node.field.name).scan({}, {}, [&](std::string_view k) {
            add(encode_name(k), MountAttr::kFile);
            return true;
          });
        } else {
          view.map(node.field.name).scan({}, {}, [&](std::string_view k, std::string_view) {
            add(encode_name(k), MountAttr::kFile);
            return true;
          });
        }
        return 0;
      }
      case Node::kSnapshotEntry: {
        // The children of a folder are the keys "rel/name"; a subfolder's own entries are
        // skipped by seeking past them ('0' follows '/').
        Map files = node.commit->view->map(node.field.name);
        const std::string prefix = node.rel == "." ? std::string() : node.rel + "/";
        Cursor cur = files.prefix_cursor(prefix);
        std::unordered_set<std::string> shown;
        while (cur.valid()) {
          const std::string key = cur.key();
          if (key == ".") {
            cur.next();
            continue;
          }
          const std::string rest = key.substr(prefix.size());
          const size_t slash = rest.find('/');
          if (slash == std::string::npos) {
            if (valid_name(rest) && shown.insert(rest).second) {
              MountAttr::Kind kind = MountAttr::kFile;
              try {
                FileMeta m = decode_file_meta(cur.value(), key);
                kind = m.type == FileMeta::kDir ? MountAttr::kDir : m.type == FileMeta::kSymlink ? MountAttr::kLink
                                                                                                : MountAttr::kFile;
              } catch (const Error& e) {
                warn_(path + ": " + e.what());  // listed; reading it reports the error again
              }
              add(rest, kind);
            }
            cur.next();
            continue;
          }
          const std::string child = rest.substr(0, slash);
          if (valid_name(child) && shown.insert(child).second) add(child, MountAttr::kDir);
          cur.seek(prefix + child + "0");
        }
        return 0;
      }
      case Node::kLink:
      case Node::kContent:
        break;
    }
    return -ENOTDIR;
  })
}

int MountFs::open(const std::string& path, std::unique_ptr<MountFile>& out) {
  MOUNT_GUARD(path, {
    Node node = resolve(path);
    if (node.attr.kind == MountAttr::kDir) return -EISDIR;
    if (node.attr.kind != MountAttr::kFile) return -EINVAL;
    auto f = std::make_unique<MountFile>();
    f->shown_ = path;
    f->warn_ = warn_;
    f->size_ = node.attr.size;
    if (!node.ref.empty()) {
      f->view_ = node.commit->view;
      f->reader_ = f->view_->open_stream(node.ref);
      if (f->reader_->size() != node.attr.size)
        throw Error(Errc::corrupt, "the stream holds " + std::to_string(f->reader_->size()) +
                                       " bytes, the metadata says " + std::to_string(node.attr.size));
    } else if (node.kind == Node::kSnapshotEntry && node.attr.size != 0) {
      throw Error(Errc::corrupt, "a file of " + std::to_string(node.attr.size) + " bytes without a stream");
    } else {
      f->inline_ = std::move(node.value);
    }
    out = std::move(f);
    return 0;
  })
}

}  // namespace infinitree::cli
