// Commit write amplification (issue 12), against LMDB in the same run:
//   commit_bench [--keys N] [--changes K] [--commits C] [--dir PATH]
// Both engines load N keys (u64, big-endian, 8 bytes) with 100-byte values in one commit,
// then make C commits of K random changes each (overwrites of existing keys), then reopen
// and look up N random keys. Printed per engine: CPU of the N inserts, per commit the bytes
// written (ours: counted at the backend, whole 4 MiB objects; both: write(2) bytes from
// /proc/self/io) and the time, the store's growth per commit, and the CPU of the lookups
// after reopen; then ours / LMDB ratios. Our tree runs on the directory backend, which
// fsyncs its objects; LMDB runs at its defaults (durable commits).
#include <lmdb.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "crypto/kdf.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/tree.hpp"

using namespace infinitree;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
double thread_cpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
double process_cpu() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
// Bytes this process passed to write(2) and friends so far (wchar of /proc/self/io).
uint64_t write_syscall_bytes() {
  std::ifstream in("/proc/self/io");
  std::string name;
  uint64_t v = 0;
  while (in >> name >> v)
    if (name == "wchar:") return v;
  return 0;
}
uint64_t dir_bytes(const std::filesystem::path& p) {
  uint64_t n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(p))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

std::string key_of(uint64_t i) {
  std::string k(8, '\0');
  for (int b = 0; b < 8; ++b) k[b] = static_cast<char>(i >> (56 - 8 * b));
  return k;
}
// 100 pseudo-random bytes (incompressible, as the anchor's workload), fixed by (i, gen).
std::string value_of(uint64_t i, uint64_t gen) {
  std::string v(104, '\0');
  uint64_t s = i * 0x9E3779B97F4A7C15ull + gen * 0xbf58476d1ce4e5b9ull;
  for (size_t o = 0; o < v.size(); o += 8) {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    std::memcpy(v.data() + o, &z, 8);
  }
  v.resize(100);
  return v;
}

// Counts the bytes of every object written through it (the root object included).
class CountingBackend : public Backend {
 public:
  explicit CountingBackend(std::shared_ptr<Backend> inner) : in_(std::move(inner)) {}
  std::atomic<uint64_t> written{0};
  void write_object(const ObjectId& id, std::span<const uint8_t> data) override {
    written += data.size();
    in_->write_object(id, data);
  }
  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override { return in_->read_object(id); }
  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t o, uint64_t n) override { return in_->read_range(id, o, n); }
  void delete_object(const ObjectId& id) override { in_->delete_object(id); }
  bool has_object(const ObjectId& id) override { return in_->has_object(id); }
  std::vector<ObjectId> list_objects() override { return in_->list_objects(); }
  bool is_empty() override { return in_->is_empty(); }
  void sync() override { in_->sync(); }
  void prefetch(const ObjectId& id) override { in_->prefetch(id); }
  std::unique_ptr<WriterLock> lock_writer(const ObjectId& root) override { return in_->lock_writer(root); }
  std::string object_version(const ObjectId& id) override { return in_->object_version(id); }
  Versioned read_object_versioned(const ObjectId& id) override { return in_->read_object_versioned(id); }
  void invalidate(const ObjectId& id) override { in_->invalidate(id); }
  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                      const std::string& expected) override {
    written += data.size();
    return in_->write_object_if_version(id, data, expected);
  }
  uint64_t remove_stale_temporaries(int64_t ms) override { return in_->remove_stale_temporaries(ms); }
  std::string describe() const override { return in_->describe(); }

 private:
  std::shared_ptr<Backend> in_;
};

struct Figures {
  double insert_cpu = 0, insert_commit_s = 0;
  std::vector<double> commit_s, commit_bytes, commit_wchar, growth;
  double lookup_cpu = 0;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}
double maxof(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

Figures run_ours(const std::filesystem::path& dir, uint64_t n, uint64_t k, uint64_t commits) {
  Figures f;
  auto counting = std::make_shared<CountingBackend>(make_directory_backend(dir));
  {
    auto t = Tree::create(counting, "bench", "bench", fast());
    auto m = t->map("m");
    double c0 = process_cpu();
    for (uint64_t i = 0; i < n; ++i) m.put(key_of(i), value_of(i, 0));
    f.insert_cpu = process_cpu() - c0;
    auto t0 = Clock::now();
    t->commit("load");
    f.insert_commit_s = seconds_since(t0);
    std::mt19937_64 rng(7);
    for (uint64_t c = 1; c <= commits; ++c) {
      for (uint64_t j = 0; j < k; ++j) {
        uint64_t i = rng() % n;
        m.put(key_of(i), value_of(i, c));
      }
      uint64_t b0 = counting->written, w0 = write_syscall_bytes(), d0 = dir_bytes(dir);
      auto t1 = Clock::now();
      t->commit("c" + std::to_string(c));
      f.commit_s.push_back(seconds_since(t1));
      f.commit_bytes.push_back(double(counting->written - b0));
      f.commit_wchar.push_back(double(write_syscall_bytes() - w0));
      f.growth.push_back(double(dir_bytes(dir)) - double(d0));
    }
  }
  auto o = fast();
  o.read_only = true;
  auto t = Tree::open(make_directory_backend(dir), "bench", "bench", o);
  auto m = t->map("m");
  std::mt19937_64 rng(11);
  double c0 = thread_cpu();
  uint64_t found = 0;
  for (uint64_t j = 0; j < n; ++j) found += m.get(key_of(rng() % n)).has_value();
  f.lookup_cpu = thread_cpu() - c0;
  if (found != n) {
    std::fprintf(stderr, "ours: %llu of %llu lookups found nothing\n", (unsigned long long)(n - found),
                 (unsigned long long)n);
    std::exit(1);
  }
  return f;
}

void die(const char* what, int rc) {
  std::fprintf(stderr, "%s: %s\n", what, mdb_strerror(rc));
  std::exit(1);
}

Figures run_lmdb(const std::filesystem::path& dir, uint64_t n, uint64_t k, uint64_t commits) {
  Figures f;
  std::filesystem::create_directories(dir);
  auto open_env = [&](MDB_env** env) {
    int rc;
    if ((rc = mdb_env_create(env))) die("mdb_env_create", rc);
    mdb_env_set_mapsize(*env, size_t{16} << 30);
    if ((rc = mdb_env_open(*env, dir.c_str(), 0, 0644))) die("mdb_env_open", rc);
  };
  MDB_env* env;
  open_env(&env);
  MDB_dbi dbi;
  auto put_all = [&](auto&& body) {
    MDB_txn* txn;
    int rc;
    if ((rc = mdb_txn_begin(env, nullptr, 0, &txn))) die("mdb_txn_begin", rc);
    if ((rc = mdb_dbi_open(txn, nullptr, 0, &dbi))) die("mdb_dbi_open", rc);
    body(txn);
    return txn;
  };
  auto put = [&](MDB_txn* txn, const std::string& key, const std::string& value) {
    MDB_val kv{key.size(), const_cast<char*>(key.data())}, dv{value.size(), const_cast<char*>(value.data())};
    if (int rc = mdb_put(txn, dbi, &kv, &dv, 0)) die("mdb_put", rc);
  };
  {
    double c0 = process_cpu();
    MDB_txn* txn = put_all([&](MDB_txn* t) {
      for (uint64_t i = 0; i < n; ++i) put(t, key_of(i), value_of(i, 0));
    });
    f.insert_cpu = process_cpu() - c0;
    auto t0 = Clock::now();
    if (int rc = mdb_txn_commit(txn)) die("mdb_txn_commit", rc);
    f.insert_commit_s = seconds_since(t0);
  }
  std::mt19937_64 rng(7);
  for (uint64_t c = 1; c <= commits; ++c) {
    MDB_txn* txn = put_all([&](MDB_txn* t) {
      for (uint64_t j = 0; j < k; ++j) {
        uint64_t i = rng() % n;
        put(t, key_of(i), value_of(i, c));
      }
    });
    uint64_t w0 = write_syscall_bytes(), d0 = dir_bytes(dir);
    auto t1 = Clock::now();
    if (int rc = mdb_txn_commit(txn)) die("mdb_txn_commit", rc);
    f.commit_s.push_back(seconds_since(t1));
    double w = double(write_syscall_bytes() - w0);
    f.commit_bytes.push_back(w);
    f.commit_wchar.push_back(w);
    f.growth.push_back(double(dir_bytes(dir)) - double(d0));
  }
  mdb_env_close(env);
  open_env(&env);
  MDB_txn* r;
  if (int rc = mdb_txn_begin(env, nullptr, MDB_RDONLY, &r)) die("mdb_txn_begin(ro)", rc);
  if (int rc = mdb_dbi_open(r, nullptr, 0, &dbi)) die("mdb_dbi_open", rc);
  std::mt19937_64 rng2(11);
  double c0 = thread_cpu();
  for (uint64_t j = 0; j < n; ++j) {
    std::string key = key_of(rng2() % n);
    MDB_val kv{key.size(), key.data()}, dv;
    if (int rc = mdb_get(r, dbi, &kv, &dv)) die("mdb_get", rc);
  }
  f.lookup_cpu = thread_cpu() - c0;
  mdb_txn_abort(r);
  mdb_env_close(env);
  return f;
}

void print(const char* name, const Figures& f) {
  std::printf("%-6s inserts CPU %.2f s (load commit %.2f s) | per commit: written median %.2f MB, mean %.2f MB, "
              "max %.2f MB (write(2) median %.2f MB) | time median %.3f s, mean %.3f s, max %.3f s | growth "
              "mean %.2f MB | lookups after reopen CPU %.2f s\n",
              name, f.insert_cpu, f.insert_commit_s, median(f.commit_bytes) / 1e6, mean(f.commit_bytes) / 1e6,
              maxof(f.commit_bytes) / 1e6, median(f.commit_wchar) / 1e6, median(f.commit_s), mean(f.commit_s),
              maxof(f.commit_s), mean(f.growth) / 1e6, f.lookup_cpu);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 1'000'000, k = 10'000, commits = 20;
  std::filesystem::path base = std::filesystem::temp_directory_path() / "infinitree-commit-bench";
  bool per_commit = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--per-commit") {
      per_commit = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (a == "--keys") n = std::stoull(argv[++i]);
    else if (a == "--changes") k = std::stoull(argv[++i]);
    else if (a == "--commits") commits = std::stoull(argv[++i]);
    else if (a == "--dir") base = argv[++i];
  }
  std::filesystem::remove_all(base);
  std::printf("commit_bench: %llu keys (u64) x 100 B values, %llu commits of %llu random overwrites\n",
              (unsigned long long)n, (unsigned long long)commits, (unsigned long long)k);
  Figures ours = run_ours(base / "ours", n, k, commits);
  Figures lmdb = run_lmdb(base / "lmdb", n, k, commits);
  print("ours", ours);
  print("lmdb", lmdb);
  if (per_commit)
    for (size_t c = 0; c < ours.commit_bytes.size(); ++c)
      std::printf("  commit %zu: ours %.2f MB in %.3f s, store +%.2f MB\n", c + 1, ours.commit_bytes[c] / 1e6,
                  ours.commit_s[c], ours.growth[c] / 1e6);
  std::printf("ratios ours/lmdb: commit bytes (mean) %.2f, commit time (mean) %.2f, growth (mean) %.2f, "
              "inserts CPU %.2f, lookups CPU %.2f\n",
              mean(ours.commit_bytes) / mean(lmdb.commit_bytes), mean(ours.commit_s) / mean(lmdb.commit_s),
              mean(ours.growth) / std::max(1.0, mean(lmdb.growth)), ours.insert_cpu / lmdb.insert_cpu,
              ours.lookup_cpu / lmdb.lookup_cpu);
  std::filesystem::remove_all(base);
  return 0;
}
