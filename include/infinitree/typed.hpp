// Typed fields over the byte-string API: keys through the order-preserving key encoding
// (infinitree/key_codec.hpp), values through msgpack-cxx (any type with MSGPACK_DEFINE or
// a msgpack adaptor).
//
// This is the only public header that includes <msgpack.hpp> (through bounded_unpack.hpp):
// the templates below pack and unpack the caller's own types, so msgpack-cxx must be
// visible where they are instantiated. A program that includes only infinitree/tree.hpp
// does not need msgpack-cxx installed.
//
//   struct Reading { std::string plant; double moisture; MSGPACK_DEFINE(plant, moisture); };
//   VersionedMap<uint64_t, Reading> readings(tree->map("readings"));
//   readings.put(7, {"fern", 0.42});
//   std::optional<Reading> r = readings.get(7);
#pragma once

#include "infinitree/bounded_unpack.hpp"

#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

#include "infinitree/key_codec.hpp"
#include "infinitree/tree.hpp"

namespace infinitree {

namespace typed_detail {

template <typename V>
std::string pack(const V& value) {
  msgpack::sbuffer buf;
  msgpack::pack(buf, value);
  return std::string(buf.data(), buf.size());
}

// A stored value is at most a map value's size, but msgpack's default limits would let a
// few hostile bytes ask for gigabytes: bounded_unpack keeps allocation proportional to the
// value's size whatever its contents.
template <typename V>
V unpack(std::string_view bytes) {
  try {
    msgpack::object_handle oh = bounded_unpack_all(bytes.data(), bytes.size());
    return oh.get().as<V>();
  } catch (const std::exception& e) {
    throw Error(Errc::invalid_argument,
                std::string("stored value does not decode as the requested type: ") + e.what());
  }
}

template <typename T>
struct is_tuple : std::false_type {};
template <typename... Ts>
struct is_tuple<std::tuple<Ts...>> : std::true_type {};

template <typename T>
T component_as(const keys::Component& c) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto* s = std::get_if<std::string>(&c)) return *s;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto* b = std::get_if<bool>(&c)) return *b;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (auto* d = std::get_if<double>(&c)) return static_cast<T>(*d);
  } else if constexpr (std::is_integral_v<T>) {
    if (auto* i = std::get_if<int64_t>(&c)) return static_cast<T>(*i);
    if (auto* u = std::get_if<uint64_t>(&c)) return static_cast<T>(*u);
  }
  throw Error(Errc::invalid_argument, "stored key does not decode as the requested key type");
}

template <typename K>
K decode_key(std::string_view encoded) {
  keys::Decoded d = keys::decode(encoded);
  if constexpr (is_tuple<K>::value) {
    if (d.parts.size() != std::tuple_size_v<K>)
      throw Error(Errc::invalid_argument, "stored key has a different number of components");
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return K{component_as<std::tuple_element_t<I, K>>(d.parts[I])...};
    }(std::make_index_sequence<std::tuple_size_v<K>>{});
  } else {
    if (d.parts.size() != 1)
      throw Error(Errc::invalid_argument, "stored key is not a single component");
    return component_as<K>(d.parts[0]);
  }
}

}  // namespace typed_detail

// A map from K to V whose iteration order is K's natural order.
template <typename K, typename V>
class VersionedMap {
 public:
  explicit VersionedMap(Map map) : map_(std::move(map)) {}

  std::optional<V> get(const K& key) const {
    auto raw = map_.get(keys::encode(key));
    if (!raw) return std::nullopt;
    return typed_detail::unpack<V>(*raw);
  }
  void put(const K& key, const V& value) { map_.put(keys::encode(key), typed_detail::pack(value)); }
  bool insert(const K& key, const V& value) {
    return map_.put_if_absent(keys::encode(key), typed_detail::pack(value));
  }
  bool erase(const K& key) { return map_.erase(keys::encode(key)); }
  bool contains(const K& key) const { return map_.contains(keys::encode(key)); }
  uint64_t size() const { return map_.size(); }

  // Calls fn(key, value) for every entry in key order while it returns true.
  void for_each(const std::function<bool(const K&, const V&)>& fn) const {
    map_.scan({}, {}, [&](std::string_view k, std::string_view v) {
      return fn(typed_detail::decode_key<K>(k), typed_detail::unpack<V>(v));
    });
  }
  // The same, from `from` (inclusive; it need not be present) to the end.
  void for_each_from(const K& from, const std::function<bool(const K&, const V&)>& fn) const {
    map_.scan(keys::encode(from), {}, [&](std::string_view k, std::string_view v) {
      return fn(typed_detail::decode_key<K>(k), typed_detail::unpack<V>(v));
    });
  }
  // The same over [from, to): `from` included, `to` excluded.
  void for_each_in(const K& from, const K& to, const std::function<bool(const K&, const V&)>& fn) const {
    map_.scan(keys::encode(from), keys::encode(to), [&](std::string_view k, std::string_view v) {
      return fn(typed_detail::decode_key<K>(k), typed_detail::unpack<V>(v));
    });
  }
  // Keeps, skips or stops: a query that never loads the whole map.
  template <typename Pred>
  std::vector<std::pair<K, V>> select(Pred&& pred, size_t limit = SIZE_MAX) const {
    std::vector<std::pair<K, V>> out;
    for_each([&](const K& k, const V& v) {
      if (pred(k, v)) out.emplace_back(k, v);
      return out.size() < limit;
    });
    return out;
  }

  Map& bytes() { return map_; }

 private:
  Map map_;
};

template <typename K>
class TypedSet {
 public:
  explicit TypedSet(Set set) : set_(std::move(set)) {}
  bool insert(const K& key) { return set_.insert(keys::encode(key)); }
  bool contains(const K& key) const { return set_.contains(keys::encode(key)); }
  bool erase(const K& key) { return set_.erase(keys::encode(key)); }
  uint64_t size() const { return set_.size(); }
  void for_each(const std::function<bool(const K&)>& fn) const {
    set_.scan({}, {}, [&](std::string_view k) { return fn(typed_detail::decode_key<K>(k)); });
  }

 private:
  Set set_;
};

template <typename T>
class TypedList {
 public:
  explicit TypedList(List list) : list_(std::move(list)) {}
  uint64_t push_back(const T& v) { return list_.push_back(typed_detail::pack(v)); }
  T at(uint64_t i) const { return typed_detail::unpack<T>(list_.at(i)); }
  void set(uint64_t i, const T& v) { list_.set(i, typed_detail::pack(v)); }
  uint64_t size() const { return list_.size(); }
  void for_each(const std::function<bool(uint64_t, const T&)>& fn) const {
    list_.for_each([&](uint64_t i, std::string_view v) { return fn(i, typed_detail::unpack<T>(v)); });
  }

 private:
  List list_;
};

template <typename T>
class TypedValue {
 public:
  explicit TypedValue(Value value) : value_(std::move(value)) {}
  std::optional<T> get() const {
    auto raw = value_.get();
    if (!raw) return std::nullopt;
    return typed_detail::unpack<T>(*raw);
  }
  void set(const T& v) { value_.set(typed_detail::pack(v)); }

 private:
  Value value_;
};

}  // namespace infinitree
