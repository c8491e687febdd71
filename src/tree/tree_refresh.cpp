// Readers that follow a writer: refresh() re-reads the root (a conditional read: an
// unchanged root is one small request) and, when it moved, opens it with the wrapping key
// kept from open (no key derivation again) and reloads refs, commit index, head and fields.
// Field handles stay valid across a refresh (FieldSet::load keeps them).
#include "backend/conditional_read.hpp"
#include "fields/field.hpp"
#include "infinitree/error.hpp"
#include "infinitree/tree.hpp"
#include "tree/root_record.hpp"
#include "tree/tree_core.hpp"

namespace infinitree::detail {

int TreeCore::refresh() {
  check_open();
  if (!options_.read_only)
    throw Error(Errc::invalid_argument,
                "refresh() is for read-only trees: a writer's own state is the newest");
  if (ScanScope::active())
    throw Error(Errc::invalid_argument, "cannot refresh from inside a scan callback");
  std::string version;
  ObjectId root_id;
  crypto::SecretKey root_key;
  bool at_locator;
  std::array<uint8_t, 8> slot_id{};
  {
    std::lock_guard meta(meta_mu_);
    version = root_version_;
    root_id = root_id_;
    root_key = wrapping_key_;
    at_locator = root_id_ == locator_;
    slot_id = slot_id_;
  }
  // Network first, outside every lock: readers go on meanwhile.
  auto fresh = read_object_if_changed(*backend_, root_id, version);
  if (!fresh) return 0;
  std::optional<RootRecord> opened;
  if (at_locator) {
    // A single-credential tree: its writer may have moved it to the key slot layout since
    // (docs/format.md, "Key slots"). Then the credential's object became its slot, and the
    // state lives in the state root, which the master key names and seals.
    CredentialObject object = open_credential_object(*fresh->data, root_key, root_id);
    if (object.slot) {
      StateKeys state = state_keys(object.slot->master_key);
      Backend::Versioned st = backend_->read_object_versioned(state.id);
      opened = open_root_object(*st.data, state.key, state.id);
      if (opened->format_version < 3)
        throw Error(Errc::corrupt, "the state root of a tree with key slots has version " +
                                       std::to_string(opened->format_version));
      root_id = state.id;
      root_key = state.key;
      slot_id = object.slot->id;
      fresh->version = st.version;
    } else {
      opened = std::move(object.root);
    }
  } else {
    opened = open_root_object(*fresh->data, root_key, root_id);
  }
  RootRecord next = std::move(*opened);

  std::unique_lock exclusive(shared_->commit_mu);
  check_open();
  std::lock_guard meta(meta_mu_);
  // Never go back: a root older than ours (a stale replica, a replayed object) is ignored.
  if (next.generation <= root_.generation) return 0;
  std::optional<std::string> old_head;
  if (head_) old_head = head_->id;
  RootRecord old_root = root_;
  std::string old_version = root_version_;
  ObjectId old_root_id = root_id_;
  crypto::SecretKey old_root_key = wrapping_key_;
  root_ = std::move(next);
  root_version_ = fresh->version;
  root_id_ = root_id;
  wrapping_key_ = root_key;
  std::array<uint8_t, 8> old_slot_id = slot_id_;
  slot_id_ = slot_id;
  try {
    load_state();
  } catch (...) {
    // Keep serving what we had (a chunk of the new state could not be read yet).
    root_ = std::move(old_root);
    root_version_ = std::move(old_version);
    root_id_ = old_root_id;
    wrapping_key_ = old_root_key;
    slot_id_ = old_slot_id;
    try {
      load_state();
    } catch (...) {
    }
    throw;
  }
  std::optional<std::string> new_head;
  if (head_) new_head = head_->id;
  return new_head != old_head ? 2 : 1;
}

void TreeCore::follow(const FollowOptions& options,
                      std::function<void(const CommitInfo&)> on_new_head) {
  check_open();
  if (!options_.read_only)
    throw Error(Errc::invalid_argument, "follow mode is for read-only trees");
  validate_follow_options(options);
  stop_following();
  std::lock_guard g(follow_mu_);
  follower_ = std::make_unique<Follower>(options, [this, cb = std::move(on_new_head)] {
    int outcome = refresh();
    if (outcome == 2 && cb) {
      std::optional<CommitRecord> head = head_record();
      if (head) cb(info_of(*head));
    }
    return outcome;
  });
}

void TreeCore::stop_following() {
  std::unique_ptr<Follower> stopping;
  {
    std::lock_guard g(follow_mu_);
    if (follower_ && follower_->on_own_thread())
      throw Error(Errc::invalid_argument, "cannot stop following (or close) from the follow callback");
    stopping = std::move(follower_);
  }
  if (!stopping) return;
  stopping->stop();  // joins outside the lock: a poll in progress finishes first
  FollowStats s = stopping->stats();
  std::lock_guard g(follow_mu_);
  follow_stats_.polls += s.polls;
  follow_stats_.refreshed += s.refreshed;
  follow_stats_.new_heads += s.new_heads;
  follow_stats_.errors += s.errors;
}

FollowStats TreeCore::follow_stats() const {
  std::lock_guard g(follow_mu_);
  FollowStats s = follow_stats_;
  if (follower_) {
    FollowStats now = follower_->stats();
    s.polls += now.polls;
    s.refreshed += now.refreshed;
    s.new_heads += now.new_heads;
    s.errors += now.errors;
  }
  return s;
}

}  // namespace infinitree::detail

namespace infinitree {

bool Tree::refresh() { return core_->refresh() == 2; }
void Tree::follow(const FollowOptions& options, std::function<void(const CommitInfo&)> on_new_head) {
  core_->follow(options, std::move(on_new_head));
}
void Tree::stop_following() { core_->stop_following(); }
FollowStats Tree::follow_stats() const { return core_->follow_stats(); }

}  // namespace infinitree
