// Default implementations shared by every backend: ranged reads by slicing a whole
// object, a process-local writer lock, and a process-local compare-and-write.
#include "infinitree/backend.hpp"

#include <mutex>
#include <set>
#include <string>

#include "crypto/hash.hpp"
#include "infinitree/error.hpp"
#include "util/bytes.hpp"

namespace infinitree {

std::vector<uint8_t> Backend::read_range(const ObjectId& id, uint64_t offset, uint64_t length) {
  auto object = read_object(id);
  // Written so that offset + length cannot overflow.
  if (offset > object->size() || length > object->size() - offset)
    throw Error(Errc::object_truncated,
                "range " + std::to_string(offset) + "+" + std::to_string(length) +
                    " runs past the end of object " + id.hex() + " (" +
                    std::to_string(object->size()) + " bytes) in " + describe());
  return std::vector<uint8_t>(object->begin() + static_cast<ptrdiff_t>(offset),
                              object->begin() + static_cast<ptrdiff_t>(offset + length));
}

namespace {

// Keys of writer locks held in this process: "<lock_identity()>|<root hex>". Keyed by the
// store's identity so two handles on the same store conflict, while two unrelated stores
// (e.g. two memory backends, which are told apart by an instance number) do not.
std::mutex& held_mutex() {
  static std::mutex m;
  return m;
}
std::set<std::string>& held_keys() {
  static std::set<std::string> s;
  return s;
}

class ProcessLocalLock : public WriterLock {
 public:
  explicit ProcessLocalLock(std::string key) : key_(std::move(key)) {}
  ~ProcessLocalLock() override {
    std::lock_guard g(held_mutex());
    held_keys().erase(key_);
  }

 private:
  std::string key_;
};

// Serializes the default compare-and-write of every backend in the process.
std::mutex& cas_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

std::unique_ptr<WriterLock> Backend::lock_writer(const ObjectId& root) {
  std::string key = lock_identity() + "|" + root.hex();
  std::lock_guard g(held_mutex());
  if (!held_keys().insert(key).second)
    throw Error(Errc::locked, "the tree " + root.hex().substr(0, 16) + "... in " + describe() +
                                  " is held by another writer in this process");
  return std::make_unique<ProcessLocalLock>(std::move(key));
}

bool Backend::is_empty() { return list_objects().empty(); }

std::string Backend::object_version(const ObjectId& id) {
  // Generic and slow (hashes the whole object); backends override it with metadata.
  std::shared_ptr<const std::vector<uint8_t>> object;
  try {
    object = read_object(id);
  } catch (const Error& e) {
    if (e.code() == Errc::object_missing) return {};
    throw;
  }
  return hex_encode(crypto::sha256(*object));
}

Backend::Versioned Backend::read_object_versioned(const ObjectId& id) {
  // Generic: read the version on both sides of the read and retry until they agree, so
  // the pair is consistent even without a way to read both at once.
  for (int attempt = 0;; ++attempt) {
    std::string before = object_version(id);
    if (before.empty())
      throw Error(Errc::object_missing, "object " + id.hex() + " is not in " + describe());
    auto data = read_object(id);
    if (object_version(id) == before) return {std::move(data), std::move(before)};
    if (attempt == 100)
      throw Error(Errc::conflict, "object " + id.hex() + " in " + describe() +
                                      " keeps changing while being read");
  }
}

std::string Backend::write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                             const std::string& expected) {
  sync();  // everything the new object points to is stored before it
  std::lock_guard g(cas_mutex());
  std::string current = object_version(id);
  if (current != expected)
    throw Error(Errc::conflict, "object " + id.hex() + " in " + describe() +
                                    " changed since it was read: another writer committed");
  write_object(id, data);
  sync();
  return object_version(id);
}

}  // namespace infinitree
