// Everything behind an open Tree: keys, the chunk store, the committed state (root record,
// refs, commit index, head) and the working fields.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "btree/btree.hpp"
#include "crypto/kdf.hpp"
#include "fields/field_set.hpp"
#include "infinitree/tree.hpp"
#include "object/chunk_store.hpp"
#include "tree/commit_record.hpp"
#include "tree/root_record.hpp"

namespace infinitree::detail {

class TreeCore {
 public:
  static std::shared_ptr<TreeCore> create(std::shared_ptr<Backend> backend, std::string_view user,
                                          std::string_view password, const OpenOptions& options);
  static std::shared_ptr<TreeCore> open(std::shared_ptr<Backend> backend, std::string_view user,
                                        std::string_view password, const OpenOptions& options);
  ~TreeCore();

  std::optional<CommitInfo> commit(std::string_view message, std::string_view custom,
                                   const CommitOptions& options);
  bool has_changes() const;
  void rollback();

  // History and refs (all of them read the committed state only).
  std::optional<CommitRecord> head_record() const;
  CommitRecord load_commit(const std::string& raw_id) const;  // throws not_found
  std::string resolve(std::string_view ref) const;             // -> raw id
  std::vector<CommitInfo> log(const HistoryFilter& filter) const;
  std::shared_ptr<FieldSet> checkout(std::string_view ref) const;
  std::vector<DiffEntry> diff(std::string_view field, std::string_view a, std::string_view b) const;

  std::string current_branch() const;
  void create_branch(std::string_view name, std::string_view ref);
  void switch_branch(std::string_view name);
  void delete_branch(std::string_view name);
  Refs refs() const;
  void create_tag(std::string_view name, std::string_view ref);
  void delete_tag(std::string_view name);

  void change_password(std::string_view user, std::string_view password, const KdfParams& kdf);
  TreeStats stats() const;
  void close();

  const std::shared_ptr<FieldSet>& working() const { return working_; }
  const std::shared_ptr<ChunkStore>& store() const { return store_; }
  const std::shared_ptr<Backend>& backend() const { return backend_; }
  bool read_only() const { return options_.read_only; }
  void check_open() const;

 private:
  TreeCore(std::shared_ptr<Backend> backend, const OpenOptions& options);
  void init_keys(const crypto::CredentialKeys& creds, const crypto::SecretKey& master);
  void load_state();  // refs, commit index and head from root_
  // Writes refs (if changed) and the root record; the caller holds meta_mu_ and the
  // exclusive commit lock. Everything the root points to is flushed first.
  void publish_root(const std::optional<ChunkPointer>& commits_root, const Refs& refs);
  // Applies `change` to a copy of the refs and publishes it; the caller holds meta_mu_ and
  // the exclusive commit lock.
  void update_refs(const std::function<void(Refs&)>& change);
  std::optional<std::string> branch_head(const Refs& refs, const std::string& branch) const;
  void require_writable(const char* what) const;

  std::shared_ptr<Backend> backend_;
  OpenOptions options_;
  crypto::Argon2Params kdf_;
  ObjectId root_id_;
  crypto::SecretKey wrapping_key_;
  std::string root_version_;   // for the conditional root write
  std::unique_ptr<WriterLock> lock_;

  crypto::KeyRing keys_;
  std::shared_ptr<ChunkStore> store_;
  std::shared_ptr<btree::NodeCache> cache_;
  btree::BTreeOptions btree_options_;
  std::shared_ptr<SharedState> shared_;
  std::shared_ptr<FieldSet> working_;

  // Guards the committed state below; recursive because commit() resolves refs.
  mutable std::recursive_mutex meta_mu_;
  RootRecord root_;
  Refs refs_;
  std::unique_ptr<btree::BTree> commits_;  // commit id -> encoded commit record pointer
  std::optional<CommitRecord> head_;
};

}  // namespace infinitree::detail
