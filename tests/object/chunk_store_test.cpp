// The chunk store end to end over real backends: round trips, uniform objects, no
// plaintext at rest, and every kind of damage detected with the right error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "crypto/kdf.hpp"
#include "infinitree/error.hpp"
#include "object/chunk_store.hpp"
#include "test_util.hpp"

using namespace infinitree;
using infinitree::testing::ScratchDir;

namespace {

crypto::KeyRing fresh_keys() { return crypto::KeyRing::from_master(crypto::SecretKey::random()); }

std::vector<std::filesystem::path> object_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string().size() == 64) files.push_back(e.path());
  return files;
}

Bytes read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::filesystem::path& p, const Bytes& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

using ::infinitree::testing::error_of;

}  // namespace

TEST(ChunkStore, RoundTripsAllSizesBothKindsAcrossObjects) {
  auto keys = fresh_keys();
  ChunkStore store(make_memory_backend(), keys);
  std::mt19937 rng(7);
  std::vector<std::pair<ChunkPointer, Bytes>> written;
  const size_t sizes[] = {0, 1, 15, 16, 17, 4096, 65536, 1 << 20,
                          ChunkStore::max_chunk_size(ChunkKind::index)};
  for (ChunkKind kind : {ChunkKind::index, ChunkKind::storage}) {
    for (size_t n : sizes) {
      for (bool compressible : {true, false}) {
        size_t size = std::min(n, ChunkStore::max_chunk_size(kind));
        Bytes data = compressible ? infinitree::testing::compressible_data(size, rng())
                                  : infinitree::testing::random_data(size);
        written.emplace_back(store.write(kind, data), data);
      }
    }
    Bytes biggest = infinitree::testing::random_data(ChunkStore::max_chunk_size(kind));
    written.emplace_back(store.write(kind, biggest), biggest);
  }
  // Read before flush (served from open objects), flush, read again.
  for (auto& [ptr, data] : written) EXPECT_EQ(store.read(ptr), data);
  store.flush();
  for (auto& [ptr, data] : written) EXPECT_EQ(store.read(ptr), data);
  // Compressible data was compressed, random data was not.
  EXPECT_EQ(written[0].first.plain_size, 0u);
  EXPECT_EQ(written[14].first.compression, Compression::lz4);   // 1 MiB text
  EXPECT_EQ(written[15].first.compression, Compression::none);  // 1 MiB random
}

TEST(ChunkStore, TooLargeChunkIsAClearError) {
  ChunkStore store(make_memory_backend(), fresh_keys());
  Bytes big(ChunkStore::max_chunk_size(ChunkKind::storage) + 1);
  EXPECT_EQ(error_of([&] { store.write(ChunkKind::storage, big); }), Errc::too_large);
  Bytes big_index(ChunkStore::max_chunk_size(ChunkKind::index) + 1);
  EXPECT_EQ(error_of([&] { store.write(ChunkKind::index, big_index); }), Errc::too_large);
}

TEST(ChunkStore, DirectoryObjectsAreUniformAndHoldNoPlaintext) {
  ScratchDir dir;
  auto keys = fresh_keys();
  std::vector<std::pair<ChunkPointer, Bytes>> written;
  const std::string marker = "PLANT-HEALTH-MARKER-7f3a";
  {
    ChunkStore store(make_directory_backend(dir.path()), keys);
    for (int i = 0; i < 1000; ++i) {
      std::string text = marker + " record " + std::to_string(i);
      Bytes data = to_bytes(text);
      written.emplace_back(store.write(i % 2 ? ChunkKind::index : ChunkKind::storage, data), data);
    }
    for (int i = 0; i < 6; ++i) {  // enough to fill several objects
      Bytes data = infinitree::testing::random_data(1500 * 1024);
      written.emplace_back(store.write(ChunkKind::storage, data), data);
    }
    store.flush();
  }
  auto files = object_files(dir.path());
  ASSERT_GE(files.size(), 4u);
  for (auto& f : files) {
    EXPECT_EQ(std::filesystem::file_size(f), kObjectSize) << f;
    Bytes content = read_file(f);
    std::string_view view(reinterpret_cast<const char*>(content.data()), content.size());
    EXPECT_EQ(view.find(marker), std::string_view::npos) << "plaintext marker found in " << f;
    EXPECT_EQ(view.find("record"), std::string_view::npos) << f;
  }
  // Reopen the directory with a new store: everything reads back.
  ChunkStore reopened(make_directory_backend(dir.path()), keys);
  for (auto& [ptr, data] : written) EXPECT_EQ(reopened.read(ptr), data);
}

TEST(ChunkStore, WrongKeyFailsCleanly) {
  auto backend = make_memory_backend();
  ChunkStore store(backend, fresh_keys());
  auto ptr = store.write(ChunkKind::index, to_bytes("secret"));
  store.flush();
  ChunkStore other(backend, fresh_keys());
  EXPECT_EQ(error_of([&] { other.read(ptr); }), Errc::corrupt);
}

TEST(ChunkStore, EveryFlippedByteOfAChunkIsDetected) {
  ScratchDir dir;
  auto keys = fresh_keys();
  auto backend = make_directory_backend(dir.path());
  ChunkStore store(backend, keys);
  Bytes data = infinitree::testing::compressible_data(3000, 3);
  ChunkPointer ptr = store.write(ChunkKind::storage, data);
  Bytes other_data = to_bytes("an unrelated chunk in the same object");
  ChunkPointer other = store.write(ChunkKind::storage, other_data);
  store.flush();

  auto path = object_files(dir.path()).at(0);
  Bytes original = read_file(path);
  // Every byte of the chunk, and a sample of bytes elsewhere in the object.
  std::vector<size_t> positions;
  // (Under sanitizers every 7th byte of the chunk: each position rewrites a 4 MiB file.)
  const size_t step = infinitree::testing::kSanitizedBuild ? 7 : 1;
  for (size_t i = ptr.offset; i < ptr.offset + ptr.stored_size; i += step) positions.push_back(i);
  for (size_t i = 0; i < kObjectSize; i += 104729) positions.push_back(i);
  for (size_t pos : positions) {
    Bytes damaged = original;
    damaged[pos] ^= 0x01;
    write_file(path, damaged);
    ChunkStore fresh(make_directory_backend(dir.path()), keys);  // no cached object
    bool in_chunk = pos >= ptr.offset && pos < ptr.offset + ptr.stored_size;
    bool in_other = pos >= other.offset && pos < other.offset + other.stored_size;
    if (in_chunk) {
      EXPECT_EQ(error_of([&] { fresh.read(ptr); }), Errc::corrupt) << pos;
    } else {
      EXPECT_EQ(fresh.read(ptr), data) << pos;
    }
    if (!in_other) {
      EXPECT_EQ(fresh.read(other), other_data);
    } else {
      EXPECT_EQ(error_of([&] { fresh.read(other); }), Errc::corrupt) << pos;
    }
  }
  write_file(path, original);
  ChunkStore fresh(make_directory_backend(dir.path()), keys);
  EXPECT_EQ(fresh.read(ptr), data);
}

TEST(ChunkStore, TruncatedAndMissingObjectsAreDistinctErrors) {
  ScratchDir dir;
  auto keys = fresh_keys();
  ChunkPointer index_ptr, storage_ptr;
  {
    ChunkStore store(make_directory_backend(dir.path()), keys);
    index_ptr = store.write(ChunkKind::index, to_bytes("index chunk"));
    storage_ptr = store.write(ChunkKind::storage, to_bytes("storage chunk"));
    store.flush();
  }
  auto files = object_files(dir.path());
  ASSERT_EQ(files.size(), 2u);
  for (auto& f : files) std::filesystem::resize_file(f, 1000);
  {
    ChunkStore store(make_directory_backend(dir.path()), keys);
    EXPECT_EQ(error_of([&] { store.read(index_ptr); }), Errc::object_truncated);
    EXPECT_EQ(error_of([&] { store.read(storage_ptr); }), Errc::object_truncated);
  }
  for (auto& f : files) std::filesystem::remove(f);
  {
    ChunkStore store(make_directory_backend(dir.path()), keys);
    EXPECT_EQ(error_of([&] { store.read(index_ptr); }), Errc::object_missing);
    EXPECT_EQ(error_of([&] { store.read(storage_ptr); }), Errc::object_missing);
  }
}

TEST(ChunkStore, MovedOrRelabelledChunkFailsAuthentication) {
  auto keys = fresh_keys();
  ChunkStore store(make_memory_backend(), keys);
  ChunkPointer a = store.write(ChunkKind::index, to_bytes("aaaaaaaaaaaaaaaa"));
  ChunkPointer b = store.write(ChunkKind::index, to_bytes("bbbbbbbbbbbbbbbb"));
  store.flush();
  ChunkPointer swapped = a;
  swapped.offset = b.offset;  // a's tag and hash with b's place
  EXPECT_EQ(error_of([&] { store.read(swapped); }), Errc::corrupt);
  ChunkPointer relabelled = a;
  relabelled.kind = ChunkKind::storage;
  EXPECT_EQ(error_of([&] { store.read(relabelled); }), Errc::corrupt);
  ChunkPointer past_end = a;
  past_end.offset = kObjectSize - 2;
  EXPECT_EQ(error_of([&] { store.read(past_end); }), Errc::corrupt);
}

TEST(ChunkStore, PointerEncodingRoundTripsAndRejectsGarbage) {
  ChunkStore store(make_memory_backend(), fresh_keys());
  ChunkPointer p = store.write(ChunkKind::storage, infinitree::testing::compressible_data(5000));
  Bytes enc = p.encode();
  ASSERT_EQ(enc.size(), ChunkPointer::kEncodedSize);
  EXPECT_EQ(ChunkPointer::decode(enc), p);
  EXPECT_EQ(error_of([&] { ChunkPointer::decode(ByteView(enc).first(10)); }), Errc::corrupt);
  enc[44] = 9;  // unknown compression
  EXPECT_EQ(error_of([&] { ChunkPointer::decode(enc); }), Errc::corrupt);
}

TEST(ChunkStore, ParallelWritersAndReaders) {
  auto keys = fresh_keys();
  ChunkStore store(make_memory_backend(), keys);
  constexpr int kThreads = 4, kPerThread = 300;
  std::vector<std::vector<std::pair<ChunkPointer, Bytes>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (int i = 0; i < kPerThread; ++i) {
        Bytes data = (i % 3) ? infinitree::testing::compressible_data(rng() % 70000, rng())
                             : infinitree::testing::random_data(rng() % 70000);
        auto ptr = store.write(i % 2 ? ChunkKind::index : ChunkKind::storage, data);
        EXPECT_EQ(store.read(ptr), data);
        results[t].emplace_back(ptr, std::move(data));
      }
    });
  for (auto& th : threads) th.join();
  store.flush();
  for (auto& r : results)
    for (auto& [ptr, data] : r) EXPECT_EQ(store.read(ptr), data);
  EXPECT_EQ(store.stats().chunks_written, static_cast<uint64_t>(kThreads * kPerThread));
}
