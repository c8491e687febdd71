// The typed layer: key order matches value order for every supported key type, and values
// round-trip through msgpack.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <random>

#include "infinitree/typed.hpp"

using namespace infinitree;

namespace {
template <typename T>
void expect_order_preserved(std::vector<T> values) {
  std::vector<std::pair<std::string, T>> encoded;
  for (auto& v : values) encoded.emplace_back(keys::encode(v), v);
  std::sort(encoded.begin(), encoded.end(),
            [](auto& a, auto& b) { return a.first < b.first; });  // bytewise
  std::sort(values.begin(), values.end());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(encoded[i].second, values[i]) << i;
}
}  // namespace

TEST(KeyCodec, IntegersSortByValue) {
  std::mt19937_64 rng(1);
  std::vector<int64_t> v = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX, -256, 255, 256};
  for (int i = 0; i < 2000; ++i) v.push_back(static_cast<int64_t>(rng()));
  expect_order_preserved(v);
  std::vector<uint64_t> u = {0, 1, UINT64_MAX, 1ull << 63};
  for (int i = 0; i < 2000; ++i) u.push_back(rng());
  expect_order_preserved(u);
  // Signed and unsigned of the same value encode the same way.
  EXPECT_EQ(keys::encode(int64_t{42}), keys::encode(uint64_t{42}));
}

TEST(KeyCodec, StringsSortBytewiseEvenWithNulBytes) {
  std::vector<std::string> v = {"", "a", "ab", "b", std::string("a\0", 2), std::string("a\0b", 3),
                                "\xff", std::string("\0", 1), "abc", "ab\xff"};
  std::mt19937 rng(2);
  for (int i = 0; i < 1000; ++i) {
    std::string s(rng() % 6, '\0');
    for (auto& c : s) c = static_cast<char>("\0\1a\xff"[rng() % 4]);
    v.push_back(s);
  }
  expect_order_preserved(v);
}

TEST(KeyCodec, TuplesSortComponentByComponent) {
  std::vector<std::tuple<std::string, int64_t>> v;
  std::mt19937 rng(3);
  for (int i = 0; i < 1000; ++i)
    v.emplace_back(std::string(rng() % 3, static_cast<char>('a' + rng() % 2)),
                   static_cast<int64_t>(rng() % 100) - 50);
  expect_order_preserved(v);
}

TEST(KeyCodec, DoublesSortNumerically) {
  std::vector<double> v = {-1e300, -1.5, -0.0, 0.0, 1e-300, 1.5, 1e300};
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  for (int i = 0; i < 1000; ++i) v.push_back(d(rng));
  std::vector<std::pair<std::string, double>> enc;
  for (double x : v) enc.emplace_back(keys::encode(x), x);
  std::sort(enc.begin(), enc.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (size_t i = 1; i < enc.size(); ++i) EXPECT_LE(enc[i - 1].second, enc[i].second);
}

TEST(KeyCodec, DecodeRoundTripsAndRejectsGarbage) {
  std::string k = keys::encode(std::make_tuple(std::string("x\0y", 3), int64_t{-7}, uint64_t{9}, true));
  auto d = keys::decode(k);
  ASSERT_EQ(d.parts.size(), 4u);
  EXPECT_EQ(std::get<std::string>(d.parts[0]), std::string("x\0y", 3));
  EXPECT_EQ(std::get<int64_t>(d.parts[1]), -7);
  EXPECT_EQ(std::get<int64_t>(d.parts[2]), 9);
  EXPECT_EQ(std::get<bool>(d.parts[3]), true);
  EXPECT_THROW(keys::decode("\x14\x01"), Error);
  EXPECT_THROW(keys::decode("\x02unterminated"), Error);
  EXPECT_THROW(keys::decode("\x99"), Error);
}

namespace {
struct Reading {
  std::string plant;
  double moisture = 0;
  std::vector<int> leaves;
  MSGPACK_DEFINE(plant, moisture, leaves);
  bool operator==(const Reading&) const = default;
};
}  // namespace

TEST(Typed, MapsSetsListsValuesRoundTrip) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  auto backend = make_memory_backend();
  {
    auto t = Tree::create(backend, "u", "p", o);
    VersionedMap<int64_t, Reading> readings(t->map("readings"));
    for (int64_t id : {5, -3, 100, 0}) readings.put(id, {"plant" + std::to_string(id), id * 0.5, {1, 2}});
    TypedSet<std::tuple<std::string, int>> s(t->set("pairs"));
    s.insert({"b", 1});
    s.insert({"a", 2});
    TypedList<std::string> l(t->list("log"));
    l.push_back("first");
    TypedValue<std::map<std::string, int>> v(t->value("counts"));
    v.set({{"x", 1}});
    t->commit("typed");
  }
  auto t = Tree::open(backend, "u", "p", o);
  VersionedMap<int64_t, Reading> readings(t->map("readings"));
  std::vector<int64_t> order;
  readings.for_each([&](const int64_t& k, const Reading& r) {
    order.push_back(k);
    EXPECT_EQ(r.plant, "plant" + std::to_string(k));
    return true;
  });
  EXPECT_EQ(order, (std::vector<int64_t>{-3, 0, 5, 100}));
  EXPECT_EQ(readings.get(5)->leaves, (std::vector<int>{1, 2}));
  auto wet = readings.select([](const int64_t&, const Reading& r) { return r.moisture > 1; });
  ASSERT_EQ(wet.size(), 2u);
  EXPECT_EQ(wet[0].first, 5);
  std::vector<std::tuple<std::string, int>> pairs;
  TypedSet<std::tuple<std::string, int>>(t->set("pairs")).for_each([&](auto& k) {
    pairs.push_back(k);
    return true;
  });
  EXPECT_EQ(std::get<0>(pairs[0]), "a");
  EXPECT_EQ(TypedList<std::string>(t->list("log")).at(0), "first");
  auto counts = TypedValue<std::map<std::string, int>>(t->value("counts")).get();
  EXPECT_EQ(counts->at("x"), 1);
  // Reading with the wrong type is a clear error, not a crash.
  VersionedMap<int64_t, int> wrong(t->map("readings"));
  EXPECT_THROW(wrong.get(5), Error);
}

TEST(Typed, ForEachFromAndInVisitKeyOrderRangesAndStopWhenAsked) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  auto t = Tree::create(make_memory_backend(), "u", "p", o);
  VersionedMap<int64_t, std::string> m(t->map("m"));
  for (int64_t k : {40, -7, 3, 0, -100, 12, 25}) m.put(k, "v" + std::to_string(k));
  auto keys_of = [&](auto&& visit) {
    std::vector<int64_t> seen;
    visit([&](const int64_t& k, const std::string& v) {
      EXPECT_EQ(v, "v" + std::to_string(k));
      seen.push_back(k);
      return true;
    });
    return seen;
  };
  using Fn = std::function<bool(const int64_t&, const std::string&)>;
  // From a key that is not there: the next one in key order (negative keys sort first).
  EXPECT_EQ(keys_of([&](const Fn& fn) { m.for_each_from(-8, fn); }),
            (std::vector<int64_t>{-7, 0, 3, 12, 25, 40}));
  EXPECT_EQ(keys_of([&](const Fn& fn) { m.for_each_from(41, fn); }), (std::vector<int64_t>{}));
  // [from, to): `from` included, `to` not.
  EXPECT_EQ(keys_of([&](const Fn& fn) { m.for_each_in(-7, 25, fn); }),
            (std::vector<int64_t>{-7, 0, 3, 12}));
  EXPECT_EQ(keys_of([&](const Fn& fn) { m.for_each_in(3, 3, fn); }), (std::vector<int64_t>{}));
  // Returning false stops the walk.
  std::vector<int64_t> two;
  m.for_each_from(0, [&](const int64_t& k, const std::string&) {
    two.push_back(k);
    return two.size() < 2;
  });
  EXPECT_EQ(two, (std::vector<int64_t>{0, 3}));
  // Tuple keys: a range over the first component takes every second component.
  VersionedMap<std::tuple<std::string, int64_t>, int> events(t->map("events"));
  events.put({"a", 2}, 1);
  events.put({"b", -1}, 2);
  events.put({"b", 9}, 3);
  events.put({"c", 0}, 4);
  std::vector<int> in_b;
  events.for_each_in({"b", INT64_MIN}, {"c", INT64_MIN}, [&](const auto&, const int& v) {
    in_b.push_back(v);
    return true;
  });
  EXPECT_EQ(in_b, (std::vector<int>{2, 3}));
}
