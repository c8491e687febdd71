// msgpack <-> JSON text (docs/data-model.md, "Typed schema"): the bindings build a typed
// value as JSON with their own standard library and let the library's msgpack-cxx write it,
// so Python and Go store exactly the bytes C++'s TypedValue / VersionedMap store
// (msgpack::pack of the C++ value) and need no msgpack package of their own.
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "capi_internal.hpp"
#include "infinitree/bounded_unpack.hpp"

using namespace capi;
using nlohmann::json;

namespace {

// As deep as bounded_unpack lets a stored value be, so every encoded value decodes again.
constexpr int kMaxDepth = 64;

[[noreturn]] void invalid(const std::string& what) {
  throw infinitree::Error(infinitree::Errc::invalid_argument, what);
}

// Each JSON value is packed the way msgpack-cxx packs the C++ type it stands for (an integer
// as int64/uint64, a number with a fraction or exponent as a double, a string as str, an
// array as an array, an object as a map in bytewise key order like std::map), so the bytes
// equal msgpack::pack of the C++ value: msgpack-cxx picks the shortest form of an integer
// whatever its C++ width, and writes a double as float64.
void pack(msgpack::packer<msgpack::sbuffer>& pk, const json& j, int depth) {
  if (depth > kMaxDepth) invalid("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
  switch (j.type()) {
    case json::value_t::null:
      pk.pack_nil();
      return;
    case json::value_t::boolean:
      j.get<bool>() ? pk.pack_true() : pk.pack_false();
      return;
    case json::value_t::number_integer:
      pk.pack_int64(j.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      pk.pack_uint64(j.get<uint64_t>());
      return;
    case json::value_t::number_float: {
      double d = j.get<double>();
      if (!std::isfinite(d)) invalid("a JSON number is out of the float64 range");
      pk.pack_double(d);
      return;
    }
    case json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      pk.pack_str(static_cast<uint32_t>(s.size()));
      pk.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
      return;
    }
    case json::value_t::array:
      pk.pack_array(static_cast<uint32_t>(j.size()));
      for (const auto& e : j) pack(pk, e, depth + 1);
      return;
    case json::value_t::object:
      pk.pack_map(static_cast<uint32_t>(j.size()));
      for (const auto& [k, v] : j.items()) {
        pk.pack_str(static_cast<uint32_t>(k.size()));
        pk.pack_str_body(k.data(), static_cast<uint32_t>(k.size()));
        pack(pk, v, depth + 1);
      }
      return;
    default:  // binary and discarded values do not come out of the parser
      invalid("a JSON value of an unsupported type");
  }
}

json to_json(const msgpack::object& o) {
  switch (o.type) {
    case msgpack::type::NIL:
      return nullptr;
    case msgpack::type::BOOLEAN:
      return o.via.boolean;
    case msgpack::type::POSITIVE_INTEGER:
      return o.via.u64;
    case msgpack::type::NEGATIVE_INTEGER:
      return o.via.i64;
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      // JSON has no NaN or infinity (nlohmann would write null: a silent change of value).
      if (!std::isfinite(o.via.f64)) invalid("msgpack holds a NaN or infinite float, which JSON cannot express");
      return o.via.f64;
    case msgpack::type::STR:
      return std::string(o.via.str.ptr, o.via.str.size);
    case msgpack::type::ARRAY: {
      json a = json::array();
      for (uint32_t i = 0; i < o.via.array.size; ++i) a.push_back(to_json(o.via.array.ptr[i]));
      return a;
    }
    case msgpack::type::MAP: {
      json m = json::object();
      for (uint32_t i = 0; i < o.via.map.size; ++i) {
        const auto& kv = o.via.map.ptr[i];
        if (kv.key.type != msgpack::type::STR) invalid("msgpack map key is not a string, which JSON cannot express");
        std::string k(kv.key.via.str.ptr, kv.key.via.str.size);
        if (m.contains(k)) invalid("msgpack map repeats the key \"" + k + "\"");
        m[k] = to_json(kv.val);
      }
      return m;
    }
    default:  // BIN and EXT (e.g. a std::chrono time point's timestamp)
      invalid("msgpack bin or ext value, which JSON cannot express");
  }
}

}  // namespace

extern "C" {

int it_msgpack_encode(const void* json_text, size_t json_len, it_buf* out) {
  return guard([&]() -> int {
    auto text = bytes(json_text, json_len, "json");
    need(out, "out");
    json j;
    try {
      j = json::parse(text);
    } catch (const json::exception& e) {
      invalid(std::string("not JSON: ") + e.what());
    }
    msgpack::sbuffer buf;
    msgpack::packer<msgpack::sbuffer> pk(buf);
    pack(pk, j, 0);
    to_buf(out, std::string_view(buf.data(), buf.size()));
    return IT_OK;
  });
}

int it_msgpack_decode(const void* msgpack_bytes, size_t msgpack_len, it_buf* out) {
  return guard([&]() -> int {
    auto in = bytes(msgpack_bytes, msgpack_len, "msgpack");
    need(out, "out");
    std::string text;
    try {
      msgpack::object_handle oh = infinitree::bounded_unpack_all(in.data(), in.size());
      text = to_json(oh.get()).dump();  // strict UTF-8: invalid text throws
    } catch (const msgpack::unpack_error& e) {
      invalid(std::string("not msgpack: ") + e.what());
    } catch (const json::exception& e) {
      invalid(std::string("msgpack string is not UTF-8: ") + e.what());
    }
    to_buf(out, text);
    return IT_OK;
  });
}

}  // extern "C"
