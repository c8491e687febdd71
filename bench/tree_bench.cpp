// Issue 4's benchmark, on a directory store:
//  1. a commit of 100 k map changes: time and bytes written;
//  2. open a tree with C commits (default 1,000) and an N-entry map (default 10 M), then look
//     up one key: time to the first answer, next to the same for a tree with one commit.
// The Argon2id cost is reported separately (it is the same for any tree).
//
//   tree_bench [--keys N] [--commits C] [--changes K] [--dir PATH]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "bench_keys.hpp"
#include "crypto/kdf.hpp"
#include "infinitree/tree.hpp"

using namespace infinitree;
using infinitree::bench::key_of;
using infinitree::bench::value_of;
using Clock = std::chrono::steady_clock;

namespace {
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}
uint64_t dir_bytes(const std::filesystem::path& p) {
  uint64_t n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(p))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

// Opens the tree cold (new backend, empty node cache) and looks up one key.
double open_and_lookup_ms(const std::filesystem::path& dir, uint64_t keys) {
  auto t0 = Clock::now();
  auto t = Tree::open(make_directory_backend(dir), "bench", "bench", [] { auto o = fast(); o.read_only = true; return o; }());
  auto v = t->map("m").get(key_of(keys / 3));
  double ms = ms_since(t0);
  if (!v || *v != value_of(keys / 3)) {
    std::fprintf(stderr, "lookup returned the wrong value\n");
    std::exit(1);
  }
  return ms;
}
}  // namespace

int main(int argc, char** argv) {
  uint64_t keys = 10'000'000, commits = 1000, changes = 100'000;
  std::filesystem::path base = std::filesystem::temp_directory_path() / "infinitree-tree-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--keys")) keys = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--commits")) commits = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--changes")) changes = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dir")) base = argv[i + 1];
  }
  std::filesystem::remove_all(base);
  auto dir = base / "store";

  // Argon2id at the default costs: part of every open, independent of the tree.
  auto ta = Clock::now();
  crypto::derive_credentials("bench", as_bytes("bench"), crypto::Argon2Params::defaults());
  double argon_ms = ms_since(ta);

  std::printf("tree_bench: %llu keys (16 B) x 100 B values, %llu commits, directory store\n",
              static_cast<unsigned long long>(keys), static_cast<unsigned long long>(commits));
  {
    auto t = Tree::create(make_directory_backend(dir), "bench", "bench", fast());
    auto m = t->map("m");
    auto t0 = Clock::now();
    for (uint64_t i = 0; i < keys; ++i) m.put(key_of(i), value_of(i));
    double put_ms = ms_since(t0);
    auto t1 = Clock::now();
    t->commit("load");
    double commit_ms = ms_since(t1);
    std::printf("load: %.0f ms of puts (%.2f M/s), commit %.0f ms, store %.1f MiB\n", put_ms,
                keys / put_ms / 1000.0, commit_ms, dir_bytes(dir) / 1048576.0);
  }
  double one_commit_ms = open_and_lookup_ms(dir, keys);

  {
    auto t = Tree::open(make_directory_backend(dir), "bench", "bench", fast());
    auto m = t->map("m");
    std::mt19937_64 rng(7);
    auto before = t->stats();
    uint64_t disk_before = dir_bytes(dir);
    auto t0 = Clock::now();
    for (uint64_t i = 0; i < changes; ++i) m.put(key_of(rng() % keys), value_of(rng()));
    double put_ms = ms_since(t0);
    auto t1 = Clock::now();
    t->commit("changes");
    double commit_ms = ms_since(t1);
    auto after = t->stats();
    std::printf("commit of %llu random changes: puts %.0f ms, commit %.0f ms, %.1f MiB of new chunks "
                "(%.0f B per change), store grew %.1f MiB\n",
                static_cast<unsigned long long>(changes), put_ms, commit_ms,
                (after.bytes_written - before.bytes_written) / 1048576.0,
                double(after.bytes_written - before.bytes_written) / double(changes),
                (dir_bytes(dir) - disk_before) / 1048576.0);
    auto t2 = Clock::now();
    for (uint64_t c = 2; c < commits; ++c) {
      m.put(key_of(rng() % keys), value_of(c));
      t->commit("commit " + std::to_string(c));
    }
    std::printf("%llu more small commits: %.1f ms each, store now %.1f MiB\n",
                static_cast<unsigned long long>(commits - 2), ms_since(t2) / double(commits > 2 ? commits - 2 : 1),
                dir_bytes(dir) / 1048576.0);
  }
  double many_commits_ms = open_and_lookup_ms(dir, keys);
  std::printf("open + first lookup, cold, without Argon2: 1 commit %.1f ms, %llu commits %.1f ms (ratio %.2f)\n",
              one_commit_ms, static_cast<unsigned long long>(commits), many_commits_ms,
              many_commits_ms / one_commit_ms);
  std::printf("Argon2id at the default costs (64 MiB, t=3, p=4) adds %.0f ms to every open\n", argon_ms);
  std::filesystem::remove_all(base);
  return 0;
}
