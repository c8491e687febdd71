// Objects in a map in memory. Objects are immutable shared buffers, so a read hands out
// the stored buffer itself without copying, and a later overwrite cannot change it.
#include <atomic>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"

namespace infinitree {
namespace {

class MemoryBackend final : public Backend {
 public:
  MemoryBackend() : identity_("memory#" + std::to_string(next_instance()++)) {}

  void write_object(const ObjectId& id, std::span<const uint8_t> data) override {
    check_size(id, data);
    auto copy = std::make_shared<const std::vector<uint8_t>>(data.begin(), data.end());
    std::unique_lock g(mutex_);
    objects_[id] = Entry{std::move(copy), ++generation_};
  }

  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    std::shared_lock g(mutex_);
    auto it = objects_.find(id);
    if (it == objects_.end())
      throw Error(Errc::object_missing, "object " + id.hex() + " is not in memory");
    return it->second.data;
  }

  void delete_object(const ObjectId& id) override {
    std::unique_lock g(mutex_);
    objects_.erase(id);
  }

  bool has_object(const ObjectId& id) override {
    std::shared_lock g(mutex_);
    return objects_.count(id) != 0;
  }

  std::vector<ObjectId> list_objects() override {
    std::shared_lock g(mutex_);
    std::vector<ObjectId> out;
    out.reserve(objects_.size());
    for (const auto& [id, entry] : objects_) out.push_back(id);
    return out;
  }

  std::string object_version(const ObjectId& id) override {
    std::shared_lock g(mutex_);
    auto it = objects_.find(id);
    return it == objects_.end() ? std::string() : std::to_string(it->second.generation);
  }

  Versioned read_object_versioned(const ObjectId& id) override {
    std::shared_lock g(mutex_);
    auto it = objects_.find(id);
    if (it == objects_.end())
      throw Error(Errc::object_missing, "object " + id.hex() + " is not in memory");
    return {it->second.data, std::to_string(it->second.generation)};
  }

  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                      const std::string& expected) override {
    check_size(id, data);
    auto copy = std::make_shared<const std::vector<uint8_t>>(data.begin(), data.end());
    std::unique_lock g(mutex_);
    auto it = objects_.find(id);
    std::string current = it == objects_.end() ? std::string()
                                               : std::to_string(it->second.generation);
    if (current != expected)
      throw Error(Errc::conflict, "object " + id.hex() + " in memory" +
                                      " changed since it was read: another writer committed");
    uint64_t gen = ++generation_;
    objects_[id] = Entry{std::move(copy), gen};
    return std::to_string(gen);
  }

  // Exactly "memory", as documented; instances are told apart by lock_identity().
  std::string describe() const override { return "memory"; }

  bool is_empty() override {
    std::shared_lock g(mutex_);
    return objects_.empty();
  }

 protected:
  std::string lock_identity() const override { return identity_; }

 private:
  struct Entry {
    std::shared_ptr<const std::vector<uint8_t>> data;
    uint64_t generation = 0;
  };

  void check_size(const ObjectId& id, std::span<const uint8_t> data) const {
    if (data.size() != kObjectSize)
      throw Error(Errc::invalid_argument, "object " + id.hex() + " has " +
                                              std::to_string(data.size()) + " bytes, not " +
                                              std::to_string(kObjectSize));
  }

  static std::atomic<uint64_t>& next_instance() {
    static std::atomic<uint64_t> n{1};
    return n;
  }

  const std::string identity_;  // "memory#<n>": this instance among all in the process
  std::shared_mutex mutex_;
  std::map<ObjectId, Entry> objects_;
  uint64_t generation_ = 0;  // guarded by mutex_
};

}  // namespace

std::shared_ptr<Backend> make_memory_backend() { return std::make_shared<MemoryBackend>(); }

}  // namespace infinitree
