#include "backend/conditional_read.hpp"

#include "infinitree/error.hpp"

namespace infinitree {

std::optional<Backend::Versioned> read_object_if_changed(Backend& backend, const ObjectId& id,
                                                         const std::string& version) {
  if (auto* conditional = dynamic_cast<ConditionalRead*>(&backend))
    return conditional->read_object_if_changed(id, version);
  std::string now = backend.object_version(id);
  if (now.empty())
    throw Error(Errc::object_missing, "object " + id.hex() + " is not in " + backend.describe());
  if (!version.empty() && now == version) return std::nullopt;
  return backend.read_object_versioned(id);
}

}  // namespace infinitree
