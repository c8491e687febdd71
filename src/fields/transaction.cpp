// Optimistic transactions over map fields (see infinitree/transaction.hpp for the contract).
// apply(): the tree's commit lock shared (so no commit sees half a transaction), then every
// involved field's lock exclusively in name order (so two applies never wait on each other
// in a cycle, and plain field operations wait), validate, write.
#include "infinitree/transaction.hpp"

#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "fields/field.hpp"
#include "fields/field_set.hpp"
#include "fields/stream_value.hpp"

namespace infinitree {

namespace {

std::atomic<uint64_t> g_applied{0};

// A transaction works on the fields' B-trees under their locks, which Map does not expose:
// it reaches the field set of the tree through TreeView's protected member, by a pointer to
// member formed in a derived class (the standard way to read a protected base member of an
// object that is not of the derived type). Never instantiated.
struct FieldsOf : TreeView {
  static const std::shared_ptr<detail::FieldSet>& of(const TreeView& v) { return v.*(&FieldsOf::fields_); }
};

btree::Bound upper(std::string_view to) { return to.empty() ? btree::Bound{} : btree::Bound{to}; }

[[noreturn]] void conflict(const std::string& field, const std::string& what) {
  throw Error(Errc::conflict, "transaction conflict: " + what + " of field '" + field +
                                  "' changed since the transaction read it");
}

}  // namespace

Transaction::FieldTx& Transaction::field(std::string_view name) {
  auto it = fields_.find(name);
  if (it == fields_.end()) it = fields_.emplace(std::string(name), FieldTx{}).first;
  if (!it->second.field) it->second.field = FieldsOf::of(*tree_)->get(name, FieldType::map);
  return it->second;
}

std::optional<std::string> Transaction::get(std::string_view name, std::string_view key) {
  FieldTx& f = field(name);
  if (auto w = f.writes.find(key); w != f.writes.end()) return w->second;
  if (auto r = f.reads.find(key); r != f.reads.end()) return r->second;
  std::optional<std::string> v;
  {
    detail::FieldReadGuard g(*f.field);
    v = f.field->tree->get(key);
  }
  f.reads.emplace(std::string(key), v);
  return v;
}

void Transaction::scan(std::string_view name, std::string_view from, std::string_view to,
                       const std::function<bool(std::string_view, std::string_view)>& fn) {
  FieldTx& f = field(name);
  // The tree's part is copied first: validation needs it anyway, and the callback may then
  // read other fields freely.
  RangeRead r{std::string(from), std::nullopt, std::string(to), {}};
  {
    detail::FieldReadGuard g(*f.field);
    f.field->tree->scan(from, upper(to), [&](std::string_view k, std::string_view v) {
      r.seen.emplace_back(k, v);
      return true;
    });
  }
  auto w = f.writes.lower_bound(from);
  auto in_range = [&](const std::string& k) { return to.empty() || k < to; };
  size_t i = 0;
  std::optional<std::string> stopped_at;
  // Merge: a buffered write wins over the tree's entry for the same key.
  while (!stopped_at) {
    bool have_w = w != f.writes.end() && in_range(w->first);
    bool have_t = i < r.seen.size();
    if (!have_w && !have_t) break;
    if (have_w && (!have_t || w->first <= r.seen[i].first)) {
      if (have_t && w->first == r.seen[i].first) ++i;
      const auto& [k, v] = *w++;
      if (v && !fn(k, *v)) stopped_at = k;
    } else {
      const auto& [k, v] = r.seen[i++];
      if (!fn(k, v)) stopped_at = k;
    }
  }
  if (stopped_at) {
    r.last = *stopped_at;
    while (!r.seen.empty() && r.seen.back().first > *stopped_at) r.seen.pop_back();
  }
  f.ranges.push_back(std::move(r));
}

void Transaction::put(std::string_view name, std::string_view key, std::string_view value) {
  detail::check_key(key);
  detail::check_value(value);
  field(name).writes[std::string(key)] = std::string(value);
}

void Transaction::erase(std::string_view name, std::string_view key) {
  field(name).writes[std::string(key)] = std::nullopt;
}

void Transaction::rollback() { fields_.clear(); }

uint64_t Transaction::apply() {
  if (detail::ScanScope::active())
    throw Error(Errc::invalid_argument, "a transaction cannot be applied from inside a scan callback");
  if (fields_.empty()) return g_applied.fetch_add(1) + 1;
  const auto& any = fields_.begin()->second.field;
  std::shared_lock commit(any->shared->commit_mu);
  if (any->shared->closed.load()) throw Error(Errc::closed, "the tree was closed");
  std::vector<std::unique_lock<std::shared_mutex>> locks;
  for (auto& [name, f] : fields_) {  // std::map: name order
    const auto& field = f.field;
    locks.emplace_back(field->mu);
    if (field->dropped) throw Error(Errc::not_found, "field '" + name + "' was dropped");
    if (!f.writes.empty() && field->read_only)
      throw Error(Errc::read_only, "field '" + name + "' belongs to a read-only view");
  }
  try {
    for (auto& [name, f] : fields_) {
      auto& tree = *f.field->tree;
      for (const auto& [k, v] : f.reads)
        if (tree.get(k) != v) conflict(name, "a key");
      for (const auto& r : f.ranges) {
        size_t i = 0;
        bool same = true;
        auto check = [&](std::string_view k, std::string_view v) {
          if (r.last && k > *r.last) return false;
          same = i < r.seen.size() && r.seen[i].first == k && r.seen[i].second == v;
          ++i;
          return same;
        };
        tree.scan(r.from, upper(r.to), check);
        if (!same || i != r.seen.size()) conflict(name, "a key range");
      }
    }
  } catch (const Error& e) {
    if (e.code() == Errc::conflict) fields_.clear();
    throw;
  }
  // The old values first: reading them loads every path the writes touch, and they undo
  // what was written if a write still fails (out of memory) halfway.
  std::vector<std::tuple<btree::BTree*, std::string, std::optional<std::string>>> undo;
  for (auto& [name, f] : fields_) {
    auto& tree = *f.field->tree;
    for (const auto& [k, v] : f.writes) undo.emplace_back(&tree, k, tree.get(k));
  }
  size_t done = 0;
  auto write = [](btree::BTree& t, const std::string& k, const std::optional<std::string>& v) {
    if (!v) t.erase(k);
    else if (detail::is_stream_ref_value(*v)) t.put_stream_ref(k, *v);
    else t.put(k, *v);
  };
  try {
    for (auto& [name, f] : fields_) {
      auto& tree = *f.field->tree;
      for (const auto& [k, v] : f.writes) {
        write(tree, k, v);
        ++done;
      }
    }
  } catch (...) {
    for (size_t i = done; i-- > 0;) {
      auto& [t, k, old] = undo[i];
      write(*t, k, old);
    }
    throw;
  }
  for (auto& [name, f] : fields_)
    if (!f.writes.empty()) f.field->mutations.fetch_add(1);
  uint64_t seq = g_applied.fetch_add(1) + 1;  // under the locks: ordered like the applies
  fields_.clear();
  return seq;
}

}  // namespace infinitree
