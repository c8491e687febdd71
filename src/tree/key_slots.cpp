// Key slots (docs/security.md, "Key slots"; docs/format.md, "Key slots"): list, add and
// remove, each one version-checked write of the state root, and the migration of a
// single-credential tree to the slot layout at its first slot change.
#include <algorithm>
#include <cstring>

#include "crypto/random.hpp"
#include "infinitree/error.hpp"
#include "object/format.hpp"
#include "tree/tree_access.hpp"
#include "tree/tree_core.hpp"

namespace infinitree::detail {

namespace {

using SlotId = std::array<uint8_t, 8>;

std::string hex_of(const SlotId& id) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : id) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

SlotId parse_slot_id(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  SlotId id{};
  bool ok = hex.size() == 2 * id.size();
  for (size_t i = 0; ok && i < id.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    if (ok) id[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  if (!ok)
    throw Error(Errc::invalid_argument,
                "a key slot id is " + std::to_string(2 * id.size()) + " hex digits, not '" +
                    std::string(hex.substr(0, 64)) + "'");
  return id;
}

// The id the first slot gets at migration. Derived, not random, so two writers migrating
// the same root at once (possible on S3, which has no lock) write the same slot.
SlotId first_slot_id(const crypto::SecretKey& master) {
  crypto::SecretKey k = crypto::hkdf_key(master, "first-slot-id");
  SlotId id;
  std::memcpy(id.data(), k.data(), id.size());
  return id;
}

ObjectId to_object_id(const std::array<uint8_t, 32>& bytes) {
  ObjectId id;
  id.bytes = bytes;
  return id;
}

void validate_label(std::string_view label) {
  if (label.size() > kMaxKeySlotLabelSize || label.find('\0') != std::string_view::npos)
    throw Error(Errc::invalid_argument, "a key slot label is at most " +
                                            std::to_string(kMaxKeySlotLabelSize) +
                                            " bytes without NUL");
}

Error stale() {
  return Error(Errc::conflict,
               "another writer changed the tree since it was opened: reopen and try again");
}

}  // namespace

static_assert(kMaxKeySlots <= kMaxSlotEntries && kMaxKeySlotLabelSize == kMaxSlotLabel,
              "the public limits are the format's");

std::vector<KeySlotInfo> TreeCore::key_slots() const {
  check_open();
  std::lock_guard meta(meta_mu_);
  if (!has_slots())
    return {{hex_of(first_slot_id(root_.master_key)), "", 0, opened_with_, true}};
  std::vector<KeySlotInfo> out;
  for (const auto& s : root_.slots)
    out.push_back({hex_of(s.id), s.label, s.created_ms, static_cast<KeySlotKind>(s.kind),
                   s.id == slot_id_ && s.locator == locator_});
  return out;
}

std::string TreeCore::add_key_slot(const Credential& credential, std::string_view label) {
  require_writable("add a key slot");
  validate_label(label);
  auto creds = derive_keys(credential);  // before taking the locks: Argon2id is slow
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  return hex_of(add_slot_locked(credential.kind(), creds, label));
}

void TreeCore::remove_key_slot(std::string_view id_hex) {
  require_writable("remove a key slot");
  SlotId id = parse_slot_id(id_hex);
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  remove_slot_locked(id);
}

SlotId TreeCore::add_slot_locked(KeySlotKind kind, const crypto::CredentialKeys& creds,
                                 std::string_view label) {
  ObjectId locator = to_object_id(creds.root_object_id);
  if (!has_slots() && locator == locator_)
    throw Error(Errc::already_exists, "this credential already opens the tree (it is its only one)");
  if (!has_slots()) migrate_to_slots();
  delete_retired_slots();
  for (const auto& s : root_.slots)
    if (s.locator == locator)
      throw Error(Errc::already_exists, "this credential already opens the tree (key slot " +
                                            hex_of(s.id) + ")");
  if (root_.slots.size() >= kMaxKeySlots)
    throw Error(Errc::too_large, "a tree has at most " + std::to_string(kMaxKeySlots) + " key slots");

  // Something at the locator: ours only if it unwraps to this tree's master key (a slot
  // whose add was cut short, or a removed one not yet deleted); otherwise another tree in
  // this store opens with the same credential, and the two cannot share it.
  std::string existing = backend_->object_version(locator);
  if (!existing.empty()) {
    bool ours = false;
    try {
      auto obj = backend_->read_object_versioned(locator);
      CredentialObject co = open_credential_object(*obj.data, creds.wrapping_key, locator);
      ours = co.slot && co.slot->master_key == root_.master_key;
      existing = obj.version;
    } catch (const Error&) {
      ours = false;
    }
    if (!ours)
      throw Error(Errc::already_exists, "another tree in " + backend_->describe() +
                                            " opens with this credential");
  }

  SlotEntry entry;
  crypto::random_fill(entry.id.data(), entry.id.size());
  entry.locator = locator;
  entry.label = std::string(label);
  entry.created_ms = now_ms();
  entry.kind = static_cast<uint8_t>(kind);
  // The slot object first: until the state root lists it, it opens nothing.
  SlotRecord slot{entry.id, root_.master_key};
  backend_->write_object_if_version(locator, seal_slot_object(slot, creds.wrapping_key, locator),
                                    existing);
  RootRecord next = root_;
  next.slots.push_back(entry);
  next.retired.erase(std::remove(next.retired.begin(), next.retired.end(), locator), next.retired.end());
  try {
    write_root(std::move(next));
  } catch (const Error&) {
    try {
      backend_->delete_object(locator);  // unlisted, so it opened nothing; tidy up
    } catch (const Error&) {
    }
    throw;
  }
  return entry.id;
}

void TreeCore::remove_slot_locked(const SlotId& id) {
  if (!has_slots()) {
    if (id == first_slot_id(root_.master_key))
      throw Error(Errc::invalid_argument,
                  "cannot remove the last key slot: nothing would open the tree any more");
    throw Error(Errc::not_found, "no key slot " + hex_of(id) + " in this tree");
  }
  auto it = std::find_if(root_.slots.begin(), root_.slots.end(),
                         [&](const SlotEntry& s) { return s.id == id; });
  if (it == root_.slots.end()) throw Error(Errc::not_found, "no key slot " + hex_of(id) + " in this tree");
  if (root_.slots.size() == 1)
    throw Error(Errc::invalid_argument,
                "cannot remove the last key slot: nothing would open the tree any more");
  if (root_.retired.size() >= kMaxSlotEntries)
    throw Error(Errc::too_large, "too many removed key slots whose objects could not be deleted yet");
  // Unlisted first: from this root write on the credential fails, even if its object
  // outlives a crash. Deleting the object then makes it unfindable too.
  RootRecord next = root_;
  ObjectId locator = it->locator;
  next.slots.erase(next.slots.begin() + (it - root_.slots.begin()));
  next.retired.push_back(locator);
  write_root(std::move(next));
  delete_retired_slots();
}

void TreeCore::delete_retired_slots() {
  if (root_.retired.empty()) return;
  RootRecord next = root_;
  next.retired.clear();
  for (const auto& locator : root_.retired) {
    try {
      backend_->delete_object(locator);
    } catch (const Error& e) {
      if (e.code() != Errc::object_missing) next.retired.push_back(locator);  // try again later
    }
  }
  if (next.retired.size() == root_.retired.size()) return;
  backend_->sync();
  write_root(std::move(next));
}

void TreeCore::migrate_to_slots() {
  // root_ is the single-credential root at locator_ (== root_id_), read at root_version_.
  StateKeys state = state_keys(root_.master_key);
  auto state_lock = backend_->lock_writer(state.id);
  // Another writer's commit since this handle read the root would be lost: check before
  // writing the state root; the conditional write of the slot object checks again.
  if (backend_->object_version(root_id_) != root_version_) throw stale();
  SlotEntry first;
  first.id = first_slot_id(root_.master_key);
  first.locator = locator_;
  first.created_ms = now_ms();
  first.kind = static_cast<uint8_t>(opened_with_);
  RootRecord next = root_;
  next.format_version = kFormatVersion;
  next.generation = root_.generation + 1;
  next.slots = {first};
  next.retired.clear();
  // A state root already there is the leftover of a migration cut short before its last
  // step (no slot object pointed at it yet): overwritten.
  std::string leftover = backend_->object_version(state.id);
  std::string state_version = backend_->write_object_if_version(
      state.id, seal_root_object(next, state.key, state.id), leftover);
  SlotRecord slot{first.id, root_.master_key};
  try {
    backend_->write_object_if_version(locator_, seal_slot_object(slot, locator_key_, locator_),
                                      root_version_);
  } catch (const Error& e) {
    // The old root moved on: it stays in charge, the state root is unreachable.
    if (e.code() == Errc::conflict) throw stale();
    throw;
  }
  root_ = std::move(next);
  root_id_ = state.id;
  wrapping_key_ = state.key;
  root_version_ = std::move(state_version);
  slot_id_ = first.id;
  lock_ = std::move(state_lock);
}

void TreeCore::change_slot_credential(KeySlotKind kind, const crypto::CredentialKeys& creds) {
  ObjectId locator = to_object_id(creds.root_object_id);
  if (locator == locator_) return;  // the same credentials: nothing to change
  std::string label;
  for (const auto& s : root_.slots)
    if (s.id == slot_id_) label = s.label;
  SlotId old_id = slot_id_;
  SlotId new_id = add_slot_locked(kind, creds, label);
  // A crash here leaves both credentials working, never neither.
  remove_slot_locked(old_id);
  locator_ = locator;
  locator_key_ = creds.wrapping_key;
  opened_with_ = kind;
  slot_id_ = new_id;
}

}  // namespace infinitree::detail

namespace infinitree {

using detail::TreeAccess;

std::vector<KeySlotInfo> key_slots(Tree& tree) { return TreeAccess::core(tree).key_slots(); }

std::string add_key_slot(Tree& tree, const Credential& credential, std::string_view label) {
  return TreeAccess::core(tree).add_key_slot(credential, label);
}

void remove_key_slot(Tree& tree, std::string_view id) { TreeAccess::core(tree).remove_key_slot(id); }

}  // namespace infinitree
