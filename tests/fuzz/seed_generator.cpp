// Writes the seed corpora (tests/fuzz/corpus/<harness>/seed-*) from real encodings made by
// the library itself, so every harness starts from valid inputs and mutates from there.
//   fuzz_seed_generator tests/fuzz/corpus
// scripts/fuzz.sh --seeds reruns it; the output is checked in. Files named regress-* are
// crash regressions and are never touched by this program.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "btree/btree.hpp"
#include "btree/node_codec.hpp"
#include "btree/node_cache.hpp"
#include "btree/value_spill.hpp"
#include "crypto/kdf.hpp"
#include "infinitree/key_codec.hpp"
#include "object/chunk_store.hpp"
#include "object/compression.hpp"
#include "root_layout.hpp"
#include "stream/stream_writer.hpp"
#include "tree/commit_record.hpp"
#include "tree/forgotten_commit.hpp"
#include "tree/pending_deletions.hpp"

using namespace infinitree;
namespace fs = std::filesystem;

namespace {

fs::path out_root;

void put(const std::string& harness, const std::string& name, ByteView bytes) {
  fs::create_directories(out_root / harness);
  std::ofstream f(out_root / harness / ("seed-" + name), std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
void put(const std::string& harness, const std::string& name, std::string_view s) {
  put(harness, name, as_bytes(s));
}

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes le64(uint64_t v) {
  Bytes b(8);
  put_u64le(b.data(), v);
  return b;
}

Bytes le32(uint32_t v) {
  Bytes b(4);
  put_u32le(b.data(), v);
  return b;
}

Bytes text(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>("fern moss soil leaf "[i % 20]);
  return b;
}

Bytes noise(size_t n, uint32_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    b[i] = static_cast<uint8_t>(seed >> 16);
  }
  return b;
}

std::shared_ptr<ChunkStore> new_store() {
  return std::make_shared<ChunkStore>(
      make_memory_backend(), crypto::KeyRing::from_master(crypto::SecretKey(Bytes(crypto::kKeySize, 1))));
}

void btree_and_spill_seeds() {
  auto store = new_store();
  btree::BTreeOptions opt;
  opt.target_node_bytes = 512;  // small nodes: a few levels from a few hundred keys
  btree::BTree tree(store, nullptr, std::nullopt, opt);
  for (int i = 0; i < 300; ++i) tree.put("key-" + std::to_string(i * 7), "value " + std::to_string(i));
  tree.put("spilled", std::string(3000, 's'));  // over inline_value_max: a spill descriptor
  auto root = tree.flush();
  int leaves = 0, inners = 0;
  btree::BTree::reachable(store, nullptr, root, [&](const ChunkPointer& p) {
    if (p.kind != ChunkKind::index) return;
    Bytes node = store->read(p);
    bool leaf = btree::decode_node(node)->leaf();
    if (leaf && leaves < 3) put("btree_node", "leaf-" + std::to_string(leaves++), node);
    if (!leaf && inners < 3) put("btree_node", "inner-" + std::to_string(inners++), node);
  });
  put("spill_descriptor", "direct", btree::spill_value(*store, std::string(2 * 1024 * 1024 + 5, 'd')));
  put("spill_descriptor", "indirect", btree::spill_value(*store, std::string(5 * 1024 * 1024 + 9, 'i')));
  put("spill_descriptor", "small", btree::spill_value(*store, std::string(1500, 'x')));
}

void record_seeds() {
  ChunkPointer p;
  p.object.bytes.fill(0xab);
  p.offset = 4096;
  p.stored_size = 120;
  p.plain_size = 300;
  p.compression = Compression::lz4;
  p.kind = ChunkKind::index;
  CommitRecord c;
  c.id = std::string(kCommitIdSize, '\x01');
  c.parents = {std::string(kCommitIdSize, '\x02')};
  c.time_ms = 1700000000000;
  c.message = "first commit";
  c.custom = "\x81\xa1k\xa1v";
  c.sequence = 3;
  c.branch = "main";
  c.fields = {{"plants", FieldType::map, p}, {"empty", FieldType::set, std::nullopt},
              {"log", FieldType::list, p}, {"v", FieldType::value, p}};
  c.system = {{"dedup", FieldType::map, p}};
  put("commit_record", "full", c.encode());
  CommitRecord root;
  root.id = std::string(kCommitIdSize, '\x03');
  root.branch = "main";
  put("commit_record", "first", root.encode());

  Refs r;
  r.branches["main"] = std::string(kCommitIdSize, '\x01');
  r.branches["empty"] = std::nullopt;
  r.tags["v1"] = std::string(kCommitIdSize, '\x02');
  put("refs", "branches-and-tags", r.encode());
  put("refs", "empty", Refs{}.encode());

  ForgottenCommit f;
  f.parents = {std::string(kCommitIdSize, '\x04'), std::string(kCommitIdSize, '\x05')};
  f.sequence = 12;
  f.time_ms = -5;
  put("forgotten_commit", "merge", f.encode());
  PendingDeletion d1, d2;
  d1.id.bytes.fill(0x33);
  d1.due_ms = 1700000000000;
  d2.id.bytes.fill(0x44);
  put("pending_deletions", "two", encode_pending({d1, d2}));
  put("pending_deletions", "none", encode_pending({}));

  put("chunk_pointer", "index", p.encode());
  p.kind = ChunkKind::storage;
  p.compression = Compression::zstd;
  put("chunk_pointer", "storage", p.encode());

  put("root_record", "fresh", fuzz::library_record());
  RootRecord rec;
  rec.format_version = 1;
  rec.master_key = crypto::SecretKey(Bytes(crypto::kKeySize, 0x99));
  rec.generation = 42;
  rec.commits = p;
  rec.refs = p;
  rec.current_branch = "feature/x";
  rec.compression = 2;
  put("root_record", "committed", fuzz::record_of(seal_root_object(rec, fuzz::root_key(), fuzz::root_id())));
}

void stream_seeds() {
  auto store = new_store();
  stream::StreamOptions small;
  small.chunker.min_size = 256;
  small.chunker.avg_size = 1024;
  small.chunker.max_size = 4096;
  small.entries_per_page = 8;
  small.threads = 1;
  Bytes few = text(3000);
  stream::StreamRef inline_ref = stream::write_stream(store, nullptr, few, small);
  put("stream_ref", "inline", cat({Bytes{0}, inline_ref.encode()}));
  Bytes many = noise(200 * 1024, 7);
  stream::StreamRef deep = stream::write_stream(store, nullptr, many, small);
  put("stream_ref", "paged", cat({Bytes{0}, deep.encode()}));
  int pages = 0;
  for (size_t i = 0; i < deep.entries.size() && deep.level > 0 && pages < 3; ++i) {
    uint64_t begin = deep.entries[i].offset;
    uint64_t end = stream::entry_end(deep.entries, i, deep.level, deep.size);
    Bytes page = store->read(deep.entries[i].ptr);
    put("stream_ref", "page-" + std::to_string(pages++),
        cat({Bytes{1, static_cast<uint8_t>(deep.level - 1)}, le64(begin), le64(end), page}));
  }
}

void key_seeds() {
  std::string k;
  keys::append_string(k, "plant");
  keys::append_int(k, -42);
  keys::append_uint(k, 1u << 31);
  keys::append_double(k, 0.25);
  keys::append_bool(k, true);
  keys::append_null(k);
  keys::append_bytes(k, std::string("\0\x01\xff", 3));
  put("key_codec", "mixed", k);
  std::string s;
  keys::append_string(s, std::string("with\0zero", 9));
  put("key_codec", "string", s);
}

void xml_seeds() {
  // First byte: 0 a ListObjectsV2 page, 1 an error body (see s3_xml.cpp).
  put("s3_xml", "list",
      std::string(1, '\0') + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix>t/</Prefix>"
      "<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
      "<Contents><Key>t/objects/ab&amp;c</Key><Size>4194304</Size></Contents>"
      "<Contents><Key>t/&#x41;&#65;&lt;&gt;&quot;&apos;</Key></Contents></ListBucketResult>");
  put("s3_xml", "error",
      "\x01<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The "
      "specified key does not exist.</Message><Key>t/root</Key></Error>");
}

void compression_seeds() {
  Bytes plain = text(20000);
  for (Compression m : {Compression::lz4, Compression::zstd}) {
    if (!compression_available(m)) continue;
    Bytes packed;
    if (!compress_chunk(m, plain, packed)) continue;
    put("decompress", m == Compression::lz4 ? "lz4" : "zstd",
        cat({Bytes{static_cast<uint8_t>(m)}, le32(static_cast<uint32_t>(plain.size())), packed}));
  }
  put("decompress", "none", cat({Bytes{0}, le32(100), text(100)}));
}

void chunk_store_seeds() {
  // Selector bytes only: the harness's own chunks, unchanged (see chunk_store_read.cpp).
  for (uint8_t i = 0; i < 4; ++i) put("chunk_store_read", "chunk-" + std::to_string(i), Bytes{i});
  // A changed offset (bytes 32..35) and a changed stored size (36..39).
  Bytes off(1 + 40, 0);
  off[0] = 2;
  off[1 + 33] = 0x10;
  put("chunk_store_read", "moved-offset", off);
  Bytes sz(1 + 40, 0);
  sz[0] = 3;
  sz[1 + 39] = 0x7f;
  put("chunk_store_read", "huge-size", sz);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR\n";
    return 2;
  }
  out_root = argv[1];
  try {
    btree_and_spill_seeds();
    record_seeds();
    stream_seeds();
    key_seeds();
    xml_seeds();
    compression_seeds();
    chunk_store_seeds();
  } catch (const std::exception& e) {
    std::cerr << "seed generation failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
