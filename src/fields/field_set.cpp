#include "fields/field_set.hpp"

namespace infinitree {

const char* to_string(FieldType t) noexcept {
  switch (t) {
    case FieldType::map: return "map";
    case FieldType::set: return "set";
    case FieldType::list: return "list";
    case FieldType::value: return "value";
  }
  return "?";
}

}  // namespace infinitree

namespace infinitree::detail {

FieldSet::FieldSet(std::shared_ptr<ChunkStore> store, std::shared_ptr<btree::NodeCache> cache,
                   btree::BTreeOptions options, bool read_only, std::shared_ptr<SharedState> shared)
    : store_(std::move(store)), cache_(std::move(cache)), options_(options),
      read_only_(read_only), shared_(std::move(shared)) {}

std::shared_ptr<Field> FieldSet::make_field(std::string name, FieldType type,
                                            std::optional<ChunkPointer> root, bool committed) {
  auto f = std::make_shared<Field>();
  f->name = std::move(name);
  f->type = type;
  f->read_only = read_only_;
  f->shared = shared_;
  f->tree = std::make_unique<btree::BTree>(store_, cache_, root, options_);
  f->committed_root = root;
  if (committed) f->committed_name = f->name;
  return f;
}

void FieldSet::load(const std::vector<FieldRoot>& user, const std::vector<FieldRoot>& system,
                    std::optional<CommitInfo> commit) {
  std::lock_guard lock(mu_);
  std::map<std::string, std::shared_ptr<Field>, std::less<>> loaded;
  auto add = [&](const std::string& name, const FieldRoot& fr) {
    // Handles held by the caller keep working when the field exists in the new state with
    // the same type: the Field object is kept and pointed at the new root.
    auto it = fields_.find(name);
    if (it != fields_.end() && it->second->type == fr.type) {
      auto f = it->second;
      std::unique_lock field_lock(f->mu);
      f->tree = std::make_unique<btree::BTree>(store_, cache_, fr.root, options_);
      f->committed_root = fr.root;
      f->committed_name = name;
      f->dropped = false;
      f->mutations.fetch_add(1);
      loaded[name] = f;
    } else {
      loaded[name] = make_field(name, fr.type, fr.root, true);
    }
  };
  for (const auto& fr : user) add(fr.name, fr);
  for (const auto& fr : system) add(std::string(1, kSystemPrefix) + fr.name, fr);
  for (auto& [name, f] : fields_) {
    if (loaded.count(name) && loaded[name] == f) continue;
    std::unique_lock field_lock(f->mu);
    f->dropped = true;  // stale handles now fail with a clear error
  }
  fields_ = std::move(loaded);
  dropped_.clear();
  renamed_or_dropped_ = false;
  commit_ = std::move(commit);
}

std::shared_ptr<Field> FieldSet::get_impl(std::string_view name, FieldType type, bool system) {
  if (shared_->closed.load()) throw Error(Errc::closed, "the tree is closed");
  std::lock_guard lock(mu_);
  auto it = fields_.find(name);
  if (it != fields_.end()) {
    if (it->second->type != type)
      throw Error(Errc::invalid_argument,
                  "field '" + std::string(system ? name.substr(1) : name) + "' is a " +
                      to_string(it->second->type) + ", not a " + to_string(type));
    return it->second;
  }
  if (read_only_)
    throw Error(Errc::not_found, "this version has no field '" +
                                     std::string(system ? name.substr(1) : name) + "'");
  auto f = make_field(std::string(name), type, std::nullopt, false);
  fields_[f->name] = f;
  return f;
}

std::shared_ptr<Field> FieldSet::get(std::string_view name, FieldType type) {
  if (name.empty()) throw Error(Errc::invalid_argument, "field names must not be empty");
  if (name.front() == kSystemPrefix)
    throw Error(Errc::invalid_argument, "field names starting with a NUL byte are reserved");
  if (name.size() > 1024) throw Error(Errc::too_large, "field name over 1024 bytes");
  return get_impl(name, type, false);
}

std::shared_ptr<Field> FieldSet::get_system(std::string_view name, FieldType type) {
  return get_impl(std::string(1, kSystemPrefix) + std::string(name), type, true);
}

std::vector<FieldInfo> FieldSet::list() const {
  std::lock_guard lock(mu_);
  std::vector<FieldInfo> out;
  for (const auto& [name, f] : fields_)
    if (name.front() != kSystemPrefix) out.push_back({name, f->type});
  return out;
}

bool FieldSet::has(std::string_view name) const {
  std::lock_guard lock(mu_);
  return !name.empty() && name.front() != kSystemPrefix && fields_.count(name) > 0;
}

void FieldSet::rename(std::string_view from, std::string_view to) {
  if (read_only_) throw Error(Errc::read_only, "cannot rename fields of a read-only view");
  if (to.empty() || to.front() == kSystemPrefix)
    throw Error(Errc::invalid_argument, "invalid new field name");
  std::unique_lock commit_lock(shared_->commit_mu);
  std::lock_guard lock(mu_);
  auto it = fields_.find(from);
  if (from.empty() || from.front() == kSystemPrefix || it == fields_.end())
    throw Error(Errc::not_found, "no field '" + std::string(from) + "'");
  if (fields_.count(to)) throw Error(Errc::already_exists, "field '" + std::string(to) + "' exists");
  auto f = it->second;
  fields_.erase(it);
  {
    std::unique_lock field_lock(f->mu);
    f->name = std::string(to);
  }
  fields_[f->name] = f;
  renamed_or_dropped_ = true;
}

void FieldSet::drop(std::string_view name) {
  if (read_only_) throw Error(Errc::read_only, "cannot drop fields of a read-only view");
  std::unique_lock commit_lock(shared_->commit_mu);
  std::lock_guard lock(mu_);
  auto it = fields_.find(name);
  if (name.empty() || name.front() == kSystemPrefix || it == fields_.end())
    throw Error(Errc::not_found, "no field '" + std::string(name) + "'");
  auto f = it->second;
  fields_.erase(it);
  std::unique_lock field_lock(f->mu);
  f->dropped = true;
  if (f->committed_name) dropped_.push_back(f);
  renamed_or_dropped_ = true;
}

bool FieldSet::has_changes() const {
  std::lock_guard lock(mu_);
  if (renamed_or_dropped_) return true;
  for (const auto& [name, f] : fields_) {
    std::shared_lock field_lock(f->mu);
    if (f->tree->dirty() || f->tree->root() != f->committed_root) return true;
  }
  return false;
}

std::pair<std::vector<FieldRoot>, std::vector<FieldRoot>> FieldSet::flush() {
  std::lock_guard lock(mu_);
  std::vector<FieldRoot> user, system;
  for (const auto& [name, f] : fields_) {
    std::unique_lock field_lock(f->mu);
    FieldRoot fr{name, f->type, f->tree->flush()};
    if (name.front() == kSystemPrefix) {
      fr.name = name.substr(1);
      system.push_back(std::move(fr));
    } else {
      user.push_back(std::move(fr));
    }
  }
  return {std::move(user), std::move(system)};
}

void FieldSet::mark_committed() {
  std::lock_guard lock(mu_);
  for (const auto& [name, f] : fields_) {
    std::unique_lock field_lock(f->mu);
    f->committed_root = f->tree->root();
    f->committed_name = name;
  }
  dropped_.clear();
  renamed_or_dropped_ = false;
}

void FieldSet::rollback() {
  std::lock_guard lock(mu_);
  std::map<std::string, std::shared_ptr<Field>, std::less<>> restored;
  auto reset = [&](const std::shared_ptr<Field>& f) {
    std::unique_lock field_lock(f->mu);
    f->tree->rollback();
    if (f->tree->root() != f->committed_root)
      f->tree = std::make_unique<btree::BTree>(store_, cache_, f->committed_root, options_);
    f->dropped = false;
    if (f->committed_name) f->name = *f->committed_name;
    f->mutations.fetch_add(1);
  };
  for (auto& f : dropped_) {
    reset(f);
    restored[f->name] = f;
  }
  for (auto& [name, f] : fields_)
    if (f->committed_name) {
      reset(f);
      restored[f->name] = f;
    }
  // Fields created since the last commit stay, empty, unless a restored one took the name.
  for (auto& [name, f] : fields_) {
    if (f->committed_name) continue;
    std::unique_lock field_lock(f->mu);
    if (restored.count(name)) {
      f->dropped = true;
      continue;
    }
    f->tree = std::make_unique<btree::BTree>(store_, cache_, std::nullopt, options_);
    f->committed_root.reset();
    f->mutations.fetch_add(1);
    restored[name] = f;
  }
  fields_ = std::move(restored);
  dropped_.clear();
  renamed_or_dropped_ = false;
}

}  // namespace infinitree::detail
