// Multi-map pairs as tuple keys: key_prefix(k) is enc(bytes k) plus the bytes tag of the
// value component. The tag matters: enc("a") = 01 61 00 is a prefix of enc("a\0") =
// 01 61 00 FF 00, but the byte after enc("a") in a pair of "a" is the tag 0x01, while in a
// pair of "a\0" it is 0xFF, so the prefix selects exactly the pairs of one key.
#include "infinitree/multimap.hpp"

#include "infinitree/key_codec.hpp"
#include "infinitree/tuple_space.hpp"

namespace infinitree {

std::string MultiMap::key_prefix(std::string_view key) {
  std::string out;
  keys::append_bytes(out, key);
  out.push_back(static_cast<char>(keys::kBytes));
  return out;
}

std::string MultiMap::pair_key(std::string_view key, std::string_view value) {
  std::string out;
  keys::append_bytes(out, key);
  keys::append_bytes(out, value);
  return out;
}

std::string MultiMap::value_of(std::string_view stored) {
  // A pair key is (bytes key, bytes value); a values() view key is (bytes value).
  keys::Decoded d = keys::decode(stored);
  bool ok = d.parts.size() == 1 || d.parts.size() == 2;
  for (size_t i = 0; ok && i < d.parts.size(); ++i) ok = d.tags[i] == keys::kBytes && !d.descending[i];
  if (ok) return std::get<std::string>(d.parts.back());
  throw Error(Errc::invalid_argument, "not a multi-map pair key");
}

bool MultiMap::put(std::string_view key, std::string_view value) {
  return map_.put_if_absent(pair_key(key, value), "");
}

std::vector<std::string> MultiMap::get_all(std::string_view key) const {
  std::vector<std::string> out;
  map_.scan_prefix(key_prefix(key), [&](std::string_view k, std::string_view) {
    out.push_back(value_of(k));
    return true;
  });
  return out;
}

uint64_t MultiMap::count(std::string_view key) const { return count_subspace(map_, key_prefix(key)); }

bool MultiMap::contains(std::string_view key, std::string_view value) const {
  return map_.contains(pair_key(key, value));
}

bool MultiMap::remove_one(std::string_view key, std::string_view value) {
  return map_.erase(pair_key(key, value));
}

uint64_t MultiMap::remove_all(std::string_view key) { return erase_subspace(map_, key_prefix(key)); }

ViewPtr MultiMap::values(std::string_view key) const {
  // The prefix view strips enc(key) but keeps the value's tag, so its keys are enc(value).
  std::string enc_key;
  keys::append_bytes(enc_key, key);
  return range_view(prefix_view(map_view(map_), enc_key),
                    ViewBound::closed(std::string(1, static_cast<char>(keys::kBytes))),
                    ViewBound::open(std::string(1, static_cast<char>(keys::kBytes + 1))));
}

}  // namespace infinitree
