// The commit record's bytes are on-disk format (docs/format.md): existing stores hold them.
// A fixed record must encode to the same bytes forever and decode back to itself, whatever
// layer the field roots' type lives in.
#include <gtest/gtest.h>

#include "fields/field_root.hpp"
#include "tree/commit_record.hpp"
#include "util/bytes.hpp"

using namespace infinitree;

namespace {

std::string hex(ByteView b) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t c : b) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

ChunkPointer pointer(uint8_t seed) {
  ChunkPointer p;
  for (size_t i = 0; i < p.object.bytes.size(); ++i) p.object.bytes[i] = static_cast<uint8_t>(seed + i);
  p.offset = 0x01020304u;
  p.stored_size = 300;
  p.plain_size = 500;
  p.compression = Compression::lz4;
  p.kind = ChunkKind::index;
  for (size_t i = 0; i < p.hash.size(); ++i) p.hash[i] = static_cast<uint8_t>(0xa0 + i);
  for (size_t i = 0; i < p.tag.size(); ++i) p.tag[i] = static_cast<uint8_t>(0x10 + i);
  return p;
}

CommitRecord sample() {
  CommitRecord c;
  c.id = std::string(kCommitIdSize, '\x11');
  c.parents = {std::string(kCommitIdSize, '\x22')};
  c.time_ms = 1700000000123;
  c.message = "second";
  c.custom = std::string("\x00\x01", 2);
  c.sequence = 2;
  c.branch = "main";
  c.fields = {FieldRoot{"docs", FieldType::map, pointer(1)}, FieldRoot{"empty", FieldType::set, std::nullopt}};
  c.system = {FieldRoot{"dedup", FieldType::map, pointer(9)}};
  return c;
}

// Written from docs/format.md's description of the record (msgpack map of 9 entries, field
// roots as [name, type, pointer-or-nil], 94-byte little-endian chunk pointers) by a script,
// not by this encoder; any difference breaks every existing store.
constexpr const char* kGolden =
    "89a26964c41011111111111111111111111111111111a7706172656e747391c4102222222222222222222222"
    "2222222222a474696d65cf0000018bcfe5687ba76d657373616765a67365636f6e64a6637573746f6dc40200"
    "01a373657102a66272616e6368a46d61696ea66669656c64739293c404646f637301c45e0102030405060708"
    "090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20040302012c010000f40100000100a0a1a2a3a4a5"
    "a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf101112131415161718191a1b1c1d1e1f93c4"
    "05656d70747902c0a673797374656d9193c405646564757001c45e090a0b0c0d0e0f10111213141516171819"
    "1a1b1c1d1e1f202122232425262728040302012c010000f40100000100a0a1a2a3a4a5a6a7a8a9aaabacadae"
    "afb0b1b2b3b4b5b6b7b8b9babbbcbdbebf101112131415161718191a1b1c1d1e1f";


}  // namespace

TEST(CommitRecordFormat, EncodesToTheBytesExistingStoresHold) {
  EXPECT_EQ(hex(sample().encode()), kGolden);
}

TEST(CommitRecordFormat, DecodesBackToTheSameRecord) {
  CommitRecord c = CommitRecord::decode(sample().encode());
  CommitRecord want = sample();
  EXPECT_EQ(c.id, want.id);
  EXPECT_EQ(c.parents, want.parents);
  EXPECT_EQ(c.time_ms, want.time_ms);
  EXPECT_EQ(c.message, want.message);
  EXPECT_EQ(c.custom, want.custom);
  EXPECT_EQ(c.sequence, want.sequence);
  EXPECT_EQ(c.branch, want.branch);
  ASSERT_EQ(c.fields.size(), 2u);
  EXPECT_EQ(c.fields[0].name, "docs");
  EXPECT_EQ(c.fields[0].type, FieldType::map);
  EXPECT_EQ(c.fields[0].root, pointer(1));
  EXPECT_EQ(c.fields[1].name, "empty");
  EXPECT_EQ(c.fields[1].type, FieldType::set);
  EXPECT_FALSE(c.fields[1].root.has_value());
  ASSERT_EQ(c.system.size(), 1u);
  EXPECT_EQ(c.system[0].name, "dedup");
  EXPECT_EQ(c.system[0].root, pointer(9));
}
