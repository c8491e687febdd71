// B-tree benchmark against LMDB and SQLite on the same data (issue 3):
//   btree_bench [N] [--dir PATH] [--only-infinitree]
//                                     N keys (default 10,000,000), 16 random bytes each,
//                                     values of 100 random bytes, inserted in random order.
// Every engine writes durably to a folder under PATH (default: a temp folder, removed at
// the end): infinitree through the directory backend (objects fsynced), LMDB and SQLite
// with their default durable commits. Prints keys/s for insert+flush, warm random lookups
// on 1 and 2 threads, cold-lookup chunk reads against the depth, and the new chunk bytes
// written per changed key when 1,000 random keys change.
#include <lmdb.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "btree/btree.hpp"
#include "crypto/kdf.hpp"
#include "crypto/secret.hpp"
#include "infinitree/backend.hpp"
#include "object/chunk_store.hpp"

using namespace infinitree;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kKey = 16;
constexpr size_t kValue = 100;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds: the machine may be shared, so every figure is also given per CPU-second
// (work done divided by CPU time actually received), which does not depend on load.
double cpu_now(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double process_cpu() { return cpu_now(CLOCK_PROCESS_CPUTIME_ID); }

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Keys are stored packed (N * 16 bytes); values are derived from the key index and a
// generation so no engine needs them all in memory.
struct Data {
  size_t n;
  std::vector<char> keys;
  explicit Data(size_t count) : n(count), keys(count * kKey) {
    uint64_t s = 42;
    for (size_t i = 0; i < count; ++i) {
      uint64_t a = splitmix(s), b = splitmix(s);
      std::memcpy(&keys[i * kKey], &a, 8);
      std::memcpy(&keys[i * kKey + 8], &b, 8);
    }
  }
  std::string_view key(size_t i) const { return {&keys[i * kKey], kKey}; }
  void value(size_t i, uint64_t gen, char* out) const {
    uint64_t s = i * 0x100000001b3ull + gen;
    for (size_t o = 0; o < kValue; o += 8) {
      uint64_t r = splitmix(s);
      std::memcpy(out + o, &r, std::min<size_t>(8, kValue - o));
    }
  }
};

void die(const char* what, int rc) {
  std::fprintf(stderr, "%s failed: %d\n", what, rc);
  std::exit(1);
}

struct Rate {
  double wall = 0;  // ops per wall-clock second
  double cpu = 0;   // ops per CPU-second (per thread-CPU-second of the slowest thread)
};

// Runs fn(thread, begin, end) on `threads` threads over [0, total).
Rate parallel_rate(size_t total, int threads, const std::function<void(int, size_t, size_t)>& fn) {
  auto t0 = Clock::now();
  std::vector<double> cpu(static_cast<size_t>(threads));
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      double c0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
      fn(t, total * static_cast<size_t>(t) / static_cast<size_t>(threads),
         total * static_cast<size_t>(t + 1) / static_cast<size_t>(threads));
      cpu[static_cast<size_t>(t)] = cpu_now(CLOCK_THREAD_CPUTIME_ID) - c0;
    });
  for (auto& t : ts) t.join();
  double wall = seconds_since(t0);
  double slowest = *std::max_element(cpu.begin(), cpu.end());
  return {static_cast<double>(total) / wall, static_cast<double>(total) / slowest};
}

struct Results {
  Rate insert, get1, get2;
};

}  // namespace

int main(int argc, char** argv) {
  size_t n = 10'000'000;
  std::filesystem::path base;
  bool only_infinitree = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc)
      base = argv[++i];
    else if (a == "--only-infinitree")
      only_infinitree = true;
    else
      n = std::stoull(a);
  }
  bool remove_base = base.empty();
  if (base.empty()) base = std::filesystem::temp_directory_path() / ("btree_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(base);
  std::printf("btree_bench: %zu keys of %zu bytes, values of %zu bytes, random order, in %s\n", n, kKey, kValue,
              base.c_str());
  Data data(n);
  size_t lookups = std::min<size_t>(n, 2'000'000);
  std::vector<uint32_t> probe(lookups);
  {
    std::mt19937_64 rng(7);
    for (auto& p : probe) p = static_cast<uint32_t>(rng() % n);
  }

  // ------------------------------------------------------------------ infinitree
  Results it;
  uint32_t depth = 0;
  double cold_reads_max = 0, cold_reads_avg = 0;
  double bytes_per_change = 0, chunks_per_change = 0;
  {
    auto backend = make_directory_backend(base / "infinitree");
    auto keys = crypto::KeyRing::from_master(crypto::SecretKey::random());
    auto store = std::make_shared<ChunkStore>(backend, keys);
    auto cache = std::make_shared<btree::NodeCache>(size_t{8} << 30);
    btree::BTreeOptions opt;
    std::optional<ChunkPointer> root;
    char v[kValue];
    auto t0 = Clock::now();
    double c0 = process_cpu();
    {
      btree::BTree t(store, cache, std::nullopt, opt);
      for (size_t i = 0; i < n; ++i) {
        data.value(i, 0, v);
        t.put(data.key(i), std::string_view(v, kValue));
      }
      double mem = seconds_since(t0);
      root = t.flush();
      double tree_flush = seconds_since(t0) - mem;
      store->flush();
      it.insert = {static_cast<double>(n) / seconds_since(t0), static_cast<double>(n) / (process_cpu() - c0)};
      depth = t.depth();
      auto st = store->stats();
      std::printf("infinitree: insert %.2fs in memory + %.2fs tree flush + %.2fs store flush; %llu chunks, "
                  "%.1f MiB stored, depth %u\n",
                  mem, tree_flush, seconds_since(t0) - mem - tree_flush,
                  static_cast<unsigned long long>(st.chunks_written),
                  static_cast<double>(st.stored_bytes_written) / 1048576.0, depth);
    }
    // Warm lookups: one snapshot per thread over the shared cache, warmed by the flush.
    for (int threads : {1, 2}) {
      std::vector<std::unique_ptr<btree::BTree>> snaps;
      for (int t = 0; t < threads; ++t) snaps.push_back(std::make_unique<btree::BTree>(store, cache, root, opt));
      std::atomic<size_t> misses{0};
      Rate rate = parallel_rate(lookups, threads, [&](int t, size_t b, size_t e) {
        size_t m = 0;
        for (size_t i = b; i < e; ++i)
          if (!snaps[t]->contains(data.key(probe[i]))) ++m;
        misses += m;
      });
      if (misses) std::printf("infinitree: %zu lookups missed!\n", misses.load());
      (threads == 1 ? it.get1 : it.get2) = rate;
    }
    auto cs = cache->stats();
    std::printf("infinitree: node cache %.1f MiB, %llu nodes, hits %llu, misses %llu\n",
                static_cast<double>(cs.bytes) / 1048576.0, static_cast<unsigned long long>(cs.nodes),
                static_cast<unsigned long long>(cs.hits), static_cast<unsigned long long>(cs.misses));
    // Cold lookups: a fresh store (empty object cache) and an empty node cache each time.
    {
      const int trials = 20;
      uint64_t total = 0, worst = 0;
      for (int trial = 0; trial < trials; ++trial) {
        auto cold_store = std::make_shared<ChunkStore>(backend, keys);
        btree::BTree t(cold_store, std::make_shared<btree::NodeCache>(64 << 20), root, opt);
        uint64_t r0 = cold_store->stats().chunks_read;
        if (!t.get(data.key(probe[static_cast<size_t>(trial) % lookups]))) std::printf("cold lookup missed!\n");
        uint64_t reads = cold_store->stats().chunks_read - r0;
        total += reads;
        worst = std::max(worst, reads);
      }
      cold_reads_max = static_cast<double>(worst);
      cold_reads_avg = static_cast<double>(total) / trials;
    }
    // 1,000 random changes, then flush: new chunk bytes per changed key.
    {
      btree::BTree t(store, cache, root, opt);
      std::mt19937_64 rng(1234);
      const size_t changes = std::min<size_t>(1000, n);
      for (size_t c = 0; c < changes; ++c) {
        size_t i = rng() % n;
        data.value(i, 1, v);
        t.put(data.key(i), std::string_view(v, kValue));
      }
      auto s0 = store->stats();
      t.flush();
      auto s1 = store->stats();
      bytes_per_change = static_cast<double>(s1.stored_bytes_written - s0.stored_bytes_written) / changes;
      chunks_per_change = static_cast<double>(s1.chunks_written - s0.chunks_written) / changes;
    }
  }

  // ------------------------------------------------------------------ LMDB
  Results lm;
  if (!only_infinitree) {
    std::filesystem::path dir = base / "lmdb";
    std::filesystem::create_directories(dir);
    MDB_env* env;
    int rc;
    if ((rc = mdb_env_create(&env))) die("mdb_env_create", rc);
    mdb_env_set_mapsize(env, size_t{64} << 30);
    if ((rc = mdb_env_open(env, dir.c_str(), MDB_NORDAHEAD, 0644))) die("mdb_env_open", rc);
    MDB_dbi dbi;
    char v[kValue];
    auto t0 = Clock::now();
    double c0 = process_cpu();
    MDB_txn* txn;
    if ((rc = mdb_txn_begin(env, nullptr, 0, &txn))) die("mdb_txn_begin", rc);
    if ((rc = mdb_dbi_open(txn, nullptr, 0, &dbi))) die("mdb_dbi_open", rc);
    for (size_t i = 0; i < n; ++i) {
      data.value(i, 0, v);
      MDB_val k{kKey, const_cast<char*>(data.key(i).data())}, d{kValue, v};
      if ((rc = mdb_put(txn, dbi, &k, &d, 0))) die("mdb_put", rc);
    }
    if ((rc = mdb_txn_commit(txn))) die("mdb_txn_commit", rc);
    lm.insert = {static_cast<double>(n) / seconds_since(t0), static_cast<double>(n) / (process_cpu() - c0)};
    for (int threads : {1, 2}) {
      Rate rate = parallel_rate(lookups, threads, [&](int, size_t b, size_t e) {
        MDB_txn* r;
        if (mdb_txn_begin(env, nullptr, MDB_RDONLY, &r)) die("mdb_txn_begin(ro)", 0);
        for (size_t i = b; i < e; ++i) {
          MDB_val k{kKey, const_cast<char*>(data.key(probe[i]).data())}, d;
          if (mdb_get(r, dbi, &k, &d)) die("mdb_get", 0);
        }
        mdb_txn_abort(r);
      });
      (threads == 1 ? lm.get1 : lm.get2) = rate;
    }
    mdb_env_close(env);
  }

  // ------------------------------------------------------------------ SQLite
  Results sq;
  if (!only_infinitree) {
    std::filesystem::path file = base / "sqlite.db";
    auto open = [&](sqlite3** db) {
      if (sqlite3_open_v2(file.c_str(), db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                          nullptr) != SQLITE_OK)
        die("sqlite3_open", 0);
      sqlite3_exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000000;",
                   nullptr, nullptr, nullptr);
    };
    sqlite3* db;
    open(&db);
    sqlite3_exec(db, "CREATE TABLE kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID;", nullptr, nullptr, nullptr);
    char v[kValue];
    auto t0 = Clock::now();
    double c0 = process_cpu();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* ins;
    sqlite3_prepare_v2(db, "INSERT INTO kv(k, v) VALUES(?, ?)", -1, &ins, nullptr);
    for (size_t i = 0; i < n; ++i) {
      data.value(i, 0, v);
      sqlite3_bind_blob(ins, 1, data.key(i).data(), kKey, SQLITE_STATIC);
      sqlite3_bind_blob(ins, 2, v, kValue, SQLITE_STATIC);
      if (sqlite3_step(ins) != SQLITE_DONE) die("sqlite insert", 0);
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) die("sqlite commit", 0);
    sq.insert = {static_cast<double>(n) / seconds_since(t0), static_cast<double>(n) / (process_cpu() - c0)};
    for (int threads : {1, 2}) {
      std::vector<sqlite3*> conns(static_cast<size_t>(threads));
      for (auto& c : conns) open(&c);
      // Warm each connection's page cache first, as the other engines are warm.
      for (auto* c : conns) sqlite3_exec(c, "SELECT count(v) FROM kv", nullptr, nullptr, nullptr);
      Rate rate = parallel_rate(lookups, threads, [&](int t, size_t b, size_t e) {
        sqlite3_stmt* q;
        sqlite3_prepare_v2(conns[static_cast<size_t>(t)], "SELECT v FROM kv WHERE k = ?", -1, &q, nullptr);
        for (size_t i = b; i < e; ++i) {
          sqlite3_bind_blob(q, 1, data.key(probe[i]).data(), kKey, SQLITE_STATIC);
          if (sqlite3_step(q) != SQLITE_ROW) die("sqlite select", 0);
          sqlite3_reset(q);
        }
        sqlite3_finalize(q);
      });
      for (auto* c : conns) sqlite3_close(c);
      (threads == 1 ? sq.get1 : sq.get2) = rate;
    }
    sqlite3_close(db);
  }

  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  auto row = [](const char* name, const Rate& a, const Rate& b, const Rate& c) {
    std::printf("%-27s %12.0f %12.0f %12.0f   %12.0f %12.0f %12.0f\n", name, a.wall, b.wall, c.wall, a.cpu, b.cpu,
                c.cpu);
  };
  std::printf("\n%-27s %12s %12s %12s   %12s %12s %12s\n", "", "infinitree", "LMDB", "SQLite", "infinitree",
              "LMDB", "SQLite");
  std::printf("%-27s %38s   %38s\n", "", "---------- per wall second ----------", "---------- per CPU second -----------");
  row("insert+flush keys", it.insert, lm.insert, sq.insert);
  row("warm lookups, 1 thread", it.get1, lm.get1, sq.get1);
  row("warm lookups, 2 threads", it.get2, lm.get2, sq.get2);
  std::printf("\nratios infinitree/LMDB   (wall | cpu): insert %.2fx | %.2fx, lookups 1T %.2fx | %.2fx, 2T %.2fx | %.2fx\n",
              ratio(it.insert.wall, lm.insert.wall), ratio(it.insert.cpu, lm.insert.cpu),
              ratio(it.get1.wall, lm.get1.wall), ratio(it.get1.cpu, lm.get1.cpu), ratio(it.get2.wall, lm.get2.wall),
              ratio(it.get2.cpu, lm.get2.cpu));
  std::printf("ratios infinitree/SQLite (wall | cpu): insert %.2fx | %.2fx, lookups 1T %.2fx | %.2fx, 2T %.2fx | %.2fx\n",
              ratio(it.insert.wall, sq.insert.wall), ratio(it.insert.cpu, sq.insert.cpu),
              ratio(it.get1.wall, sq.get1.wall), ratio(it.get1.cpu, sq.get1.cpu), ratio(it.get2.wall, sq.get2.wall),
              ratio(it.get2.cpu, sq.get2.cpu));
  std::printf("infinitree 2-thread lookup scaling (wall): %.2fx; load average at the end: ",
              ratio(it.get2.wall, it.get1.wall));
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    char buf[64] = {0};
    if (std::fgets(buf, sizeof buf, f)) std::printf("%s", buf);
    std::fclose(f);
  } else {
    std::printf("?\n");
  }
  std::printf("cold lookup: %.1f chunk reads on average, %.0f at most; depth %u (limit depth+1 = %u)\n",
              cold_reads_avg, cold_reads_max, depth, depth + 1);
  std::printf("flush after 1,000 random changes: %.0f new chunk bytes per changed key (%.2f chunks per key)\n",
              bytes_per_change, chunks_per_change);
  if (remove_base) std::filesystem::remove_all(base);
  return 0;
}
