// Typed schemas: the record kept in the tree and the checks of a declaration against it.
// Lives with the tree layer because forgetting a record drops a field of a Tree.
#include "infinitree/schema.hpp"

#include <algorithm>

namespace infinitree {

namespace {

const char* kind_name(FieldType t) { return to_string(t); }

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

std::optional<SchemaRecord> Schema::stored(TreeView& view) {
  if (!view.has_field(kRecordField)) return std::nullopt;
  auto raw = TypedValue<SchemaRecord>(view.value(kRecordField)).get();
  if (!raw) return std::nullopt;
  return raw;
}

bool Schema::forget(Tree& tree) {
  if (!tree.has_field(kRecordField)) return false;
  tree.drop_field(kRecordField);
  return true;
}

Schema::Schema(Tree& tree, std::string name, uint32_t version)
    : Schema(tree, &tree, std::move(name), version) {}

Schema::Schema(TreeView& view, std::string name, uint32_t version)
    : Schema(view, nullptr, std::move(name), version) {}

Schema::Schema(TreeView& view, Tree* writable, std::string name, uint32_t version)
    : view_(&view), writable_(writable), name_(std::move(name)), version_(version) {
  if (name_.empty()) throw Error(Errc::invalid_argument, "a schema needs a name");
  stored_ = stored(view);
  declared_.name = name_;
  declared_.version = version_;
  if (!stored_) {
    if (!writable_)
      throw Error(Errc::not_found, "this version of the tree has no schema record (schema " + in_quotes(name_) + ")");
    return;
  }
  if (stored_->name != name_ || stored_->version != version_)
    throw Error(Errc::unsupported_version,
                "the tree holds schema " + in_quotes(stored_->name) + " version " + std::to_string(stored_->version) +
                    ", this program declares " + in_quotes(name_) + " version " + std::to_string(version_) +
                    " (migrate the data, then Schema::forget the old record)");
}

void Schema::declare(std::string_view field, FieldType kind, const std::string& type) {
  const std::string where = "schema " + in_quotes(name_) + ": field " + in_quotes(field);
  for (const auto& f : declared_.fields)
    if (f.first == field) throw Error(Errc::invalid_argument, where + " is declared twice");
  if (field == kRecordField) throw Error(Errc::invalid_argument, where + " is the schema record's own field");
  for (const auto& f : view_->fields())
    if (f.name == field && f.type != kind)
      throw Error(Errc::invalid_argument, where + " is a " + kind_name(f.type) + " in the tree, declared as " + type);
  if (stored_) {
    auto it = std::find_if(stored_->fields.begin(), stored_->fields.end(),
                           [&](const auto& f) { return f.first == field; });
    if (it == stored_->fields.end())
      throw Error(Errc::invalid_argument, where + " (" + type + ") is not in the stored schema");
    if (it->second != type)
      throw Error(Errc::invalid_argument, where + " is stored as " + it->second + ", declared as " + type);
  }
  declared_.fields.emplace_back(field, type);
  if (!stored_) TypedValue<SchemaRecord>(writable_->value(kRecordField)).set(declared_);
}

void Schema::finish() {
  if (!stored_) {
    // Even a schema of no fields is recorded, so its name and version are.
    TypedValue<SchemaRecord>(writable_->value(kRecordField)).set(declared_);
    return;
  }
  for (const auto& f : stored_->fields) {
    bool declared = std::any_of(declared_.fields.begin(), declared_.fields.end(),
                                [&](const auto& d) { return d.first == f.first; });
    if (!declared)
      throw Error(Errc::invalid_argument, "schema " + in_quotes(name_) + ": the stored field " + in_quotes(f.first) +
                                              " (" + f.second + ") is not declared");
  }
}

}  // namespace infinitree
