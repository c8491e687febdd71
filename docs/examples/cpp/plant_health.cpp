// The C++ guide's example (docs/guide-cpp.md): plant-health measurements in a tree.
// Built by the project (target example_plant_health) and run by the tests.
#include <infinitree/tree.hpp>
#include <infinitree/typed.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

struct Measurement {
  std::string plant;
  double moisture = 0;      // volumetric water content, 0..1
  double leaf_temp_c = 0;
  std::string note;
  MSGPACK_DEFINE(plant, moisture, leaf_temp_c, note);
};

int main(int argc, char** argv) {
  using namespace infinitree;
  std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "plant-health";
  std::filesystem::remove_all(dir);

  OpenOptions options;
  options.kdf = KdfParams::insecure_fast();  // examples only: use the defaults for real data

  CommitId first;
  {
    auto tree = Tree::create(make_directory_backend(dir), "gardener", "correct horse", options);
    VersionedMap<uint64_t, Measurement> readings(tree->map("readings"));
    readings.put(1, {"fern", 0.41, 21.5, "morning"});
    readings.put(2, {"cactus", 0.05, 27.0, "dry"});
    readings.put(3, {"basil", 0.33, 22.1, ""});
    first = tree->commit("first measurements")->id;

    // The schema evolves: rename the field, add a reading, commit again.
    tree->rename_field("readings", "measurements");
    VersionedMap<uint64_t, Measurement> measurements(tree->map("measurements"));
    measurements.put(4, {"fern", 0.38, 22.0, "afternoon"});
    tree->commit("rename readings to measurements");
  }

  // Reopen and query without loading the whole map.
  auto tree = Tree::open(make_directory_backend(dir), "gardener", "correct horse", options);
  VersionedMap<uint64_t, Measurement> measurements(tree->map("measurements"));
  auto dry = measurements.select([](const uint64_t&, const Measurement& m) { return m.moisture < 0.1; });
  std::printf("%zu dry plant(s): %s\n", dry.size(), dry.at(0).second.plant.c_str());

  // Read the older commit: the field still has its old name there.
  auto old = tree->checkout(first);
  VersionedMap<uint64_t, Measurement> old_readings(old->map("readings"));
  std::printf("commit %s had %llu readings; now %llu measurements\n", first.substr(0, 8).c_str(),
              static_cast<unsigned long long>(old_readings.size()),
              static_cast<unsigned long long>(measurements.size()));
  for (const auto& c : tree->log()) std::printf("%s %s\n", c.id.substr(0, 8).c_str(), c.message.c_str());

  bool ok = dry.size() == 1 && old_readings.size() == 3 && measurements.size() == 4 &&
            !old->has_field("measurements") && tree->log().size() == 2;
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
