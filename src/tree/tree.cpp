// Tree and TreeView: the public faces of TreeCore and FieldSet.
#include "infinitree/tree.hpp"

#include "tree/tree_core.hpp"

namespace infinitree {

TreeView::TreeView(std::shared_ptr<detail::FieldSet> fields) : fields_(std::move(fields)) {}
TreeView::~TreeView() = default;

Map TreeView::map(std::string_view name) { return Map(fields_->get(name, FieldType::map)); }
Set TreeView::set(std::string_view name) { return Set(fields_->get(name, FieldType::set)); }
List TreeView::list(std::string_view name) { return List(fields_->get(name, FieldType::list)); }
Value TreeView::value(std::string_view name) { return Value(fields_->get(name, FieldType::value)); }
std::vector<FieldInfo> TreeView::fields() const { return fields_->list(); }
bool TreeView::has_field(std::string_view name) const { return fields_->has(name); }
std::optional<CommitInfo> TreeView::commit() const { return fields_->commit(); }
bool TreeView::read_only() const { return fields_->read_only(); }

namespace {
class CheckoutView : public TreeView {
 public:
  explicit CheckoutView(std::shared_ptr<detail::FieldSet> f) : TreeView(std::move(f)) {}
};
}  // namespace

Tree::Tree(std::shared_ptr<detail::TreeCore> core)
    : TreeView(core->working()), core_(std::move(core)) {}
Tree::~Tree() {
  // Closing hands the open objects over to the next writer (and releases the lock).
  try {
    core_->close();
  } catch (...) {
  }
}

std::unique_ptr<Tree> Tree::create(std::shared_ptr<Backend> backend, std::string_view username,
                                   std::string_view password, const OpenOptions& options) {
  return create_tree(std::move(backend), Credential::password(username, password, options.kdf),
                     options);
}

std::unique_ptr<Tree> Tree::open(std::shared_ptr<Backend> backend, std::string_view username,
                                 std::string_view password, const OpenOptions& options) {
  return open_tree(std::move(backend), Credential::password(username, password, options.kdf),
                   options);
}

std::optional<CommitInfo> Tree::commit(std::string_view message, std::string_view custom,
                                       const CommitOptions& options) {
  return core_->commit(message, custom, options);
}
bool Tree::has_changes() const { return core_->has_changes(); }
void Tree::rollback() { core_->rollback(); }

std::vector<CommitInfo> Tree::log(const HistoryFilter& filter) const { return core_->log(filter); }
CommitInfo Tree::commit_info(std::string_view id) const {
  return core_->info_of(core_->load_commit(core_->resolve(id)));
}
std::optional<CommitInfo> Tree::head() const {
  core_->check_open();
  auto h = core_->head_record();
  if (!h) return std::nullopt;
  return core_->info_of(*h);
}
std::unique_ptr<TreeView> Tree::checkout(std::string_view commit_id) const {
  return std::make_unique<CheckoutView>(core_->checkout(commit_id));
}
std::vector<DiffEntry> Tree::diff(std::string_view field, std::string_view a,
                                  std::string_view b) const {
  return core_->diff(field, a, b);
}

std::string Tree::current_branch() const { return core_->current_branch(); }
void Tree::create_branch(std::string_view name, std::string_view commit_id) {
  core_->create_branch(name, commit_id);
}
void Tree::switch_branch(std::string_view name) { core_->switch_branch(name); }
void Tree::delete_branch(std::string_view name) { core_->delete_branch(name); }
std::vector<std::pair<std::string, std::optional<CommitId>>> Tree::branches() const {
  core_->check_open();
  std::vector<std::pair<std::string, std::optional<CommitId>>> out;
  for (const auto& [name, id] : core_->refs().branches)
    out.emplace_back(name, id ? std::optional<CommitId>(commit_id_hex(*id)) : std::nullopt);
  return out;
}
void Tree::create_tag(std::string_view name, std::string_view commit_id) {
  core_->create_tag(name, commit_id);
}
void Tree::delete_tag(std::string_view name) { core_->delete_tag(name); }
std::vector<std::pair<std::string, CommitId>> Tree::tags() const {
  core_->check_open();
  std::vector<std::pair<std::string, CommitId>> out;
  for (const auto& [name, id] : core_->refs().tags) out.emplace_back(name, commit_id_hex(id));
  return out;
}
CommitId Tree::resolve(std::string_view ref) const { return commit_id_hex(core_->resolve(ref)); }

void Tree::rename_field(std::string_view from, std::string_view to) {
  core_->check_open();
  fields_->rename(from, to);
}
void Tree::drop_field(std::string_view name) {
  core_->check_open();
  fields_->drop(name);
}

void Tree::change_password(std::string_view new_username, std::string_view new_password,
                           const KdfParams& new_kdf) {
  core_->change_password(new_username, new_password, new_kdf);
}

TreeStats Tree::stats() const { return core_->stats(); }
ForgetReport Tree::forget(const std::vector<std::string>& refs, bool dry_run) {
  return core_->forget(refs, dry_run);
}
ForgetReport Tree::forget(const RetentionPolicy& policy, bool dry_run) {
  return core_->forget(policy, dry_run);
}
SpaceReport Tree::prune(const PruneOptions& options) { return core_->prune(options); }
SpaceReport Tree::space(const PruneOptions& options) const { return core_->space(options); }
std::shared_ptr<Backend> Tree::backend() const { return core_->backend(); }
void Tree::close() { core_->close(); }

}  // namespace infinitree
