// Several writers on one store and one dedup index, and many readers of one stream at
// once (run under TSan: -DCMAKE_BUILD_TYPE=Tsan).
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using namespace infinitree::stream::testing;

TEST(StreamConcurrency, SeveralWritersShareAStoreAndAnIndex) {
  TestStore t;
  const int kWriters = 4;
  Bytes common = pseudo_random(3 * 1024 * 1024, 100);
  std::vector<Bytes> inputs;
  for (int i = 0; i < kWriters; ++i) {
    Bytes d = mixed_data(4 * 1024 * 1024, 200 + i);
    d.insert(d.end(), common.begin(), common.end());  // shared tail: dedups across writers
    inputs.push_back(std::move(d));
  }
  std::vector<StreamRef> refs(kWriters);
  std::vector<std::thread> threads;
  auto pool = std::make_shared<ThreadPool>(2);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      StreamOptions o = i % 2 ? small_chunks(8) : StreamOptions{};
      if (i == 3) o.pool = pool;  // one on a caller-provided pool
      o.max_in_flight_bytes = 8 * 1024 * 1024;
      StreamWriter w(t.store, t.index, o);
      for (size_t pos = 0; pos < inputs[i].size(); pos += 700000)
        w.write(ByteView(inputs[i]).subspan(pos, std::min<size_t>(700000, inputs[i].size() - pos)));
      refs[i] = w.finish();
    });
  }
  for (auto& th : threads) th.join();
  t.store->flush();
  auto fresh = t.fresh();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(read_stream(fresh, refs[i]), inputs[i]) << i;
}

TEST(StreamConcurrency, ManyThreadsReadAtOneReader) {
  TestStore t;
  Bytes data = mixed_data(8 * 1024 * 1024, 3);
  StreamRef ref = write_stream(t.store, t.index, data, small_chunks(16));
  StreamReader r(t.store, ref, ReaderOptions{.cache_chunks = 3});
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      std::mt19937_64 rng(k);
      Bytes buf(50000);
      for (int i = 0; i < 150; ++i) {
        uint64_t pos = rng() % data.size();
        size_t got = r.read_at(pos, buf.data(), buf.size());
        if (!std::equal(buf.begin(), buf.begin() + got, data.begin() + pos)) ++mismatches;
      }
    });
  }
  // Meanwhile the owner reads sequentially (read-ahead on the shared pool).
  Bytes out(data.size());
  size_t pos = 0;
  while (size_t got = r.read(out.data() + pos, 100000)) pos += got;
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(out, data);
}

TEST(StreamConcurrency, FullObjectsAreUploadedWhileWritingNotHeldUntilFlush) {
  // Bounded memory needs the store to hand each full object to the backend as soon as
  // it fills, also when several workers race to open the next one.
  TestStore t;
  Bytes data = pseudo_random(96 * 1024 * 1024, 11);  // incompressible: ~25 objects
  StreamOptions o;
  o.threads = 4;
  StreamWriter w(t.store, nullptr, o);
  for (size_t pos = 0; pos < data.size(); pos += 1 << 20)
    w.write(ByteView(data).subspan(pos, 1 << 20));
  StreamRef ref = w.finish();
  const size_t uploaded = t.backend->list_objects().size();
  const size_t needed = w.stats().bytes_stored / kObjectSize;
  // At most the open object and the ones being uploaded remain in memory.
  EXPECT_GE(uploaded + 1 + o.threads, needed) << "uploaded " << uploaded << " of " << needed;
  t.store->flush();
  EXPECT_EQ(read_stream(t.fresh(), ref), data);
}
