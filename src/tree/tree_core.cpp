#include "tree/tree_core.hpp"

#include <chrono>

#include "crypto/random.hpp"
#include "infinitree.h"  // IT_MAX_NAME_SIZE only, checked against the limit below
#include "infinitree/error.hpp"
#include "object/format.hpp"
#include "tree/forgotten_commit.hpp"

namespace infinitree::detail {

namespace {

crypto::Argon2Params to_argon(const KdfParams& k) {
  return {k.memory_kib, k.iterations, k.parallelism};
}

ObjectId to_object_id(const std::array<uint8_t, 32>& bytes) {
  ObjectId id;
  id.bytes = bytes;
  return id;
}

// Branch and tag names (the C ABI promises the same bound for user names as well).
constexpr size_t kMaxNameSize = 255;
static_assert(kMaxNameSize == IT_MAX_NAME_SIZE, "include/infinitree.h and the core disagree");

void validate_ref_name(std::string_view name, const char* what) {
  if (name.empty() || name.size() > kMaxNameSize || name.find('\0') != std::string_view::npos)
    throw Error(Errc::invalid_argument, std::string(what) + " names must be 1 to " +
                                            std::to_string(kMaxNameSize) + " bytes without NUL");
}

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!isxdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

// Points every field of `fields` at the state a commit recorded (nullptr: an empty tree).
void load_commit_state(FieldSet& fields, const CommitRecord* commit) {
  if (commit)
    fields.load(commit->fields, commit->system, commit->info());
  else
    fields.load({}, {}, std::nullopt);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

TreeCore::TreeCore(std::shared_ptr<Backend> backend, const OpenOptions& options)
    : backend_(std::move(backend)), options_(options), kdf_(to_argon(options.kdf)) {
  if (!backend_) throw Error(Errc::invalid_argument, "a tree needs a backend");
  if (options_.target_node_bytes) btree_options_.target_node_bytes = options_.target_node_bytes;
  shared_ = std::make_shared<SharedState>();
}

TreeCore::~TreeCore() {
  stop_warm_up();
  try {
    stop_following();
  } catch (...) {
  }
}

RootRecord TreeCore::root_record() const {
  std::lock_guard meta(meta_mu_);
  return root_;
}

void TreeCore::init_keys(const ObjectId& root_id, const crypto::SecretKey& root_key,
                         const crypto::SecretKey& master) {
  root_id_ = root_id;
  wrapping_key_ = root_key;
  keys_ = crypto::KeyRing::from_master(master);
  ChunkStoreOptions store_options;
  store_options.compression = static_cast<Compression>(root_.compression);
  store_ = std::make_shared<ChunkStore>(backend_, keys_, store_options);
  cache_ = std::make_shared<btree::NodeCache>(options_.node_cache_bytes);
  working_ = std::make_shared<FieldSet>(store_, cache_, btree_options_, options_.read_only, shared_);
}

std::shared_ptr<TreeCore> TreeCore::create(std::shared_ptr<Backend> backend,
                                           const Credential& credential, const OpenOptions& options) {
  if (options.read_only) throw Error(Errc::invalid_argument, "cannot create a tree read-only");
  std::shared_ptr<TreeCore> core(new TreeCore(std::move(backend), options));
  if (credential.kind() == KeySlotKind::password) core->kdf_ = to_argon(credential.kdf());
  auto creds = derive_keys(credential);
  ObjectId root_id = to_object_id(creds.root_object_id);
  if (!core->backend_->object_version(root_id).empty())
    throw Error(Errc::already_exists, "a tree with these credentials already exists in " +
                                          core->backend_->describe());
  core->lock_ = core->backend_->lock_writer(root_id);

  // A new tree starts in the single-credential layout; its first slot change migrates it.
  core->root_.format_version = kSingleCredentialFormatVersion;
  core->root_.master_key = crypto::SecretKey::random();
  core->root_.compression =
      static_cast<uint8_t>(options.compression.value_or(CompressionMethod::lz4));
  core->locator_ = root_id;
  core->locator_key_ = creds.wrapping_key;
  core->opened_with_ = credential.kind();
  core->init_keys(root_id, creds.wrapping_key, core->root_.master_key);
  core->commits_ = std::make_unique<btree::BTree>(core->store_, core->cache_, std::nullopt,
                                                  core->btree_options_);
  core->forgotten_ = std::make_unique<btree::BTree>(core->store_, core->cache_, std::nullopt,
                                                    core->btree_options_);
  Refs refs;
  refs.branches["main"] = std::nullopt;
  std::lock_guard meta(core->meta_mu_);
  try {
    core->publish_root(std::nullopt, refs);
  } catch (const Error& e) {
    if (e.code() == Errc::conflict)
      throw Error(Errc::already_exists, "a tree with these credentials was just created by another writer");
    throw;
  }
  core->refs_ = refs;
  return core;
}

std::shared_ptr<TreeCore> TreeCore::open(std::shared_ptr<Backend> backend,
                                         const Credential& credential, const OpenOptions& options) {
  std::shared_ptr<TreeCore> core(new TreeCore(std::move(backend), options));
  if (credential.kind() == KeySlotKind::password) core->kdf_ = to_argon(credential.kdf());
  auto creds = derive_keys(credential);
  ObjectId root_id = to_object_id(creds.root_object_id);
  auto missing = [&] {
    // An empty store holds no tree at all; otherwise the root for these credentials is
    // simply not there (wrong user name, password or KDF costs; telling them apart would
    // need something stored in the clear).
    if (core->backend_->is_empty())
      return Error(Errc::not_found, "no tree in " + core->backend_->describe() + " (it is empty)");
    return Error(Errc::wrong_credentials,
                 "wrong credentials or no tree here (" + core->backend_->describe() + ")");
  };
  if (core->backend_->object_version(root_id).empty()) throw missing();
  // Lock before reading the root we will commit on top of.
  if (!options.read_only) core->lock_ = core->backend_->lock_writer(root_id);
  Backend::Versioned root;
  try {
    root = core->backend_->read_object_versioned(root_id);
  } catch (const Error& e) {
    if (e.code() == Errc::object_missing) throw missing();
    throw;
  }
  CredentialObject opened = open_credential_object(*root.data, creds.wrapping_key, root_id);
  core->locator_ = root_id;
  core->locator_key_ = creds.wrapping_key;
  core->opened_with_ = credential.kind();
  if (opened.root) {
    // The single-credential layout: the state is right here.
    core->root_ = std::move(*opened.root);
    core->root_version_ = root.version;
    if (core->root_.format_version >= 3) throw Error(Errc::corrupt, "a version 3 root at a credential's locator");
  } else {
    // A key slot: the master key opens the state root, which must still list this slot.
    core->slot_id_ = opened.slot->id;
    StateKeys state = state_keys(opened.slot->master_key);
    core->lock_.reset();
    if (!options.read_only) core->lock_ = core->backend_->lock_writer(state.id);
    Backend::Versioned st;
    try {
      st = core->backend_->read_object_versioned(state.id);
    } catch (const Error& e) {
      if (e.code() == Errc::object_missing)
        throw Error(Errc::object_missing, "the state root " + state.id.hex() +
                                              " of this tree is missing from the store");
      throw;
    }
    core->root_ = open_root_object(*st.data, state.key, state.id);
    core->root_version_ = st.version;
    bool listed = false;
    for (const auto& s : core->root_.slots)
      listed = listed || (s.id == opened.slot->id && s.locator == root_id);
    // A removed slot whose object outlived its removal (a crash before the delete).
    if (!listed || core->root_.format_version < 3) throw missing();
    root_id = state.id;
    creds.wrapping_key = state.key;
  }
  if (options.compression && !options.read_only)
    core->root_.compression = static_cast<uint8_t>(*options.compression);
  core->init_keys(root_id, creds.wrapping_key, core->root_.master_key);
  std::lock_guard meta(core->meta_mu_);
  core->load_state();
  if (!options.read_only) core->claim_open_objects();
  core->start_warm_up();
  return core;
}

void TreeCore::load_state() {
  commits_ = std::make_unique<btree::BTree>(store_, cache_, root_.commits, btree_options_);
  forgotten_ = std::make_unique<btree::BTree>(store_, cache_, root_.forgotten, btree_options_);
  if (root_.refs) {
    refs_ = Refs::decode(store_->read(*root_.refs));
  } else {
    refs_ = Refs{};
    refs_.branches["main"] = std::nullopt;
  }
  head_.reset();
  if (auto head = branch_head(refs_, root_.current_branch)) head_ = load_commit(*head);
  load_commit_state(*working_, head_ ? &*head_ : nullptr);
}

std::optional<std::string> TreeCore::branch_head(const Refs& refs, const std::string& branch) const {
  auto it = refs.branches.find(branch);
  if (it == refs.branches.end()) return std::nullopt;
  return it->second;
}

void TreeCore::check_open() const {
  if (shared_->closed.load()) throw Error(Errc::closed, "the tree is closed");
}

void TreeCore::require_writable(const char* what) const {
  check_open();
  if (options_.read_only)
    throw Error(Errc::read_only, std::string("cannot ") + what + ": the tree was opened read-only");
}

void TreeCore::publish_root(const std::optional<ChunkPointer>& commits_root, const Refs& refs) {
  RootRecord next = root_;
  next.commits = commits_root;
  next.refs = store_->write(ChunkKind::index, refs.encode());
  std::vector<ObjectId> due = take_due_deletions(next, now_ms());
  // Everything the new root points to must be stored before the root itself.
  store_->flush();
  record_open_objects(next, /*clean=*/false);
  write_root(std::move(next));
  // Only now are they unlinked for good. One left behind by a crash here is an object of
  // ours that no root reaches: the next prune finds and deletes it.
  delete_objects(due, nullptr);
}

void TreeCore::write_root(RootRecord next) {
  next.generation = root_.generation + 1;
  next.format_version = has_slots() ? kFormatVersion : kSingleCredentialFormatVersion;
  Bytes object = seal_root_object(next, wrapping_key_, root_id_);
  root_version_ = backend_->write_object_if_version(root_id_, object, root_version_);
  root_ = std::move(next);
}

void TreeCore::record_open_objects(RootRecord& next, bool clean) const {
  next.open_objects.clear();
  for (const auto& o : store_->open_objects())
    next.open_objects.push_back({o.kind, o.id, o.fill, clean});
}

void TreeCore::claim_open_objects() {
  if (root_.open_objects.empty()) return;
  RootRecord next = root_;
  next.open_objects.clear();
  for (const auto& o : root_.open_objects) {
    if (!o.clean) continue;  // its writer was killed: it may have sealed past `fill`
    store_->adopt({o.kind, o.id, o.fill});
    next.open_objects.push_back({o.kind, o.id, o.fill, /*clean=*/false});
  }
  // Durable before this writer seals anything: from here on, a crash leaves the objects
  // claimed, and no later writer appends to them.
  write_root(std::move(next));
}

void TreeCore::hand_over_open_objects() noexcept {
  try {
    std::lock_guard meta(meta_mu_);
    store_->stop_writing();
    store_->flush();
    RootRecord next = root_;
    record_open_objects(next, /*clean=*/true);
    if (next.open_objects.empty() && root_.open_objects.empty()) return;
    write_root(std::move(next));
  } catch (...) {
    // Not handed over: the root keeps them claimed (unclean), so the next writer starts
    // fresh objects. Nothing is lost; prune reclaims the unused rest.
  }
}

std::vector<PendingDeletion> TreeCore::pending_of(const RootRecord& root) const {
  if (!root.pending) return {};
  return decode_pending(store_->read(*root.pending));
}

void TreeCore::set_pending(RootRecord& next, std::vector<PendingDeletion> list) {
  next.next_due_ms = 0;
  if (list.empty()) {
    next.pending.reset();
    return;
  }
  next.next_due_ms = list.front().due_ms;
  for (const auto& p : list) next.next_due_ms = std::min(next.next_due_ms, p.due_ms);
  next.pending = store_->write(ChunkKind::index, encode_pending(list));
}

std::vector<ObjectId> TreeCore::take_due_deletions(RootRecord& next, int64_t now) {
  if (!next.pending || next.next_due_ms > now) return {};
  DueSplit split = split_due(pending_of(next), now);
  set_pending(next, std::move(split.later));
  return split.due;
}

void TreeCore::delete_objects(const std::vector<ObjectId>& ids, uint64_t* deleted) noexcept {
  for (const auto& id : ids) {
    try {
      backend_->delete_object(id);
      if (deleted) ++*deleted;
    } catch (...) {
      // Left for the next prune, which sees an object of ours that no root reaches.
    }
  }
}

void TreeCore::update_refs(const std::function<void(Refs&)>& change) {
  Refs refs = refs_;
  change(refs);
  publish_root(root_.commits, refs);  // refs_ changes only once the new root is stored
  refs_ = std::move(refs);
}

std::optional<CommitInfo> TreeCore::commit(std::string_view message, std::string_view custom,
                                           const CommitOptions& options) {
  require_writable("commit");
  if (ScanScope::active())
    throw Error(Errc::invalid_argument, "cannot commit from inside a scan callback");
  std::unique_lock exclusive(shared_->commit_mu);
  check_open();
  std::lock_guard meta(meta_mu_);
  if (!options.force && !working_->has_changes()) return std::nullopt;

  CommitRecord record;
  record.id = to_string(crypto::random_bytes(kCommitIdSize));
  if (!options.orphan && head_) record.parents.push_back(head_->id);
  uint64_t max_seq = (!options.orphan && head_) ? head_->sequence : 0;
  for (const auto& p : options.extra_parents) {
    CommitRecord parent = load_commit(resolve(p));
    record.parents.push_back(parent.id);
    max_seq = std::max(max_seq, parent.sequence);
  }
  record.sequence = max_seq + 1;
  record.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  record.message = std::string(message);
  record.custom = std::string(custom);
  record.branch = root_.current_branch;

  try {
    std::tie(record.fields, record.system) = working_->flush();
    ChunkPointer ptr = store_->write(ChunkKind::index, record.encode());
    Bytes encoded_ptr = ptr.encode();
    commits_->put(record.id, as_string_view(encoded_ptr));
    auto commits_root = commits_->flush();
    Refs refs = refs_;
    refs.branches[root_.current_branch] = record.id;
    publish_root(commits_root, refs);
    refs_ = std::move(refs);
  } catch (...) {
    // The working fields keep their changes (a later commit retries them); the commit
    // index goes back to what the store's root says.
    commits_ = std::make_unique<btree::BTree>(store_, cache_, root_.commits, btree_options_);
    throw;
  }
  head_ = record;
  working_->mark_committed();
  working_->set_commit(record.info());
  return record.info();
}

bool TreeCore::has_changes() const {
  check_open();
  std::unique_lock exclusive(shared_->commit_mu);
  return working_->has_changes();
}

void TreeCore::rollback() {
  check_open();
  if (ScanScope::active())
    throw Error(Errc::invalid_argument, "cannot roll back from inside a scan callback");
  std::unique_lock exclusive(shared_->commit_mu);
  working_->rollback();
}

std::optional<CommitRecord> TreeCore::head_record() const {
  std::lock_guard meta(meta_mu_);
  return head_;
}

CommitRecord TreeCore::load_commit(const std::string& raw_id) const {
  std::lock_guard meta(meta_mu_);
  auto ptr = commits_->get(raw_id);
  if (!ptr && forgotten_->contains(raw_id))
    throw Error(Errc::not_found, "commit " + commit_id_hex(raw_id) + " was forgotten");
  if (!ptr) throw Error(Errc::not_found, "no commit " + commit_id_hex(raw_id));
  CommitRecord record = CommitRecord::decode(store_->read(ChunkPointer::decode(as_bytes(*ptr))));
  if (record.id != raw_id) throw Error(Errc::corrupt, "commit index entry points at another commit");
  return record;
}

bool TreeCore::is_forgotten(const std::string& raw_id) const {
  std::lock_guard meta(meta_mu_);
  return forgotten_->contains(raw_id);
}

std::optional<CommitRecord> TreeCore::kept_ancestor(const std::string& raw_id) const {
  std::lock_guard meta(meta_mu_);
  std::string id = raw_id;
  // Bounded by the number of forgotten commits: stubs form a chain towards the roots.
  for (uint64_t steps = 0; steps <= forgotten_->size(); ++steps) {
    if (commits_->contains(id)) return load_commit(id);
    auto stub = forgotten_->get(id);
    if (!stub) throw Error(Errc::corrupt, "commit " + commit_id_hex(id) + " is neither in the history nor forgotten");
    ForgottenCommit f = ForgottenCommit::decode(as_bytes(*stub));
    if (f.parents.empty()) return std::nullopt;
    id = f.parents.front();
  }
  throw Error(Errc::corrupt, "the forgotten commits form a cycle");
}

CommitInfo TreeCore::info_of(const CommitRecord& record) const {
  CommitInfo info = record.info();
  for (const auto& p : record.parents)
    if (is_forgotten(p)) info.forgotten_parents.push_back(commit_id_hex(p));
  return info;
}

std::string TreeCore::resolve(std::string_view ref) const {
  check_open();
  std::lock_guard meta(meta_mu_);
  if (ref == "HEAD" || ref.empty()) {
    if (!head_) throw Error(Errc::not_found, "the current branch has no commits");
    return head_->id;
  }
  if (auto it = refs_.branches.find(ref); it != refs_.branches.end()) {
    if (!it->second) throw Error(Errc::not_found, "branch '" + std::string(ref) + "' has no commits");
    return *it->second;
  }
  if (auto it = refs_.tags.find(std::string(ref)); it != refs_.tags.end()) return it->second;
  if (!is_hex(ref) || ref.size() < 4 || ref.size() > 2 * kCommitIdSize)
    throw Error(Errc::not_found, "no branch, tag or commit '" + std::string(ref) + "'");
  std::string want = lower(ref);
  if (want.size() == 2 * kCommitIdSize) {
    std::string raw = commit_id_raw(want);
    if (!commits_->contains(raw))
      throw Error(Errc::not_found, forgotten_->contains(raw) ? "commit " + want + " was forgotten"
                                                             : "no commit " + want);
    return raw;
  }
  // A prefix: scan the commit index from the first full byte of the prefix.
  std::string start = commit_id_raw(want.substr(0, want.size() / 2 * 2) +
                                    std::string(2 * kCommitIdSize - want.size() / 2 * 2, '0'));
  std::vector<std::string> matches;
  commits_->scan(std::string_view(start), btree::Bound{}, [&](std::string_view key, std::string_view) {
    std::string hex = commit_id_hex(key);
    if (hex.compare(0, want.size(), want) != 0) return hex < want;  // keep going until past
    matches.emplace_back(key);
    return matches.size() < 2;
  });
  if (matches.empty()) throw Error(Errc::not_found, "no commit starts with " + want);
  if (matches.size() > 1) throw Error(Errc::invalid_argument, "commit prefix " + want + " is ambiguous");
  return matches.front();
}

std::vector<CommitInfo> TreeCore::log(const HistoryFilter& filter) const {
  check_open();
  std::vector<CommitInfo> out;
  std::optional<CommitRecord> cur;
  std::string stop;  // raw id of the oldest commit to list (range)
  switch (filter.kind) {
    case HistoryFilter::Kind::all:
      cur = head_record();
      break;
    case HistoryFilter::Kind::single:
      out.push_back(info_of(load_commit(resolve(filter.from))));
      return out;
    case HistoryFilter::Kind::up_to:
      cur = load_commit(resolve(filter.from));
      break;
    case HistoryFilter::Kind::range:
      stop = resolve(filter.from);
      cur = load_commit(resolve(filter.to));
      break;
  }
  while (cur) {
    out.push_back(info_of(*cur));
    if (!stop.empty() && cur->id == stop) return out;
    if (cur->parents.empty()) break;
    cur = kept_ancestor(cur->parents.front());
  }
  if (!stop.empty())
    throw Error(Errc::invalid_argument, "commit " + commit_id_hex(stop) +
                                            " is not a first-parent ancestor of " + filter.to);
  return out;
}

std::shared_ptr<FieldSet> TreeCore::checkout(std::string_view ref) const {
  CommitRecord record = load_commit(resolve(ref));
  auto view = std::make_shared<FieldSet>(store_, cache_, btree_options_, true,
                                         std::make_shared<SharedState>());
  load_commit_state(*view, &record);
  return view;
}

std::vector<DiffEntry> TreeCore::diff(std::string_view field, std::string_view a,
                                      std::string_view b) const {
  auto root_of = [&](const CommitRecord& c) -> std::optional<ChunkPointer> {
    for (const auto& f : c.fields)
      if (f.name == field) return f.root;
    return std::nullopt;
  };
  CommitRecord ca = load_commit(resolve(a)), cb = load_commit(resolve(b));
  std::vector<DiffEntry> out;
  btree::BTree::diff(store_, cache_, root_of(ca), root_of(cb),
                     [&](std::string_view key, const std::optional<std::string>& old_value,
                         const std::optional<std::string>& new_value) {
                       out.push_back({std::string(key), old_value, new_value});
                     });
  return out;
}

std::string TreeCore::current_branch() const {
  std::lock_guard meta(meta_mu_);
  return root_.current_branch;
}

Refs TreeCore::refs() const {
  std::lock_guard meta(meta_mu_);
  return refs_;
}

void TreeCore::create_branch(std::string_view name, std::string_view ref) {
  require_writable("create a branch");
  validate_ref_name(name, "branch");
  std::optional<std::string> target;
  if (!ref.empty()) target = resolve(ref);
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  if (refs_.branches.count(std::string(name)))
    throw Error(Errc::already_exists, "branch '" + std::string(name) + "' exists");
  if (ref.empty() && head_) target = head_->id;
  update_refs([&](Refs& refs) { refs.branches[std::string(name)] = target; });
}

void TreeCore::switch_branch(std::string_view name) {
  require_writable("switch branches");
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  auto it = refs_.branches.find(name);
  if (it == refs_.branches.end()) throw Error(Errc::not_found, "no branch '" + std::string(name) + "'");
  if (working_->has_changes())
    throw Error(Errc::conflict, "commit or roll back the changes before switching branches");
  std::optional<CommitRecord> head;
  if (it->second) head = load_commit(*it->second);
  std::string previous = root_.current_branch;
  root_.current_branch = std::string(name);
  try {
    publish_root(root_.commits, refs_);
  } catch (...) {
    root_.current_branch = previous;
    throw;
  }
  head_ = std::move(head);
  load_commit_state(*working_, head_ ? &*head_ : nullptr);
}

void TreeCore::delete_branch(std::string_view name) {
  require_writable("delete a branch");
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  if (!refs_.branches.count(std::string(name)))
    throw Error(Errc::not_found, "no branch '" + std::string(name) + "'");
  if (name == root_.current_branch)
    throw Error(Errc::invalid_argument, "cannot delete the current branch");
  update_refs([&](Refs& refs) { refs.branches.erase(std::string(name)); });
}

void TreeCore::create_tag(std::string_view name, std::string_view ref) {
  require_writable("create a tag");
  validate_ref_name(name, "tag");
  std::string target = resolve(ref);
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  if (refs_.tags.count(std::string(name)))
    throw Error(Errc::already_exists, "tag '" + std::string(name) + "' exists");
  update_refs([&](Refs& refs) { refs.tags[std::string(name)] = target; });
}

void TreeCore::delete_tag(std::string_view name) {
  require_writable("delete a tag");
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  if (!refs_.tags.count(std::string(name)))
    throw Error(Errc::not_found, "no tag '" + std::string(name) + "'");
  update_refs([&](Refs& refs) { refs.tags.erase(std::string(name)); });
}

void TreeCore::change_password(std::string_view user, std::string_view password,
                               const KdfParams& kdf) {
  require_writable("change the password");
  Credential credential = Credential::password(user, password, kdf);
  auto creds = derive_keys(credential);
  ObjectId new_id = to_object_id(creds.root_object_id);
  std::unique_lock exclusive(shared_->commit_mu);
  std::lock_guard meta(meta_mu_);
  if (has_slots()) {
    change_slot_credential(credential.kind(), creds);
    kdf_ = to_argon(kdf);
    return;
  }
  if (new_id == root_id_) {
    // Same credentials and costs: nothing to change but a fresh seal.
    publish_root(root_.commits, refs_);
    return;
  }
  if (!backend_->object_version(new_id).empty())
    throw Error(Errc::already_exists, "a tree with the new credentials already exists here");
  auto new_lock = backend_->lock_writer(new_id);
  // Another writer (on S3 two processes may hold the tree) may have committed since this
  // handle read the root: sealing our copy would drop that commit. Check before writing
  // the new root, and again before deleting the old one.
  auto stale = [&] {
    return Error(Errc::conflict, "another writer changed the tree since it was opened: reopen and "
                                 "change the password again");
  };
  if (backend_->object_version(root_id_) != root_version_) throw stale();
  RootRecord next = root_;
  next.generation = root_.generation + 1;
  Bytes object = seal_root_object(next, creds.wrapping_key, new_id);
  std::string version = backend_->write_object_if_version(new_id, object, "");
  if (backend_->object_version(root_id_) != root_version_) {
    // We lost: the old credentials' root moved on. Take ours back; theirs stays.
    try {
      backend_->delete_object(new_id);
    } catch (const Error&) {
    }
    throw stale();
  }
  // The new root is durable: only now may the old one go. A crash in between leaves both
  // credentials working, never neither.
  backend_->delete_object(root_id_);
  backend_->sync();
  root_ = std::move(next);
  root_id_ = new_id;
  wrapping_key_ = creds.wrapping_key;
  locator_ = new_id;
  locator_key_ = creds.wrapping_key;
  opened_with_ = KeySlotKind::password;
  root_version_ = std::move(version);
  kdf_ = to_argon(kdf);
  lock_ = std::move(new_lock);
}

TreeStats TreeCore::stats() const {
  check_open();
  TreeStats s;
  s.objects = backend_->list_objects().size();
  {
    std::lock_guard meta(meta_mu_);
    s.commits = commits_->size();
  }
  auto cs = store_->stats();
  s.chunks_written = cs.chunks_written;
  s.bytes_written = cs.stored_bytes_written;
  auto ns = cache_->stats();
  s.node_cache_hits = ns.hits;
  s.node_cache_misses = ns.misses;
  {
    std::lock_guard g(warm_mu_);
    if (warm_start_) {
      s.warm_start_running = !warm_start_->done();
      s.warm_start_nodes = warm_start_->nodes_read();
    }
  }
  return s;
}

void TreeCore::close() {
  stop_warm_up();
  stop_following();  // before the lock: a poll in progress takes it
  std::unique_lock exclusive(shared_->commit_mu);
  if (!shared_->closed.exchange(true) && !options_.read_only && lock_ && store_)
    hand_over_open_objects();
  lock_.reset();
}

void TreeCore::start_warm_up() {
  const size_t max_nodes = options_.warm_start_nodes.value_or(backend_->is_remote() ? 1024 : 0);
  if (max_nodes == 0) return;
  std::vector<ChunkPointer> roots;
  {
    std::lock_guard meta(meta_mu_);
    if (!head_) return;
    // User fields first: with a small budget the levels read are the ones lookups use.
    for (const FieldRoot& f : head_->fields)
      if (f.root) roots.push_back(*f.root);
    for (const FieldRoot& f : head_->system)
      if (f.root) roots.push_back(*f.root);
  }
  if (roots.empty()) return;
  // The reads wait on the store far more than on the CPU (a remote store's round trips),
  // so more threads than cores pay off; on a local folder they only decode in parallel.
  constexpr unsigned kWarmStartThreads = 8;
  std::lock_guard g(warm_mu_);
  warm_start_ = std::make_unique<WarmStart>(store_, cache_, std::move(roots), max_nodes,
                                            kWarmStartThreads);
}

void TreeCore::stop_warm_up() {
  std::lock_guard g(warm_mu_);
  if (warm_start_) warm_start_->stop();
}

}  // namespace infinitree::detail
