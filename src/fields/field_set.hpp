// The named fields of one version of a tree: the working state of a Tree, or a checkout.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "btree/btree.hpp"
#include "fields/field.hpp"
#include "fields/field_root.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::detail {

// Names starting with this byte are the library's own (the dedup index); users cannot
// create them and fields() does not list them.
constexpr char kSystemPrefix = '\0';

class FieldSet {
 public:
  FieldSet(std::shared_ptr<ChunkStore> store, std::shared_ptr<btree::NodeCache> cache,
           btree::BTreeOptions options, bool read_only, std::shared_ptr<SharedState> shared);

  // Replaces every field with a committed state: the user and system field roots of a
  // commit and its description (empty lists and nullopt: an empty tree).
  void load(const std::vector<FieldRoot>& user, const std::vector<FieldRoot>& system,
            std::optional<CommitInfo> commit);

  // The field, created on first use unless read-only. Throws invalid_argument for a field
  // of another type or a reserved name, not_found in a read-only view without it.
  std::shared_ptr<Field> get(std::string_view name, FieldType type);
  std::shared_ptr<Field> get_system(std::string_view name, FieldType type);
  std::vector<FieldInfo> list() const;
  bool has(std::string_view name) const;
  void rename(std::string_view from, std::string_view to);
  void drop(std::string_view name);

  // The following run under the exclusive commit lock.
  bool has_changes() const;
  // Flushes every field (writing dirty nodes) and returns the user and system roots.
  std::pair<std::vector<FieldRoot>, std::vector<FieldRoot>> flush();
  // After a successful commit: the flushed state is the committed state.
  void mark_committed();
  void rollback();

  bool read_only() const { return read_only_; }
  std::optional<CommitInfo> commit() const { return commit_; }
  void set_commit(std::optional<CommitInfo> c) { commit_ = std::move(c); }
  std::shared_ptr<SharedState> shared() const { return shared_; }
  const std::shared_ptr<ChunkStore>& store() const { return store_; }
  const std::shared_ptr<btree::NodeCache>& cache() const { return cache_; }
  const btree::BTreeOptions& btree_options() const { return options_; }

 private:
  std::shared_ptr<Field> make_field(std::string name, FieldType type,
                                    std::optional<ChunkPointer> root, bool committed);
  std::shared_ptr<Field> get_impl(std::string_view name, FieldType type, bool system);

  std::shared_ptr<ChunkStore> store_;
  std::shared_ptr<btree::NodeCache> cache_;
  btree::BTreeOptions options_;
  bool read_only_;
  std::shared_ptr<SharedState> shared_;
  std::optional<CommitInfo> commit_;

  mutable std::mutex mu_;                              // guards the maps below
  std::map<std::string, std::shared_ptr<Field>, std::less<>> fields_;
  std::vector<std::shared_ptr<Field>> dropped_;        // committed fields dropped since
  bool renamed_or_dropped_ = false;
};

}  // namespace infinitree::detail
