#include "fields/field.hpp"

#include <vector>

namespace infinitree::detail {

namespace {
void check_usable(const Field& f) {
  if (f.shared->closed.load()) throw Error(Errc::closed, "the tree of field '" + f.name + "' is closed");
  if (f.dropped) throw Error(Errc::not_found, "field '" + f.name + "' was dropped");
}
}  // namespace

namespace {
thread_local std::vector<const Field*> scanning;
}  // namespace

ScanScope::ScanScope(const Field& f) : field_(&f) { scanning.push_back(field_); }
ScanScope::~ScanScope() { scanning.pop_back(); }
bool ScanScope::active() { return !scanning.empty(); }
bool ScanScope::active_on(const Field& f) {
  for (const Field* s : scanning)
    if (s == &f) return true;
  return false;
}
bool ScanScope::active_in(const SharedState* state) {
  for (const Field* s : scanning)
    if (s->shared.get() == state) return true;
  return false;
}

FieldReadGuard::FieldReadGuard(const Field& f)
    : commit_(f.shared->commit_mu, std::defer_lock), field_(f.mu, std::defer_lock) {
  if (!ScanScope::active_in(f.shared.get())) commit_.lock();
  if (!ScanScope::active_on(f)) field_.lock();
  check_usable(f);
}

FieldWriteGuard::FieldWriteGuard(Field& f)
    : commit_(f.shared->commit_mu, std::defer_lock), field_(f.mu, std::defer_lock) {
  if (ScanScope::active())
    throw Error(Errc::invalid_argument,
                "field '" + f.name + "' cannot be changed from inside a scan callback");
  commit_.lock();
  field_.lock();
  check_usable(f);
  if (f.read_only)
    throw Error(Errc::read_only, "field '" + f.name + "' belongs to a read-only view");
}

void check_key(std::string_view key) {
  if (key.size() > kMaxKeySize)
    throw Error(Errc::too_large, "key of " + std::to_string(key.size()) +
                                     " bytes is over the limit of " + std::to_string(kMaxKeySize));
}

void check_value(std::string_view value) {
  if (value.size() > kMaxValueSize)
    throw Error(Errc::too_large, "value of " + std::to_string(value.size()) +
                                     " bytes is over the limit of 1 GiB; store it as a stream");
}

}  // namespace infinitree::detail
