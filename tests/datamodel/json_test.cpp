// JSON documents in and out of tuple spaces: round trips of a varied document set must give
// exactly nlohmann-json's canonical (sorted, compact) text of the input; bad input and
// entries that are not a document are invalid_argument.
#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "infinitree/json.hpp"
#include "infinitree/key_codec.hpp"
#include "infinitree/tuple_space.hpp"

using namespace infinitree;
using json = nlohmann::json;

namespace {

OpenOptions small_nodes() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.target_node_bytes = 512;
  return o;
}

std::vector<std::string> documents() {
  std::vector<std::string> docs = {
      R"({"name":"plant","tags":["green","leafy"],"height_cm":42,"ok":true,"none":null})",
      R"({"unicode":"héllo wörld ✓ 𝄞 中文","esc":"quote \" backslash \\ nul \u0000 tab \t","":"empty name"})",
      R"([1,-1,0,9223372036854775807,-9223372036854775808,18446744073709551615])",
      R"([1.7976931348623157e308,-1.7976931348623157e308,5e-324,-0.0,0.1,1.0,2.5e-10])",
      R"({"empty_obj":{},"empty_arr":[],"nested_empty":[[],{},[{}]],"z":{"a":{}}})",
      R"("just a string")",
      R"(12345)",
      R"(null)",
      R"([])",
      R"({})",
  };
  // Deep nesting, alternating objects and arrays.
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += i % 2 ? "[" : "{\"k" + std::to_string(i) + "\":";
  deep += "\"bottom\"";
  for (int i = 299; i >= 0; --i) deep += i % 2 ? "]" : "}";
  docs.push_back(deep);
  // A large array of objects with random numbers.
  std::mt19937_64 rng(5);
  json big = json::array();
  for (int i = 0; i < 20000; ++i)
    big.push_back({{"i", i}, {"r", static_cast<int64_t>(rng())}, {"f", std::ldexp(double(rng() % 1000), -int(rng() % 60))}});
  docs.push_back(big.dump());
  return docs;
}

std::string round_trip(Map& m, std::string_view prefix, const std::string& doc) {
  std::istringstream in(doc);
  import_json(m, prefix, in);
  std::ostringstream out;
  uint64_t n = export_json(m, prefix, out);
  EXPECT_EQ(n, out.str().size());
  return out.str();
}

}  // namespace

TEST(Json, RoundTripsEqualTheCanonicalForm) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  auto m = tree->map("docs");
  auto docs = documents();
  for (size_t i = 0; i < docs.size(); ++i) {
    std::string canonical = json::parse(docs[i]).dump();
    std::string prefix = keys::encode(std::tuple{std::string("doc"), int64_t(i)});
    ASSERT_EQ(round_trip(m, prefix, docs[i]), canonical) << "document " << i;
  }
  // Each document is its own subspace; committed, they read back the same from a checkout.
  auto c = tree->commit("docs");
  auto old = tree->checkout(c->id)->map("docs");
  for (size_t i = 0; i < docs.size(); ++i) {
    std::ostringstream out;
    export_json(old, keys::encode(std::tuple{std::string("doc"), int64_t(i)}), out);
    ASSERT_EQ(out.str(), json::parse(docs[i]).dump()) << "document " << i;
  }
  // Importing again replaces the document, it does not merge.
  std::string p0 = keys::encode(std::tuple{std::string("doc"), int64_t(0)});
  EXPECT_EQ(round_trip(m, p0, R"({"b":1})"), R"({"b":1})");
}

TEST(Json, BadInputAndForeignEntriesAreInvalidArgument) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", small_nodes());
  auto m = tree->map("docs");
  auto code_of = [](auto&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return Errc::ok;
  };
  for (const char* bad : {"{", "[1,]", "{\"a\" 1}", "nul", "\"unterminated", ""}) {
    std::istringstream in(bad);
    EXPECT_EQ(code_of([&] { import_json(m, "x", in); }), Errc::invalid_argument) << bad;
  }
  std::ostringstream out;
  EXPECT_EQ(code_of([&] { export_json(m, "nothing-here", out); }), Errc::not_found);
  // Entries that are not a document: a bytes key component, a gap in an array, a path that
  // is both a scalar and a container.
  auto m2 = tree->map("raw");
  std::string v = keys::encode(int64_t{1});
  m2.put(keys::encode(std::string("a")) + keys::encode(true), v);
  EXPECT_EQ(code_of([&] { export_json(m2, "", out); }), Errc::invalid_argument);
  m2.clear();
  m2.put(keys::encode(uint64_t{0}), v);
  m2.put(keys::encode(uint64_t{2}), v);
  EXPECT_EQ(code_of([&] { export_json(m2, "", out); }), Errc::invalid_argument);
  m2.clear();
  m2.put(keys::encode(std::string("a")), v);
  m2.put(keys::encode(std::tuple{std::string("a"), std::string("b")}), v);
  EXPECT_EQ(code_of([&] { export_json(m2, "", out); }), Errc::invalid_argument);
  m2.clear();
  m2.put(keys::encode(std::string("a")), "not an encoded scalar \xff");
  EXPECT_EQ(code_of([&] { export_json(m2, "", out); }), Errc::invalid_argument);
}
