// Typed schemas (docs/data-model.md, "Typed schema"): a tree's fields declared once, as a
// struct of typed handles (infinitree/typed.hpp) opened together, with the schema's name,
// version and each field's kind and types recorded in the tree, so a program that declares
// other types than the stored ones gets a clear error instead of misdecoded values.
//
//   struct Reading {
//     double moisture = 0;
//     MSGPACK_DEFINE(moisture);
//     static constexpr std::string_view schema_name = "Reading/1";  // names its msgpack layout
//   };
//   struct Garden : Schema {
//     explicit Garden(Tree& t)
//         : Schema(t, "garden", 1),
//           readings(map<std::tuple<std::string, int64_t>, Reading>("readings")),
//           plants(set<std::string>("plants")) {
//       finish();
//     }
//     VersionedMap<std::tuple<std::string, int64_t>, Reading> readings;
//     TypedSet<std::string> plants;
//   };
//
// On a tree without a record, the declaration is recorded (in the working state: the next
// commit persists it). Otherwise every declared field is checked against the record as it
// is opened, before anything is created: another schema name or version is
// unsupported_version, a field stored with another kind or types (or not recorded) is
// invalid_argument naming the field and both types, and finish() fails the same way for
// recorded fields the declaration lacks. A checkout (any TreeView) is checked, never written.
#pragma once

#include "infinitree/export.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "infinitree/typed.hpp"

namespace infinitree {

// What a tree records about its schema (value field Schema::kRecordField, msgpack).
struct SchemaRecord {
  std::string name;
  uint32_t version = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // (field, "map<str,Reading/1>") in declaration order
  MSGPACK_DEFINE(name, version, fields);
};

namespace schema_detail {

template <typename T>
struct is_vector : std::false_type {};
template <typename T, typename A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
template <typename T>
struct is_std_map : std::false_type {};
template <typename K, typename V, typename C, typename A>
struct is_std_map<std::map<K, V, C, A>> : std::true_type {};
template <typename T>
struct is_time : std::false_type {};
template <typename D>
struct is_time<std::chrono::sys_time<D>> : std::true_type {};
template <typename T>
struct is_desc : std::false_type {};
template <typename T>
struct is_desc<keys::Desc<T>> : std::true_type {};
template <typename T>
inline constexpr bool always_false = false;

}  // namespace schema_detail

// The name a schema records for a key or value type: built-in names for scalars and
// standard containers, T::schema_name for the caller's own (msgpack) types.
template <typename T>
std::string schema_type_name() {
  using namespace schema_detail;
  if constexpr (std::is_same_v<T, bool>) {
    return "bool";
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    return "int";
  } else if constexpr (std::is_integral_v<T>) {
    return "uint";
  } else if constexpr (std::is_floating_point_v<T>) {
    return "float";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "str";
  } else if constexpr (is_time<T>::value) {
    return "time";
  } else if constexpr (is_desc<T>::value) {
    return "desc " + schema_type_name<decltype(T::value)>();
  } else if constexpr (typed_detail::is_tuple<T>::value) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      std::string s = "(";
      ((s += (I ? "," : "") + schema_type_name<std::tuple_element_t<I, T>>()), ...);
      return s + ")";
    }(std::make_index_sequence<std::tuple_size_v<T>>{});
  } else if constexpr (is_vector<T>::value) {
    return "[" + schema_type_name<typename T::value_type>() + "]";
  } else if constexpr (is_optional<T>::value) {
    return schema_type_name<typename T::value_type>() + "?";
  } else if constexpr (is_std_map<T>::value) {
    return "{" + schema_type_name<typename T::key_type>() + ":" +
           schema_type_name<typename T::mapped_type>() + "}";
  } else if constexpr (requires { T::schema_name; }) {
    return std::string(T::schema_name);
  } else {
    static_assert(always_false<T>,
                  "a type in a schema needs `static constexpr std::string_view schema_name` (a name and "
                  "version of its msgpack layout, e.g. \"Reading/2\")");
  }
}

// The base of a schema struct: see the top of this file.
class INFINITREE_EXPORT Schema {
 public:
  // The value field holding the record.
  static constexpr std::string_view kRecordField = "infinitree.schema";

  const std::string& schema_name() const { return name_; }
  uint32_t schema_version() const { return version_; }

  // The record stored in a version, if any.
  static std::optional<SchemaRecord> stored(TreeView& view);
  // Removes the record from the working state (persisted by the next commit), so that the
  // next declaration records itself: the last step of a migration that rewrote the data for
  // a new version. True if there was one. Data fields are untouched.
  static bool forget(Tree& tree);

 protected:
  // The working state: the declaration is recorded if the tree has no record.
  Schema(Tree& tree, std::string name, uint32_t version);
  // Any version (a checkout): checked only; a version without a record is not_found.
  Schema(TreeView& view, std::string name, uint32_t version);
  Schema(const Schema&) = default;
  Schema& operator=(const Schema&) = default;
  ~Schema() = default;

  template <typename K, typename V>
  VersionedMap<K, V> map(std::string_view field) {
    declare(field, FieldType::map, "map<" + schema_type_name<K>() + "," + schema_type_name<V>() + ">");
    return VersionedMap<K, V>(view_->map(field));
  }
  template <typename K>
  TypedSet<K> set(std::string_view field) {
    declare(field, FieldType::set, "set<" + schema_type_name<K>() + ">");
    return TypedSet<K>(view_->set(field));
  }
  template <typename T>
  TypedList<T> list(std::string_view field) {
    declare(field, FieldType::list, "list<" + schema_type_name<T>() + ">");
    return TypedList<T>(view_->list(field));
  }
  template <typename T>
  TypedValue<T> value(std::string_view field) {
    declare(field, FieldType::value, "value<" + schema_type_name<T>() + ">");
    return TypedValue<T>(view_->value(field));
  }
  // Call at the end of the derived constructor: a recorded field the declaration lacks is
  // invalid_argument.
  void finish();

 private:
  Schema(TreeView& view, Tree* writable, std::string name, uint32_t version);
  // Checks one field against the record (and the tree's field types), or adds it to the
  // record being written.
  void declare(std::string_view field, FieldType kind, const std::string& type);

  TreeView* view_;
  Tree* writable_;  // null for a checkout
  std::string name_;
  uint32_t version_;
  std::optional<SchemaRecord> stored_;  // the record found when opening
  SchemaRecord declared_;               // the fields declared so far
};

}  // namespace infinitree
