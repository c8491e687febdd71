// The key codec's time component and descending wrapper: order preserved, round trips,
// bad encodings rejected with invalid_argument.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>

#include "infinitree/error.hpp"
#include "infinitree/key_codec.hpp"

using namespace infinitree;

namespace {
std::string desc_of(const std::string& one) {
  std::string out;
  keys::append_descending(out, one);
  return out;
}
std::string time_key(int64_t us) {
  std::string out;
  keys::append_time(out, us);
  return out;
}
}  // namespace

TEST(KeyCodecTime, SortsByInstantAndRoundTrips) {
  std::mt19937_64 rng(5);
  std::vector<int64_t> v = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX, 1700000000000000};
  for (int i = 0; i < 2000; ++i) v.push_back(static_cast<int64_t>(rng()));
  std::vector<std::pair<std::string, int64_t>> enc;
  for (auto t : v) enc.emplace_back(time_key(t), t);
  std::sort(enc.begin(), enc.end());
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < v.size(); ++i) {
    ASSERT_EQ(enc[i].second, v[i]);
    auto d = keys::decode(enc[i].first);
    ASSERT_EQ(d.tags.at(0), keys::kTime);
    ASSERT_EQ(std::get<int64_t>(d.parts[0]), v[i]);
    ASSERT_FALSE(d.descending[0]);
  }
}

TEST(KeyCodecTime, ChronoTimePointsEncodeAsMicroseconds) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds(1234)};
  EXPECT_EQ(keys::encode(t), time_key(1234000));
  // A time is its own type: it never equals the integer with the same count.
  EXPECT_NE(keys::encode(sys_time<microseconds>{microseconds(5)}), keys::encode(int64_t{5}));
}

TEST(KeyCodecDescending, ReversesOrderOfEveryType) {
  std::mt19937_64 rng(6);
  // Components of one type each; strings include NUL bytes and prefixes of each other.
  std::vector<std::vector<std::string>> groups(6);
  for (int i = 0; i < 300; ++i) {
    auto x = static_cast<int64_t>(rng());
    groups[0].push_back(keys::encode(x));
    groups[1].push_back(time_key(x));
    double d;
    uint64_t bits = rng();
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isnan(d)) groups[2].push_back(keys::encode(d));
    std::string s;
    for (size_t n = rng() % 4; n > 0; --n) s.push_back("\0\1a\xff"[rng() % 4]);
    groups[3].push_back(keys::encode(s));
    std::string b;
    keys::append_bytes(b, s);
    groups[4].push_back(b);
  }
  groups[5] = {keys::encode(false), keys::encode(true), std::string(1, '\0')};
  for (auto& g : groups) {
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    std::vector<std::string> d;
    for (auto& c : g) d.push_back(desc_of(c));
    // Ascending order of the wrapped encodings is the reverse of the plain ones.
    for (size_t i = 1; i < d.size(); ++i) ASSERT_LT(d[i], d[i - 1]) << i;
  }
}

TEST(KeyCodecDescending, TuplesMixAscendingAndDescendingComponents) {
  // ("log", desc(t), seq): newest time first, then ascending sequence.
  auto key = [](const std::string& name, int64_t t, int64_t seq) {
    std::string k = keys::encode(name);
    keys::append_descending(k, time_key(t));
    keys::append_int(k, seq);
    return k;
  };
  EXPECT_LT(key("log", 200, 5), key("log", 100, 1));
  EXPECT_LT(key("log", 100, 1), key("log", 100, 2));
  // A descending string followed by more components: "a" then "a\0" reversed.
  std::string a = desc_of(keys::encode(std::string("a"))), a0 = desc_of(keys::encode(std::string("a\0", 2)));
  EXPECT_LT(a0 + keys::encode(int64_t{0}), a + keys::encode(int64_t{0}));
  auto d = keys::decode(key("log", -7, 3));
  ASSERT_EQ(d.parts.size(), 3u);
  EXPECT_EQ(std::get<std::string>(d.parts[0]), "log");
  EXPECT_EQ(d.tags[1], keys::kTime);
  EXPECT_TRUE(d.descending[1]);
  EXPECT_EQ(std::get<int64_t>(d.parts[1]), -7);
  EXPECT_FALSE(d.descending[2]);
  EXPECT_EQ(std::get<int64_t>(d.parts[2]), 3);
  auto s = keys::decode(a0 + keys::encode(true));
  EXPECT_EQ(std::get<std::string>(s.parts[0]), std::string("a\0", 2));
  EXPECT_TRUE(s.descending[0]);
  EXPECT_EQ(s.tags[1], keys::kTrue);
}

TEST(KeyCodecDescending, TypedWrapperMatchesTheByteForm) {
  EXPECT_EQ(keys::encode(std::tuple{std::string("x"), keys::desc(int64_t{9})}),
            keys::encode(std::string("x")) + desc_of(keys::encode(int64_t{9})));
}

TEST(KeyCodecDescending, RejectsWhatItCannotWrapOrDecode) {
  auto invalid = [](auto&& fn) {
    try {
      fn();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::invalid_argument);
    }
  };
  invalid([] { desc_of(keys::encode(int64_t{1}) + keys::encode(int64_t{2})); });  // two parts
  invalid([] { desc_of(""); });                                                  // none
  invalid([] { desc_of(desc_of(keys::encode(int64_t{1}))); });                   // nested
  invalid([] { keys::decode(std::string("\x40", 1)); });                         // no body
  // The same from a buffer that ends exactly there (a std::string has a NUL past its end,
  // which hid a read past the end from ASan; fuzz_key_codec found it).
  invalid([] {
    auto exact = std::make_unique<char[]>(1);
    exact[0] = '\x40';
    keys::decode(std::string_view(exact.get(), 1));
  });
  invalid([] { keys::decode(std::string("\x40\xfd\x9e", 3)); });                 // unterminated
  invalid([] { keys::decode(std::string("\x40\xfd\x9e\xff\xf0", 5)); });          // bad terminator
  invalid([] { keys::decode(std::string("\x30\x01", 2)); });                     // short time
}
