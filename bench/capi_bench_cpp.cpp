// The work of capi_bench.c done through the C++ API directly, so the two outputs side by
// side give the C ABI's per-call overhead: capi_bench_cpp [N] [--dir PATH]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "infinitree/tree.hpp"

using namespace infinitree;

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void report(const char* phase, double s, uint64_t ops) {
  std::printf("%-28s %10.3f s %10.1f ns/op %12.0f ops/s\n", phase, s, s * 1e9 / double(ops),
              double(ops) / s);
}
std::string make_key(uint64_t i) {
  std::string k(8, '\0');
  for (int b = 0; b < 8; ++b) k[b] = static_cast<char>(i >> (8 * (7 - b)));
  return k;
}
}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 1000000;
  const char* dir = nullptr;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--dir") == 0 && a + 1 < argc) dir = argv[++a];
    else n = std::strtoull(argv[a], nullptr, 10);
  }
  if (n == 0) n = 1;
  std::printf("libinfinitree C++ API, %llu entries, %s backend\n", (unsigned long long)n,
              dir ? "directory" : "memory");
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  auto tree = Tree::create(dir ? make_directory_backend(dir) : make_memory_backend(), "bench",
                           "bench", o);
  Map m = tree->map("m");
  std::string value(16, 'v');
  uint64_t found = 0, steps = 0;

  double t0 = now_s();
  for (uint64_t i = 0; i < n; ++i) {
    std::memcpy(value.data(), &i, sizeof i);
    m.put(make_key(i), value);
  }
  report("put (sequential keys)", now_s() - t0, n);
  t0 = now_s();
  tree->commit("bench");
  std::printf("%-28s %10.3f s\n", "commit", now_s() - t0);

  t0 = now_s();
  for (uint64_t i = 0; i < n; ++i) found += m.get(make_key(i))->size() == value.size();
  report("get (sequential)", now_s() - t0, n);

  std::vector<uint64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  uint64_t s = 88172645463325252ull;
  for (uint64_t i = n - 1; i > 0; --i) {  // the same shuffle as capi_bench.c
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    std::swap(order[i], order[s % (i + 1)]);
  }
  t0 = now_s();
  for (uint64_t i = 0; i < n; ++i) found += m.get(make_key(order[i]))->size() == value.size();
  report("get (shuffled)", now_s() - t0, n);

  t0 = now_s();
  for (uint64_t i = 0; i < n; ++i) {
    std::string k = make_key(i);
    k[0] = static_cast<char>(k[0] ^ 0x80);
    found += m.contains(k);
  }
  report("contains (absent)", now_s() - t0, n);

  t0 = now_s();
  for (Cursor c = m.cursor(); c.valid(); c.next()) {
    std::string k = c.key(), v = c.value();
    steps += !k.empty() && !v.empty();
  }
  report("cursor entry+next", now_s() - t0, steps);
  if (found != 2 * n || steps != n) {
    std::fprintf(stderr, "wrong results\n");
    return 1;
  }
  return 0;
}
