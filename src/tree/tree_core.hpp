// Everything behind an open Tree: keys, the chunk store, the committed state (root record,
// refs, commit index, head) and the working fields.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "btree/btree.hpp"
#include "crypto/kdf.hpp"
#include "fields/field_set.hpp"
#include "infinitree/keys.hpp"
#include "infinitree/tree.hpp"
#include "object/chunk_store.hpp"
#include "tree/commit_record.hpp"
#include "infinitree/follow.hpp"
#include "tree/follower.hpp"
#include "tree/warm_start.hpp"
#include "tree/pending_deletions.hpp"
#include "tree/root_record.hpp"

namespace infinitree::detail {

// What walk_reachable reports. Every chunk the committed state needs, each once.
enum class ChunkRole { meta, commit, node, spill, stream_list, stream_data };
struct ReachVisitor {
  // Returns whether to go on into what the chunk points at (false: the caller found it
  // unreadable and said so; its subtree is skipped). Ignored for leaf-level chunks.
  std::function<bool(const ChunkPointer&, ChunkRole)> chunk;
  // Set: a part that cannot be read is reported and skipped. Unset: the error is thrown
  // (prune must never act on a partial picture).
  std::function<void(const std::string& where, const Error&)> problem;
  // The dedup index is a cache of stream chunks, not a reference to them; prune rebuilds
  // it, so its own nodes need not be reached then.
  bool include_dedup_index = true;
};

// What a credential derives (key_slots.cpp): its locator and wrapping key.
crypto::CredentialKeys derive_keys(const Credential& credential);

// Where the state root of a tree with slots lives and the key it is sealed with: both from
// the master key, so every slot finds the same state.
struct StateKeys {
  ObjectId id;
  crypto::SecretKey key;
};
StateKeys state_keys(const crypto::SecretKey& master);

class TreeCore {
 public:
  static std::shared_ptr<TreeCore> create(std::shared_ptr<Backend> backend,
                                          const Credential& credential, const OpenOptions& options);
  static std::shared_ptr<TreeCore> open(std::shared_ptr<Backend> backend,
                                        const Credential& credential, const OpenOptions& options);
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

  // Key slots (key_slots.cpp; docs/security.md, "Key slots").
  std::vector<KeySlotInfo> key_slots() const;
  std::string add_key_slot(const Credential& credential, std::string_view label);
  void remove_key_slot(std::string_view id);
  TreeStats stats() const;
  void close();

  // Readers that follow a writer (tree_refresh.cpp). refresh() moves a read-only tree to the
  // store's newest root with the keys it has: 0 unchanged, 1 new root, 2 new head commit.
  int refresh();
  void follow(const FollowOptions& options, std::function<void(const CommitInfo&)> on_new_head);
  void stop_following();
  FollowStats follow_stats() const;

  // Space (tree_forget.cpp, tree_prune.cpp, reachability.cpp).
  ForgetReport forget(const std::vector<std::string>& refs, bool dry_run);
  ForgetReport forget(const RetentionPolicy& policy, bool dry_run);
  SpaceReport prune(const PruneOptions& options);
  SpaceReport space(const PruneOptions& options) const;
  void walk_reachable(const RootRecord& root, const ReachVisitor& visitor) const;
  RootRecord root_record() const;
  // CommitInfo of a kept commit, with the parents that were forgotten marked.
  CommitInfo info_of(const CommitRecord& record) const;

  const std::shared_ptr<FieldSet>& working() const { return working_; }
  const std::shared_ptr<ChunkStore>& store() const { return store_; }
  const std::shared_ptr<Backend>& backend() const { return backend_; }
  bool read_only() const { return options_.read_only; }
  void check_open() const;

 private:
  TreeCore(std::shared_ptr<Backend> backend, const OpenOptions& options);
  // Points the handle at its root (the credential's root object, or the state root of a
  // tree with slots) and sets up the chunk store under the master key.
  void init_keys(const ObjectId& root_id, const crypto::SecretKey& root_key,
                 const crypto::SecretKey& master);
  // Key slots (key_slots.cpp). The caller holds the exclusive commit lock and meta_mu_.
  bool has_slots() const { return root_.format_version >= 3; }
  // Moves a single-credential tree to the slot layout, its opening credential the first slot.
  void migrate_to_slots();
  // Deletes the slot objects of removed slots and drops them from the root.
  void delete_retired_slots();
  // A password change in the slot layout: a slot for the new credentials, then the old one goes.
  void change_slot_credential(KeySlotKind kind, const crypto::CredentialKeys& creds);
  std::array<uint8_t, 8> add_slot_locked(KeySlotKind kind, const crypto::CredentialKeys& creds,
                                         std::string_view label);
  void remove_slot_locked(const std::array<uint8_t, 8>& id);
  void load_state();  // refs, commit index and head from root_
  // Writes refs (if changed) and the root record; the caller holds meta_mu_ and the
  // exclusive commit lock. Everything the root points to is flushed first.
  void publish_root(const std::optional<ChunkPointer>& commits_root, const Refs& refs);
  // Applies `change` to a copy of the refs and publishes it; the caller holds meta_mu_ and
  // the exclusive commit lock.
  void update_refs(const std::function<void(Refs&)>& change);
  std::optional<std::string> branch_head(const Refs& refs, const std::string& branch) const;
  void require_writable(const char* what) const;
  // Seals `next` (generation + 1) and writes it over the root if nobody else did since;
  // everything it points to must already be flushed.
  void write_root(RootRecord next);
  // Writer open: takes over the objects a cleanly closed writer left, in a root write that
  // lands before any chunk is sealed (docs/security.md, "Handover").
  void claim_open_objects();
  void record_open_objects(RootRecord& next, bool clean) const;
  // Writer close: flushes, stops writing and records the open objects as clean.
  void hand_over_open_objects() noexcept;
  // Takes the deletions whose grace period is over out of `next` (writing the rest as a
  // new pending chunk) and returns them, to be deleted once `next` is stored.
  std::vector<ObjectId> take_due_deletions(RootRecord& next, int64_t now);
  void delete_objects(const std::vector<ObjectId>& ids, uint64_t* deleted) noexcept;
  std::vector<PendingDeletion> pending_of(const RootRecord& root) const;
  void set_pending(RootRecord& next, std::vector<PendingDeletion> list);
  // Resolves a raw id known to the commit index or the forgotten stubs.
  bool is_forgotten(const std::string& raw_id) const;
  // The nearest kept first-parent ancestor of `raw_id` (following forgotten stubs).
  std::optional<CommitRecord> kept_ancestor(const std::string& raw_id) const;
  void apply_forget(const std::vector<CommitRecord>& victims);
  void require_forgettable(bool dry_run) const;
  CommitInfo info_after(const CommitRecord& r, const std::set<std::string>& victims) const;

  std::shared_ptr<Backend> backend_;
  OpenOptions options_;
  crypto::Argon2Params kdf_;
  ObjectId root_id_;
  crypto::SecretKey wrapping_key_;
  std::string root_version_;   // for the conditional root write
  // The credential this handle was opened with: where its slot object (or, in the
  // single-credential layout, the root itself) lives, and the slot's id once there are slots.
  ObjectId locator_;
  crypto::SecretKey locator_key_;
  KeySlotKind opened_with_ = KeySlotKind::password;
  std::array<uint8_t, 8> slot_id_{};
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
  std::unique_ptr<btree::BTree> forgotten_;  // commit id -> ForgottenCommit
  std::optional<CommitRecord> head_;

  mutable std::mutex follow_mu_;  // guards follower_ (not the state, which refresh() locks)
  std::unique_ptr<Follower> follower_;
  FollowStats follow_stats_;  // of followers already stopped

  // Reading the head's inner B-tree nodes ahead after open (warm_start.hpp); stopped first
  // thing in close().
  void start_warm_up();
  void stop_warm_up();
  mutable std::mutex warm_mu_;  // guards warm_start_
  std::unique_ptr<WarmStart> warm_start_;
};

}  // namespace infinitree::detail
