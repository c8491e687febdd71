// Typed schemas: a struct of typed fields opened together, its record in the tree, and the
// errors when a program declares other types, kinds, fields or versions than the stored ones.
#include <gtest/gtest.h>

#include "infinitree/schema.hpp"

using namespace infinitree;

namespace {

struct Reading {
  double moisture = 0;
  std::string note;
  MSGPACK_DEFINE(moisture, note);
  static constexpr std::string_view schema_name = "Reading/1";
};

// The same struct with another layout version.
struct Reading2 {
  double moisture = 0;
  std::string note;
  int64_t light = 0;
  MSGPACK_DEFINE(moisture, note, light);
  static constexpr std::string_view schema_name = "Reading/2";
};

using Key = std::tuple<std::string, int64_t>;

template <typename R = Reading>
struct Garden : Schema {
  // Tree& (the working state, recorded when new) or TreeView& (a checkout, checked only).
  template <typename T>
  explicit Garden(T& t, uint32_t version = 1)
      : Schema(t, "garden", version),
        readings(map<Key, R>("readings")),
        plants(set<std::string>("plants")),
        settings(value<std::map<std::string, double>>("settings")) {
    finish();
  }
  VersionedMap<Key, R> readings;
  TypedSet<std::string> plants;
  TypedValue<std::map<std::string, double>> settings;
};

// Garden without its settings field.
struct SmallGarden : Schema {
  explicit SmallGarden(Tree& t)
      : Schema(t, "garden", 1), readings(map<Key, Reading>("readings")), plants(set<std::string>("plants")) {
    finish();
  }
  VersionedMap<Key, Reading> readings;
  TypedSet<std::string> plants;
};

// Garden with one more field.
struct BigGarden : Garden<> {
  explicit BigGarden(Tree& t) : Garden<>(t), log(list<std::string>("log")) { finish(); }
  TypedList<std::string> log;
};

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

std::unique_ptr<Tree> new_tree() { return Tree::create(make_memory_backend(), "u", "p", fast()); }

template <typename F>
std::string error_of(F&& f, Errc want) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), want) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

}  // namespace

TEST(Schema, TypeNames) {
  EXPECT_EQ(schema_type_name<Key>(), "(str,int)");
  EXPECT_EQ((schema_type_name<std::tuple<std::string, keys::Desc<std::chrono::sys_time<std::chrono::microseconds>>>>()),
            "(str,desc time)");
  EXPECT_EQ(schema_type_name<std::vector<std::optional<uint32_t>>>(), "[uint?]");
  EXPECT_EQ((schema_type_name<std::map<std::string, double>>()), "{str:float}");
  EXPECT_EQ(schema_type_name<bool>(), "bool");
  EXPECT_EQ(schema_type_name<Reading2>(), "Reading/2");
}

TEST(Schema, RecordedOnFirstOpenThenCheckedAndUsable) {
  auto backend = make_memory_backend();
  {
    auto tree = Tree::create(backend, "u", "p", fast());
    Garden<> g(*tree);
    g.readings.put({"fern", 1}, {0.4, "morning"});
    g.plants.insert("fern");
    g.settings.set({{"dry_below", 0.1}});
    tree->commit("first");
    auto rec = Schema::stored(*tree);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->name, "garden");
    EXPECT_EQ(rec->version, 1u);
    std::vector<std::pair<std::string, std::string>> want{
        {"readings", "map<(str,int),Reading/1>"}, {"plants", "set<str>"}, {"settings", "value<{str:float}>"}};
    EXPECT_EQ(rec->fields, want);
  }
  auto tree = Tree::open(backend, "u", "p", fast());
  Garden<> g(*tree);
  auto r = g.readings.get({"fern", 1});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->note, "morning");
  EXPECT_TRUE(g.plants.contains("fern"));
  // A checkout is checked too, and readable through the same struct.
  auto old = tree->checkout("HEAD");
  Garden<> at(*old);
  EXPECT_EQ(at.readings.size(), 1u);
}

TEST(Schema, OtherValueTypeIsAClearError) {
  auto tree = new_tree();
  { Garden<> g(*tree); }
  tree->commit("v1");
  auto msg = error_of([&] { Garden<Reading2> g(*tree); }, Errc::invalid_argument);
  EXPECT_NE(msg.find("field 'readings' is stored as map<(str,int),Reading/1>, declared as map<(str,int),Reading/2>"),
            std::string::npos)
      << msg;
}

TEST(Schema, OtherVersionIsUnsupportedUntilTheRecordIsForgotten) {
  auto tree = new_tree();
  {
    Garden<> g(*tree);
    g.readings.put({"fern", 1}, {0.4, "old"});
  }
  tree->commit("v1");
  auto msg = error_of([&] { Garden<Reading2> g(*tree, 2); }, Errc::unsupported_version);
  EXPECT_NE(msg.find("version 1"), std::string::npos) << msg;
  // A migration: read with the old declaration, rewrite, forget the record, declare the new.
  std::vector<std::pair<Key, Reading>> all;
  {
    Garden<> old(*tree);
    old.readings.for_each([&](const Key& k, const Reading& r) {
      all.emplace_back(k, r);
      return true;
    });
  }
  EXPECT_TRUE(Schema::forget(*tree));
  EXPECT_FALSE(Schema::forget(*tree));
  Garden<Reading2> g(*tree, 2);
  for (auto& [k, r] : all) g.readings.put(k, {r.moisture, r.note, 7});
  tree->commit("v2");
  EXPECT_EQ(Schema::stored(*tree)->version, 2u);
  EXPECT_EQ(g.readings.get({"fern", 1})->light, 7);
  // The checkout of v1 still holds the v1 record.
  auto log = tree->log();
  auto v1 = tree->checkout(log.back().id);
  error_of([&] { Garden<Reading2> at(*v1, 2); }, Errc::unsupported_version);
  Garden<> at(*v1);
  EXPECT_EQ(at.readings.get({"fern", 1})->note, "old");
}

TEST(Schema, MissingAndExtraFieldsAreErrorsAndNothingIsCreated) {
  auto tree = new_tree();
  { Garden<> g(*tree); }
  tree->commit("v1");
  auto msg = error_of([&] { SmallGarden g(*tree); }, Errc::invalid_argument);
  EXPECT_NE(msg.find("stored field 'settings'"), std::string::npos) << msg;
  msg = error_of([&] { BigGarden g(*tree); }, Errc::invalid_argument);
  EXPECT_NE(msg.find("field 'log' (list<str>) is not in the stored schema"), std::string::npos) << msg;
  EXPECT_FALSE(tree->has_field("log"));
}

TEST(Schema, KindOfAnExistingFieldIsChecked) {
  auto tree = new_tree();
  tree->map("plants").put("fern", "x");  // a map, where Garden declares a set
  auto msg = error_of([&] { Garden<> g(*tree); }, Errc::invalid_argument);
  EXPECT_NE(msg.find("field 'plants' is a map in the tree, declared as set<str>"), std::string::npos) << msg;
}

TEST(Schema, ACheckoutWithoutARecordIsNotFound) {
  auto tree = new_tree();
  tree->map("other").put("k", "v");
  tree->commit("before any schema");
  auto before = tree->checkout("HEAD");
  error_of([&] { Garden<> g(*before); }, Errc::not_found);
}

// The stored bytes of a schema, its keys and its values, fixed: the same vectors are checked by
// the Python and Go schema tests (bindings/python/tests/test_schema.py, bindings/go/schema_test.go)
// and, for the value, by tests/capi/test_datamodel.c through it_msgpack_encode. If a change
// here breaks this test, trees written by C++ and by the bindings no longer read each other.
namespace {

struct Plant {
  std::string name;
  double height = 0;
  int64_t leaves = 0;
  std::vector<std::string> tags;
  std::optional<int64_t> sown;
  std::map<std::string, double> notes;
  bool ok = false;
  MSGPACK_DEFINE(name, height, leaves, tags, sown, notes, ok);
  static constexpr std::string_view schema_name = "Plant/1";
};

struct Nursery : Schema {
  explicit Nursery(Tree& t)
      : Schema(t, "nursery", 2),
        plants(map<std::tuple<std::string, int64_t>, Plant>("plants")),
        tags(set<std::string>("tags")),
        log(list<std::string>("log")),
        config(value<std::map<std::string, double>>("config")) {
    finish();
  }
  VersionedMap<std::tuple<std::string, int64_t>, Plant> plants;
  TypedSet<std::string> tags;
  TypedList<std::string> log;
  TypedValue<std::map<std::string, double>> config;
};

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

}  // namespace

TEST(SchemaEncoding, BytesEqualTheBindingsVectors) {
  auto tree = new_tree();
  Nursery n(*tree);
  n.plants.put({"fern", 3}, {"fern", 0.5, -3, {"shade", "wet"}, std::nullopt, {{"a", 1.0}, {"b", 2.5}}, true});
  n.tags.insert("green");
  n.log.push_back("sown");
  n.config.set({{"dry_below", 0.25}});
  std::string key = keys::encode(std::tuple<std::string, int64_t>{"fern", 3});
  EXPECT_EQ(hex(key), "026665726e00140000000000000003");
  EXPECT_EQ(hex(*tree->map("plants").get(key)),
            "97a46665726ecb3fe0000000000000fd92a57368616465a3776574c082a16101a162cb4004000000000000c3");
  EXPECT_EQ(hex(*tree->value(Schema::kRecordField).get()),
            "93a76e757273657279029492a6706c616e7473b66d61703c287374722c696e74292c506c616e742f313e92a474616773a87365743c"
            "7374723e92a36c6f67a96c6973743c7374723e92a6636f6e666967b276616c75653c7b7374723a666c6f61747d3e");
  EXPECT_EQ(hex(*tree->value("config").get()), "81a96472795f62656c6f77cb3fd0000000000000");
  EXPECT_EQ(hex(tree->list("log").at(0)), "a4736f776e");
  EXPECT_TRUE(tree->set("tags").contains(keys::encode(std::string("green"))));
  EXPECT_EQ(hex(keys::encode(std::string("green"))), "02677265656e00");
}
