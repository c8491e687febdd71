// Warm start (issue 16): a reader opening a large tree on a store where every read costs a
// round trip, then doing its first random lookups one after another. The same store and the
// same keys, opened with warm start off (the reference, measured in the same run) and on.
//
// The store is a memory store behind a wrapper that sleeps --latency-ms on every read and
// says it is remote, standing in for S3 in another region; what is measured is how many
// sequential round trips the first lookups wait for. Rounds alternate off/on.
//
//   warm_start_bench [--keys N] [--lookups L] [--latency-ms MS] [--rounds R] [--warm-nodes W]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include "bench_keys.hpp"
#include "crypto/kdf.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/tree.hpp"

using namespace infinitree;
using infinitree::bench::key_of;
using infinitree::bench::value_of;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }


// A store whose reads each wait `latency` (as a round trip would), counted.
class SlowStore : public Backend {
 public:
  SlowStore(std::shared_ptr<Backend> inner, std::chrono::microseconds latency) : inner_(std::move(inner)), latency_(latency) {}
  std::atomic<uint64_t> reads{0};
  std::atomic<uint64_t> bytes{0};

  void write_object(const ObjectId& id, std::span<const uint8_t> d) override { inner_->write_object(id, d); }
  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    wait();
    auto d = inner_->read_object(id);
    if (d) bytes += d->size();
    return d;
  }
  std::vector<uint8_t> read_range(const ObjectId& id, uint64_t o, uint64_t l) override {
    wait();
    auto d = inner_->read_range(id, o, l);
    bytes += d.size();
    return d;
  }
  void delete_object(const ObjectId& id) override { inner_->delete_object(id); }
  bool has_object(const ObjectId& id) override { return inner_->has_object(id); }
  std::vector<ObjectId> list_objects() override { return inner_->list_objects(); }
  std::string object_version(const ObjectId& id) override { return inner_->object_version(id); }
  Versioned read_object_versioned(const ObjectId& id) override {
    wait();
    return inner_->read_object_versioned(id);
  }
  std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> d, const std::string& e) override {
    return inner_->write_object_if_version(id, d, e);
  }
  bool is_remote() const override { return true; }
  std::string describe() const override { return "slow memory store"; }

 private:
  void wait() {
    ++reads;
    std::this_thread::sleep_for(latency_);
  }
  std::shared_ptr<Backend> inner_;
  std::chrono::microseconds latency_;
};

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

struct Run {
  double open_ms = 0, first_ms = 0, all_ms = 0;
  uint64_t reads = 0, bytes = 0, warm_nodes = 0;
};

Run reader(const std::shared_ptr<Backend>& memory, std::chrono::microseconds latency, size_t warm_nodes,
           uint64_t keys, int lookups, uint32_t seed) {
  auto slow = std::make_shared<SlowStore>(memory, latency);
  OpenOptions o = fast();
  o.read_only = true;
  o.warm_start_nodes = warm_nodes;
  Run r;
  auto t0 = Clock::now();
  auto t = Tree::open(slow, "bench", "bench", o);
  r.open_ms = ms_since(t0);
  auto m = t->map("m");
  std::mt19937_64 rng(seed);
  for (int i = 0; i < lookups; ++i) {
    uint64_t k = rng() % keys;
    auto v = m.get(key_of(k));
    if (!v || *v != value_of(k)) {
      std::fprintf(stderr, "lookup %d returned the wrong value\n", i);
      std::exit(1);
    }
    if (i == 0) r.first_ms = ms_since(t0);
  }
  r.all_ms = ms_since(t0);
  r.warm_nodes = t->stats().warm_start_nodes;
  r.reads = slow->reads;
  r.bytes = slow->bytes;
  t->close();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t keys = 1'000'000;
  int lookups = 100, rounds = 3;
  double latency_ms = 10;
  size_t warm_nodes = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--keys") keys = std::stoull(argv[i + 1]);
    else if (a == "--lookups") lookups = std::stoi(argv[i + 1]);
    else if (a == "--latency-ms") latency_ms = std::stod(argv[i + 1]);
    else if (a == "--rounds") rounds = std::stoi(argv[i + 1]);
    else if (a == "--warm-nodes") warm_nodes = std::stoull(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: warm_start_bench [--keys N] [--lookups L] [--latency-ms MS] [--rounds R] [--warm-nodes W]\n");
      return 2;
    }
  }
  auto memory = make_memory_backend();
  {
    auto t = Tree::create(memory, "bench", "bench", fast());
    auto m = t->map("m");
    for (uint64_t i = 0; i < keys; ++i) m.put(key_of(i), value_of(i));
    t->commit("fill");
    t->close();
  }
  auto latency = std::chrono::microseconds(static_cast<int64_t>(latency_ms * 1000));
  std::printf("warm_start_bench: %llu keys, %d sequential random lookups after open, %.1f ms per read, %d rounds\n",
              static_cast<unsigned long long>(keys), lookups, latency_ms, rounds);
  std::printf("%-10s %9s %12s %12s %8s %10s %10s\n", "warm start", "open ms", "first ms", "all ms", "reads",
              "MiB read", "nodes");
  double off_sum = 0, on_sum = 0, off_first = 0, on_first = 0;
  for (int round = 0; round < rounds; ++round) {
    for (size_t w : {size_t{0}, warm_nodes}) {
      Run r = reader(memory, latency, w, keys, lookups, 1000 + static_cast<uint32_t>(round));
      std::printf("%-10zu %9.1f %12.1f %12.1f %8llu %10.1f %10llu\n", w, r.open_ms, r.first_ms, r.all_ms,
                  static_cast<unsigned long long>(r.reads), r.bytes / 1048576.0,
                  static_cast<unsigned long long>(r.warm_nodes));
      (w == 0 ? off_sum : on_sum) += r.all_ms;
      (w == 0 ? off_first : on_first) += r.first_ms;
    }
  }
  std::printf("ratio (on / off), open to the last of %d lookups: %.2f; open to the first answer: %.2f\n", lookups,
              on_sum / off_sum, on_first / off_first);
  return 0;
}
