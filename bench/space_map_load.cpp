// Helper of bench/space_bench.sh: fills the map field "bench" of an existing directory tree
// (made by `infinitree init --kdf fast`) with N keys of 100-byte values, commits, then
// overwrites every other key with new values and commits again, so about half of the map's
// stored bytes become garbage once the first commit is forgotten. Deterministic: the values
// come from a seeded generator.
//
//   space_map_load --dir PATH --user U --password P [--keys N]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "infinitree/tree.hpp"

using namespace infinitree;

namespace {

std::string key_of(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key%010llu", static_cast<unsigned long long>(i));
  return buf;
}

// 100 bytes of generator output: incompressible, like the folder data beside it.
std::string random_value(std::mt19937_64& rng) {
  std::string v(100, '\0');
  for (size_t i = 0; i < v.size(); i += 8) {
    uint64_t x = rng();
    std::memcpy(v.data() + i, &x, std::min<size_t>(8, v.size() - i));
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, user, password;
  uint64_t keys = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    else if (!std::strcmp(argv[i], "--user")) user = argv[i + 1];
    else if (!std::strcmp(argv[i], "--password")) password = argv[i + 1];
    else if (!std::strcmp(argv[i], "--keys")) keys = std::stoull(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 1;
    }
  }
  if (dir.empty() || user.empty() || password.empty()) {
    std::fprintf(stderr, "usage: space_map_load --dir PATH --user U --password P [--keys N]\n");
    return 1;
  }
  try {
    OpenOptions o;
    o.kdf = KdfParams::insecure_fast();
    auto t0 = std::chrono::steady_clock::now();
    auto tree = Tree::open(make_directory_backend(dir), user, password, o);
    std::mt19937_64 rng(42);
    auto m = tree->map("bench");
    for (uint64_t i = 0; i < keys; ++i) m.put(key_of(i), random_value(rng));
    tree->commit("map: " + std::to_string(keys) + " keys");
    for (uint64_t i = 0; i < keys; i += 2) m.put(key_of(i), random_value(rng));
    tree->commit("map: every other key overwritten");
    tree->close();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("map: %llu keys loaded and half overwritten in %.1f s\n", static_cast<unsigned long long>(keys), s);
  } catch (const Error& e) {
    std::fprintf(stderr, "space_map_load: %s\n", e.what());
    return 1;
  }
  return 0;
}
