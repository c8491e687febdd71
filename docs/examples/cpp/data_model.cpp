// The examples of docs/data-model.md in C++, built as example_data_model and run by ctest:
// a tuple space with a descending time component, a subspace cursor and a subspace delete,
// then the plant-health fields as a typed schema.
#include <chrono>
#include <cstdio>
#include <tuple>

#include "infinitree/key_codec.hpp"
#include "infinitree/schema.hpp"
#include "infinitree/tree.hpp"
#include "infinitree/tuple_space.hpp"

using namespace infinitree;
using namespace std::chrono;

struct Measurement {
  std::string plant;
  double moisture = 0;
  MSGPACK_DEFINE(plant, moisture);
  static constexpr std::string_view schema_name = "Measurement/1";  // names its msgpack layout
};
struct Garden : Schema {
  template <typename T>  // Tree& (working state) or TreeView& (a checkout)
  explicit Garden(T& t)
      : Schema(t, "garden", 1),
        readings(map<uint64_t, Measurement>("readings")),
        plants(set<std::string>("plants")) {
    finish();
  }
  VersionedMap<uint64_t, Measurement> readings;
  TypedSet<std::string> plants;
};

// The same fields with another layout of the values: a program built with it must not read
// the tree's Measurement/1 values.
struct Measurement2 {
  std::string plant;
  double moisture = 0;
  double light = 0;
  MSGPACK_DEFINE(plant, moisture, light);
  static constexpr std::string_view schema_name = "Measurement/2";
};
struct Garden2 : Schema {
  explicit Garden2(Tree& t)
      : Schema(t, "garden", 1), readings(map<uint64_t, Measurement2>("readings")) { finish(); }
  VersionedMap<uint64_t, Measurement2> readings;
};

int schema_example(Tree& tree) {
  Garden g(tree);  // records the schema on a tree without one (persisted by the next commit)
  g.readings.put(1, {"fern", 0.41});
  g.plants.insert("fern");
  tree.commit("garden");
  auto head = tree.checkout("HEAD");
  Garden at(*head);  // a checkout is checked, never written
  if (!at.readings.get(1) || at.readings.get(1)->plant != "fern") {
    std::fprintf(stderr, "the schema's map lost its value\n");
    return 1;
  }
  try {
    Garden2 other(tree);
    std::fprintf(stderr, "other value types were accepted\n");
    return 1;
  } catch (const Error& e) {
    // "schema 'garden': field 'readings' is stored as map<uint,Measurement/1>, declared as
    // map<uint,Measurement/2>"
    if (e.code() != Errc::invalid_argument) return 1;
  }
  return 0;
}

int main() {
  OpenOptions options;
  options.kdf = KdfParams::insecure_fast();
  auto tree = Tree::create(make_memory_backend(), "doc", "pw", options);
  Map events = tree->map("events");

  // ("user", desc(time), seq): each user's events, newest first.
  sys_time<seconds> t0{seconds(1714521600)};  // 2024-05-01T00:00:00Z
  for (int i = 0; i < 5; ++i)
    for (const char* user : {"ann", "bob"})
      events.put(keys::encode(std::tuple{std::string(user), keys::desc(t0 + hours(i)), i}), "login");

  Cursor c = subspace_cursor(events, keys::encode(std::string("bob")));
  keys::Decoded newest = keys::decode(c.key());
  if (std::get<int64_t>(newest.parts[1]) != duration_cast<microseconds>((t0 + hours(4)).time_since_epoch()).count() ||
      !newest.descending[1]) {
    std::fprintf(stderr, "the newest event is not first\n");
    return 1;
  }
  tree->commit("events");

  std::string ann = keys::encode(std::string("ann"));
  if (count_subspace(events, ann) != 5 || erase_subspace(events, ann) != 5 ||
      count_subspace(events, ann) != 0 || events.size() != 5) {
    std::fprintf(stderr, "subspace delete went wrong\n");
    return 1;
  }
  if (schema_example(*tree) != 0) return 1;
  std::printf("data model example: ok\n");
  return 0;
}
