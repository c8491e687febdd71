// Damage and misuse: a tampered, truncated or missing chunk is the store's error and never
// wrong bytes; bad options and calls are clear errors.
#include <gtest/gtest.h>

#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using namespace infinitree::stream::testing;

namespace {

// Flips one byte inside the stored bytes of `ptr` in the backend.
void tamper(Backend& backend, const ChunkPointer& ptr) {
  auto obj = backend.read_object(ptr.object);
  Bytes copy(obj->begin(), obj->end());
  copy[ptr.offset + ptr.stored_size / 2] ^= 0x20;
  backend.write_object(ptr.object, copy);
}

struct Written {
  Bytes data;
  StreamRef ref;
  std::vector<ChunkPointer> data_chunks;
  std::vector<ChunkPointer> pages;
};

Written write_flushed(TestStore& t, size_t n, const StreamOptions& o) {
  Written w;
  w.data = pseudo_random(n, 77);
  w.ref = write_stream(t.store, t.index, w.data, o);
  t.store->flush();
  reachable(*t.store, w.ref, [&](const ChunkPointer& p) {
    (p.kind == ChunkKind::index ? w.pages : w.data_chunks).push_back(p);
  });
  return w;
}

}  // namespace

TEST(StreamErrors, TamperedDataChunkIsCorruptNotWrongBytes) {
  TestStore t;
  Written w = write_flushed(t, 3 * 1024 * 1024, small_chunks(8));
  const ChunkPointer victim = w.data_chunks[w.data_chunks.size() / 2];
  tamper(*t.backend, victim);
  StreamReader r(t.fresh(), w.ref);
  Bytes buf(victim.plain_size);
  // Reads that avoid the chunk still work.
  ASSERT_EQ(r.read_at(0, buf.data(), 1000), 1000u);
  EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + 1000, w.data.begin()));
  // Find the chunk's offset in the stream and read it.
  uint64_t off = 0;
  for (const auto& p : w.data_chunks) {
    if (p == victim) break;
    off += p.plain_size;
  }
  EXPECT_EQ(error_of([&] { r.read_at(off, buf.data(), 10); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { r.read_all(); }), Errc::corrupt);
  // Sequential reading stops with the error at that chunk.
  r.seek(0);
  Bytes all(w.data.size());
  size_t pos = 0;
  Errc code = error_of([&] {
    while (size_t got = r.read(all.data() + pos, 4096)) pos += got;
  });
  EXPECT_EQ(code, Errc::corrupt);
  EXPECT_LE(pos, off);
  EXPECT_TRUE(std::equal(all.begin(), all.begin() + pos, w.data.begin()));
}

TEST(StreamErrors, TamperedListPageIsCorrupt) {
  TestStore t;
  Written w = write_flushed(t, 2 * 1024 * 1024, small_chunks(8));
  ASSERT_FALSE(w.pages.empty());
  tamper(*t.backend, w.pages.back());
  auto fresh = t.fresh();
  EXPECT_EQ(error_of([&] { read_stream(fresh, w.ref); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { reachable(*fresh, w.ref, [](const ChunkPointer&) {}); }),
            Errc::corrupt);
}

TEST(StreamErrors, MissingObjectIsObjectMissing) {
  TestStore t;
  Written w = write_flushed(t, 6 * 1024 * 1024, StreamOptions{});
  t.backend->delete_object(w.data_chunks.back().object);
  StreamReader r(t.fresh(), w.ref);
  EXPECT_EQ(error_of([&] { r.read_all(); }), Errc::object_missing);
}

TEST(StreamErrors, RefFromAnotherKeyFailsAuthentication) {
  TestStore a, b;
  Bytes data = pseudo_random(100000, 1);
  StreamRef ref = write_stream(a.store, a.index, data);
  a.store->flush();
  // Same objects, different keys: every chunk fails its tag.
  auto other = std::make_shared<ChunkStore>(a.backend, b.keys);
  EXPECT_EQ(error_of([&] { read_stream(other, ref); }), Errc::corrupt);
}

TEST(StreamErrors, BadOptionsAndMisuse) {
  TestStore t;
  StreamOptions big;
  big.chunker.max_size = ChunkStore::max_chunk_size(ChunkKind::storage) + 1;
  EXPECT_EQ(error_of([&] { StreamWriter(t.store, t.index, big); }), Errc::invalid_argument);
  StreamOptions pages;
  pages.entries_per_page = 2;
  EXPECT_EQ(error_of([&] { StreamWriter(t.store, t.index, pages); }), Errc::invalid_argument);
  EXPECT_EQ(error_of([&] { StreamWriter(nullptr, t.index); }), Errc::invalid_argument);

  StreamWriter w(t.store, t.index);
  w.write(to_bytes("hello"));
  StreamRef ref = w.finish();
  EXPECT_EQ(error_of([&] { w.write(to_bytes("more")); }), Errc::closed);
  EXPECT_EQ(error_of([&] { w.finish(); }), Errc::closed);
  EXPECT_EQ(to_string(read_stream(t.store, ref)), "hello");

  // An abandoned writer (no finish) cleans up without throwing.
  {
    StreamWriter abandoned(t.store, t.index, small_chunks());
    abandoned.write(pseudo_random(500000, 3));
  }
}

TEST(StreamErrors, AFailingStoreSurfacesFromTheWriter) {
  // A backend that refuses writes: the storage objects fill and the failure reaches
  // write() or finish() (not a crash, not a silent success).
  struct FullBackend : Backend {
    std::shared_ptr<Backend> inner = make_memory_backend();
    void write_object(const ObjectId&, std::span<const uint8_t>) override {
      throw Error(Errc::no_space, "disk full");
    }
    std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
      return inner->read_object(id);
    }
    void delete_object(const ObjectId& id) override { inner->delete_object(id); }
    bool has_object(const ObjectId& id) override { return inner->has_object(id); }
    std::vector<ObjectId> list_objects() override { return inner->list_objects(); }
    std::string describe() const override { return "full"; }
  };
  auto backend = std::make_shared<FullBackend>();
  auto store = std::make_shared<ChunkStore>(
      backend, crypto::KeyRing::from_master(crypto::SecretKey::random()));
  Errc code = error_of([&] {
    StreamWriter w(store, nullptr);
    for (int i = 0; i < 6; ++i) w.write(pseudo_random(4 * 1024 * 1024, i));
    w.finish();
    store->flush();
  });
  EXPECT_EQ(code, Errc::no_space);
}

TEST(StreamErrors, PrehashedWriteWithAWrongHashFailsOnRead) {
  // The writer hands ChunkStore the digest it computed for dedup; a wrong one must never
  // yield bytes on read.
  TestStore t;
  Bytes data = pseudo_random(5000, 9);
  crypto::Digest right = t.store->content_hash(data);
  EXPECT_EQ(t.store->read(t.store->write(ChunkKind::storage, data, right)), data);
  crypto::Digest wrong = right;
  wrong[0] ^= 1;
  ChunkPointer bad = t.store->write(ChunkKind::storage, data, wrong);
  EXPECT_EQ(error_of([&] { t.store->read(bad); }), Errc::corrupt);
}

TEST(StreamErrors, VerifyReportsEveryProblemAndCountsTheRest) {
  TestStore t;
  Written w = write_flushed(t, 3 * 1024 * 1024, small_chunks(8));
  {
    VerifyResult clean = verify(*t.fresh(), w.ref, [](const ChunkPointer&, const Error&) {
      ADD_FAILURE() << "no problem expected";
    });
    EXPECT_EQ(clean.problems, 0u);
    EXPECT_EQ(clean.chunks_ok, w.pages.size() + w.data_chunks.size());
    EXPECT_EQ(clean.bytes_ok, w.data.size());
  }
  // Damage two data chunks in different objects, or at least different chunks.
  const ChunkPointer a = w.data_chunks.front();
  const ChunkPointer b = w.data_chunks.back();
  tamper(*t.backend, a);
  tamper(*t.backend, b);
  std::vector<std::pair<ChunkPointer, Errc>> problems;
  VerifyResult r = verify(*t.fresh(), w.ref, [&](const ChunkPointer& p, const Error& e) {
    problems.emplace_back(p, e.code());
  });
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].first, a);
  EXPECT_EQ(problems[1].first, b);
  EXPECT_EQ(problems[0].second, Errc::corrupt);
  EXPECT_EQ(r.problems, 2u);
  EXPECT_EQ(r.chunks_ok, w.pages.size() + w.data_chunks.size() - 2);
  EXPECT_EQ(r.bytes_ok, w.data.size() - a.plain_size - b.plain_size);
}
