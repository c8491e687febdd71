#include "fields/field.hpp"

namespace infinitree::detail {

namespace {
void check_usable(const Field& f) {
  if (f.shared->closed.load()) throw Error(Errc::closed, "the tree of field '" + f.name + "' is closed");
  if (f.dropped) throw Error(Errc::not_found, "field '" + f.name + "' was dropped");
}
}  // namespace

FieldReadGuard::FieldReadGuard(const Field& f) : commit_(f.shared->commit_mu), field_(f.mu) {
  check_usable(f);
}

FieldWriteGuard::FieldWriteGuard(Field& f) : commit_(f.shared->commit_mu), field_(f.mu) {
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
