// The C++ side of the typed-schema chain of tests/cross/run.sh (docs/data-model.md, "Typed
// schema"): C++ writes a tree through a schema, Python (schema_step.py) and Go (go/schema.go)
// open it through their own declarations of the same schema and add to it, and C++ checks
// what they wrote.
//   cross_schema write DIR    creates the tree: plant ("fern", 3), tag green, log "sown"
//   cross_schema check DIR    checks every language's additions; PASS/FAIL lines
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "infinitree/backend.hpp"
#include "infinitree/schema.hpp"
#include "infinitree/tree.hpp"

using namespace infinitree;

namespace {

// The Nursery of tests/datamodel/schema_test.cpp, bindings/python/tests/test_schema.py and
// bindings/go/schema_test.go.
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
  bool operator==(const Plant&) const = default;
};

using Key = std::tuple<std::string, int64_t>;

struct Nursery : Schema {
  explicit Nursery(Tree& t)
      : Schema(t, "nursery", 2),
        plants(map<Key, Plant>("plants")),
        tags(set<std::string>("tags")),
        log(list<std::string>("log")),
        config(value<std::map<std::string, double>>("config")) {
    finish();
  }
  VersionedMap<Key, Plant> plants;
  TypedSet<std::string> tags;
  TypedList<std::string> log;
  TypedValue<std::map<std::string, double>> config;
};

const char* kUser = "cross";
const char* kPassword = "pw-\xc3\xbc";

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

int failures = 0;
void result(bool ok, const std::string& what) {
  std::printf("%s c++: %s\n", ok ? "PASS" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cross_schema write|check DIR\n");
    return 2;
  }
  std::string mode = argv[1];
  try {
    if (mode == "write") {
      auto tree = Tree::create(make_directory_backend(argv[2]), kUser, kPassword, fast());
      Nursery n(*tree);
      n.plants.put({"fern", 3}, {"fern", 0.5, -3, {"shade", "wet"}, std::nullopt, {{"a", 1.0}, {"b", 2.5}}, true});
      n.tags.insert("green");
      n.log.push_back("sown");
      n.config.set({{"dry_below", 0.25}});
      tree->commit("c++");
      return 0;
    }
    if (mode != "check") return 2;
    auto tree = Tree::open(make_directory_backend(argv[2]), kUser, kPassword, fast());
    Nursery n(*tree);
    result(n.plants.get({"fern", 3}) ==
               Plant{"fern", 0.5, -3, {"shade", "wet"}, std::nullopt, {{"a", 1.0}, {"b", 2.5}}, true},
           "its own plant");
    result(n.plants.get({"moss", 7}) == Plant{"moss", 1.0, 9007199254740993, {}, 5, {{"x", 0.125}}, false},
           "the plant Python wrote");
    result(n.plants.get({"ivy", -1}) == Plant{"ivy", -0.75, -9223372036854775807 - 1, {"go"}, 1, {}, true},
           "the plant Go wrote");
    result(n.tags.contains("green") && n.tags.contains("py") && n.tags.contains("go") && n.tags.size() == 3,
           "tags of all three");
    std::vector<std::string> log;
    n.log.for_each([&](uint64_t, const std::string& s) {
      log.push_back(s);
      return true;
    });
    result(log == std::vector<std::string>{"sown", "py", "go"}, "the log of all three");
    result(n.config.get() == std::map<std::string, double>{{"dry_below", 0.25}, {"py", 2}, {"go", 0.5}},
           "config as Go left it");
    result(tree->log().size() == 3, "three commits");
  } catch (const std::exception& e) {
    result(false, std::string("error: ") + e.what());
  }
  return failures ? 1 : 0;
}
