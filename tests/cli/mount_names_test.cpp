// Unit tests of mount_names.hpp: every key gets one printable file name, and only that name
// leads back to it.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "mount_catalog.hpp"
#include "mount_names.hpp"

using namespace infinitree::cli;

namespace {

std::optional<std::string> key_of(const std::string& name) {
  auto d = decode_name(name);
  if (!d || d->long_name) return std::nullopt;
  return d->key;
}

}  // namespace

TEST(CliMountNames, PlainNamesAndUtf8StayAsTheyAre) {
  EXPECT_EQ(encode_name("notes.txt"), "notes.txt");
  EXPECT_EQ(encode_name("a key with spaces"), "a key with spaces");
  EXPECT_EQ(encode_name("caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(encode_name(".hidden"), ".hidden");
  EXPECT_EQ(encode_name("..."), "...");
}

TEST(CliMountNames, WhatNoFileNameCanHoldIsEscaped) {
  EXPECT_EQ(encode_name(""), "%");
  EXPECT_EQ(encode_name("."), "%2E");
  EXPECT_EQ(encode_name(".."), "%2E%2E");
  EXPECT_EQ(encode_name("a/b"), "a%2Fb");
  EXPECT_EQ(encode_name("100%"), "100%25");
  EXPECT_EQ(encode_name(std::string("nul\0x", 5)), "nul%00x");
  EXPECT_EQ(encode_name("tab\tnl\n"), "tab%09nl%0A");
  EXPECT_EQ(encode_name("del\x7f"), "del%7F");
  EXPECT_EQ(encode_name("\xff\xc3"), "%FF%C3");                 // not UTF-8
  EXPECT_EQ(encode_name("txt.\xe2\x80\xae" "exe"), "txt.%E2%80%AEexe");  // a bidi override
  EXPECT_EQ(encode_name("\xc2\x9b"), "%C2%9B");                 // a C1 control
}

TEST(CliMountNames, EveryKeyRoundTrips) {
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::string key(rng() % 40, '\0');
    for (auto& c : key) c = static_cast<char>(rng() % 4 == 0 ? 0x20 + rng() % 95 : rng() % 256);
    const std::string name = encode_name(key);
    ASSERT_LE(name.size(), kMaxFileName);
    ASSERT_EQ(name.find('/'), std::string::npos);
    ASSERT_EQ(name.find('\0'), std::string::npos);
    ASSERT_NE(name, ".");
    ASSERT_NE(name, "..");
    ASSERT_EQ(key_of(name), key) << name;
  }
  EXPECT_EQ(key_of("%"), "");
  EXPECT_EQ(key_of("%2E%2E"), "..");
}

TEST(CliMountNames, OnlyTheCanonicalNameNamesAKey) {
  EXPECT_EQ(decode_name("%41"), std::nullopt);    // "A" is named A
  EXPECT_EQ(decode_name("%2f"), std::nullopt);    // lower-case hex
  EXPECT_EQ(decode_name("%4"), std::nullopt);     // cut short
  EXPECT_EQ(decode_name("50%"), std::nullopt);
  EXPECT_EQ(decode_name("%zz"), std::nullopt);
  EXPECT_EQ(decode_name("%2E."), std::nullopt);   // "..": only %2E%2E
  EXPECT_EQ(decode_name(""), std::nullopt);
  EXPECT_EQ(decode_name(std::string(256, 'a')), std::nullopt);
}

TEST(CliMountNames, LongKeysGetAShortUniqueName) {
  const std::string a(300, 'a'), b = std::string(299, 'a') + "b";
  const std::string na = encode_name(a), nb = encode_name(b);
  EXPECT_LE(na.size(), kMaxFileName);
  EXPECT_NE(na, nb);
  EXPECT_EQ(na.substr(0, kLongNamePrefix), std::string(kLongNamePrefix, 'a'));
  EXPECT_EQ(na.substr(kLongNamePrefix, 2), "%~");
  auto d = decode_name(na);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->long_name);
  EXPECT_EQ(d->key, std::string(kLongNamePrefix, 'a'));  // the prefix every candidate has
  // An escape is never cut in half.
  const std::string ctl(300, '\x01');
  const std::string nc = encode_name(ctl);
  EXPECT_LE(nc.size(), kMaxFileName);
  auto dc = decode_name(nc);
  ASSERT_TRUE(dc);
  EXPECT_EQ(dc->key, std::string(66, '\x01'));  // 66 escapes: 198 bytes
  // The longest name that fits is not shortened.
  EXPECT_EQ(encode_name(std::string(255, 'k')), std::string(255, 'k'));
  EXPECT_NE(encode_name(std::string(256, 'k')).find("%~"), std::string::npos);
}

TEST(CliMountNames, SnapshotsAreNamedByTheirUtcTime) {
  EXPECT_EQ(snapshot_time_name(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(snapshot_time_name(1796111515999), "2026-12-01T07:51:55Z");  // milliseconds dropped
  EXPECT_EQ(snapshot_time_name(-1), "1969-12-31T23:59:59Z");
}
