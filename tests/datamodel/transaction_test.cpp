// Transactions: several threads run random read-compute-write transactions (retrying on
// conflict); replaying the applied ones serially, in the order apply() numbered them, on a
// std::map model must reproduce every read they made and the final state. A bank-transfer
// run with concurrent commits checks that every commit holds whole transactions only.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "infinitree/key_codec.hpp"
#include "infinitree/transaction.hpp"
#include "test_util.hpp"

using namespace infinitree;
using Model = std::map<std::string, std::map<std::string, std::string>>;

namespace {

OpenOptions small_nodes() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = 256;
  return o;
}

// What a script does, against a transaction or against the model.
struct Ops {
  std::function<std::optional<std::string>(const std::string&, const std::string&)> get;
  std::function<std::vector<std::pair<std::string, std::string>>(const std::string&, const std::string&,
                                                                 const std::string&, size_t)>
      scan;  // at most `limit` entries of [from, to)
  std::function<void(const std::string&, const std::string&, const std::string&)> put;
  std::function<void(const std::string&, const std::string&)> erase;
};

const char* kFields[] = {"f0", "f1", "f2"};
int rng_sleep(uint32_t seed) { return static_cast<int>(seed % 7) * 20; }
std::string key(int i) { return keys::encode(int64_t(i)); }

// A deterministic transaction: reads some keys and a range, then writes values computed
// from what it read. Returns the log of what it read.
std::string script(uint32_t seed, const Ops& ops) {
  std::mt19937 rng(seed);
  std::string log, acc = std::to_string(seed);
  for (int i = 0, n = 1 + rng() % 3; i < n; ++i) {
    const std::string f = kFields[rng() % 3];
    auto v = ops.get(f, key(rng() % 12));
    log += "get=" + v.value_or("-") + ";";
    acc += v.value_or("-");
  }
  if (rng() % 2) {
    const std::string f = kFields[rng() % 3];
    int lo = rng() % 12;
    for (auto& [k, v] : ops.scan(f, key(lo), key(lo + 1 + rng() % 5), 1 + rng() % 4)) {
      log += "scan=" + k + ":" + v + ";";
      acc += v.substr(0, 3);
    }
  }
  for (int i = 0, n = 1 + rng() % 3; i < n; ++i) {
    const std::string f = kFields[rng() % 3];
    std::string k = key(rng() % 12);
    if (rng() % 6 == 0) ops.erase(f, k);
    else ops.put(f, k, std::to_string(std::hash<std::string>{}(acc) % 100000));
  }
  return log;
}

Ops tx_ops(Transaction& tx) {
  return {[&](auto& f, auto& k) { return tx.get(f, k); },
          [&](auto& f, auto& from, auto& to, size_t limit) {
            std::vector<std::pair<std::string, std::string>> out;
            tx.scan(f, from, to, [&](std::string_view k, std::string_view v) {
              out.emplace_back(k, v);
              return out.size() < limit;
            });
            return out;
          },
          [&](auto& f, auto& k, auto& v) { tx.put(f, k, v); },
          [&](auto& f, auto& k) { tx.erase(f, k); }};
}

Ops model_ops(Model& m) {
  return {[&](auto& f, auto& k) -> std::optional<std::string> {
            auto it = m[f].find(k);
            if (it == m[f].end()) return std::nullopt;
            return it->second;
          },
          [&](auto& f, auto& from, auto& to, size_t limit) {
            std::vector<std::pair<std::string, std::string>> out;
            for (auto it = m[f].lower_bound(from); it != m[f].end() && it->first < to && out.size() < limit; ++it)
              out.emplace_back(*it);
            return out;
          },
          [&](auto& f, auto& k, auto& v) { m[f][k] = v; },
          [&](auto& f, auto& k) { m[f].erase(k); }};
}

}  // namespace

TEST(Transactions, ConcurrentRunsEqualASerialExecutionOfTheAppliedOnes) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  const int threads = 4, per_thread = infinitree::testing::kSanitizedBuild ? 60 : 250;
  struct Applied {
    uint64_t seq;
    uint32_t seed;
    std::string reads;
  };
  std::mutex mu;
  std::vector<Applied> applied;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      Transaction tx(*tree);
      for (int i = 0; i < per_thread; ++i) {
        uint32_t seed = static_cast<uint32_t>(t * 100000 + i);
        for (;;) {
          std::string reads = script(seed, tx_ops(tx));
          // Widen the window between reading and applying, so transactions overlap.
          std::this_thread::sleep_for(std::chrono::microseconds(rng_sleep(seed)));
          try {
            uint64_t seq = tx.apply();
            std::lock_guard g(mu);
            applied.push_back({seq, seed, reads});
            break;
          } catch (const Error& e) {
            ASSERT_EQ(e.code(), Errc::conflict) << e.what();
            ASSERT_TRUE(tx.empty());  // rolled back, ready to run again
            ++conflicts;
          }
        }
      }
    });
  for (auto& th : pool) th.join();
  ASSERT_EQ(applied.size(), size_t(threads * per_thread));
  std::sort(applied.begin(), applied.end(), [](auto& a, auto& b) { return a.seq < b.seq; });
  Model model;
  for (auto& a : applied) ASSERT_EQ(script(a.seed, model_ops(model)), a.reads) << "seed " << a.seed;
  for (const char* f : kFields) {
    std::map<std::string, std::string> got;
    tree->map(f).scan({}, {}, [&](std::string_view k, std::string_view v) {
      got.emplace(k, v);
      return true;
    });
    EXPECT_EQ(got, model[f]) << f;
  }
  std::cout << threads * per_thread << " transactions applied, " << conflicts << " conflicts retried\n";
}

TEST(Transactions, CommitsHoldWholeTransactionsOnly) {
  // Transfers between accounts in two fields keep the total; commits run meanwhile.
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  for (int i = 0; i < 8; ++i) {
    tree->map("checking").put(key(i), "100");
    tree->map("savings").put(key(i), "100");
  }
  tree->commit("open accounts");
  std::atomic<bool> stop{false};
  std::atomic<int> ticks{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 3; ++t)
    pool.emplace_back([&, t] {
      std::mt19937 rng(t);
      Transaction tx(*tree);
      // At least 150 transfers each, and on until 20 commits were made meanwhile.
      for (int i = 0; i < 150 || ticks < 20; ++i) {
        for (;;) {
          const char* from = rng() % 2 ? "checking" : "savings";
          const char* to = rng() % 2 ? "checking" : "savings";
          std::string a = key(rng() % 8), b = key(rng() % 8);
          if (std::string(from) == to && a == b) continue;
          int amount = 1 + rng() % 10;
          int fa = std::stoi(*tx.get(from, a)), tb = std::stoi(*tx.get(to, b));
          tx.put(from, a, std::to_string(fa - amount));
          tx.put(to, b, std::to_string(tb + amount));
          try {
            tx.apply();
            break;
          } catch (const Error& e) {
            ASSERT_EQ(e.code(), Errc::conflict);
          }
        }
      }
    });
  std::vector<CommitId> commits;
  std::thread committer([&] {
    while (!stop) {
      if (auto c = tree->commit("tick", {}, CommitOptions{true, {}, false})) {
        commits.push_back(c->id);
        ++ticks;
      }
      std::this_thread::yield();
    }
  });
  for (auto& th : pool) th.join();
  stop = true;
  committer.join();
  commits.push_back(tree->commit("end", {}, CommitOptions{true, {}, false})->id);
  for (const auto& id : commits) {
    auto v = tree->checkout(id);
    long total = 0;
    for (const char* f : {"checking", "savings"})
      v->map(f).scan({}, {}, [&](std::string_view, std::string_view val) {
        total += std::stol(std::string(val));
        return true;
      });
    ASSERT_EQ(total, 1600) << "commit " << id << " holds part of a transaction";
  }
  ASSERT_GE(commits.size(), 20u);
  std::cout << commits.size() << " commits checked\n";
}

TEST(Transactions, RollbackTouchesOnlyTheTransaction) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  auto m = tree->map("m");
  m.put("plain", "uncommitted");  // a change outside the transaction
  Transaction tx(*tree);
  tx.put("m", "a", "1");
  tx.put("other", "b", "2");
  EXPECT_EQ(tx.get("m", "a"), "1");  // its own write
  EXPECT_FALSE(m.get("a"));          // not applied yet
  tx.rollback();
  EXPECT_TRUE(tx.empty());
  uint64_t first = tx.apply(), second = tx.apply();  // empty applies still number in order
  EXPECT_LT(first, second);
  EXPECT_FALSE(m.get("a"));
  EXPECT_EQ(m.get("plain"), "uncommitted");
  // A conflict writes nothing.
  tx.get("m", "plain");
  tx.put("m", "a", "1");
  tx.put("other", "b", "2");
  m.put("plain", "changed");
  try {
    tx.apply();
    ADD_FAILURE() << "no conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::conflict);
  }
  EXPECT_FALSE(m.get("a"));
  EXPECT_FALSE(tree->map("other").get("b"));
  // Phantoms: an insert into a range the transaction scanned is a conflict.
  tx.scan("m", "a", "z", [](std::string_view, std::string_view) { return true; });
  tx.put("m", "count", "1");
  m.put("new", "x");
  EXPECT_THROW(tx.apply(), Error);
  // ...but an insert beyond where the scan stopped is not.
  tx.scan("m", "a", "", [](std::string_view k, std::string_view) { return k < "p"; });
  m.put("zz", "after");
  tx.put("m", "count", "2");
  tx.apply();
  EXPECT_EQ(m.get("count"), "2");
  // Oversized keys are refused when buffered.
  try {
    tx.put("m", std::string(kMaxKeySize + 1, 'k'), "v");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::too_large);
  }
}
