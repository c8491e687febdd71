// The order-preserving key encoding (infinitree/key_codec.hpp) for C, Python and Go: one
// implementation, so every language builds byte-identical keys.
#include "capi_internal.hpp"
#include "infinitree/key_codec.hpp"

using namespace capi;
namespace keys = infinitree::keys;

struct it_key_builder {
  std::string encoded;
  bool descending = false;  // it_key_builder_set_descending: wrap each new component
};

struct it_key_parts {
  keys::Decoded decoded;
};

namespace {

template <typename F>
int add(it_key_builder* b, F&& append) {
  return guard([&]() -> int {
    need(b, "builder");
    if (!b->descending) {
      append(b->encoded);
      return IT_OK;
    }
    std::string one;
    append(one);
    keys::append_descending(b->encoded, one);
    return IT_OK;
  });
}

// Part i of a decoded key; not_found out of range.
const keys::Component& part(const it_key_parts* p, uint64_t i) {
  need(p, "parts");
  if (i >= p->decoded.parts.size()) throw Error(Errc::not_found, "key part index out of range");
  return p->decoded.parts[i];
}

it_key_type type_of(const it_key_parts* p, uint64_t i) {
  const auto& c = part(p, i);
  switch (p->decoded.tags[i]) {
    case keys::kNull: return IT_KEY_NULL;
    case keys::kBytes: return IT_KEY_BYTES;
    case keys::kString: return IT_KEY_STR;
    case keys::kNegInt: return IT_KEY_INT;
    case keys::kNonNegInt: return std::holds_alternative<uint64_t>(c) ? IT_KEY_UINT : IT_KEY_INT;
    case keys::kDouble: return IT_KEY_DOUBLE;
    case keys::kFalse:
    case keys::kTrue: return IT_KEY_BOOL;
    case keys::kTime: return IT_KEY_TIME;
    case keys::kDescending: break;  // decode() reports the wrapped type instead
  }
  throw Error(Errc::internal, "decoded key has an unknown tag");
}

Error wrong_type(uint64_t i) {
  return Error(Errc::invalid_argument, "key part " + std::to_string(i) + " has another type");
}

}  // namespace

extern "C" {

int it_key_builder_new(it_key_builder** out) {
  return guard([&]() -> int {
    need(out, "out");
    *out = new it_key_builder{};
    return IT_OK;
  });
}

int it_key_builder_add_int(it_key_builder* b, int64_t v) {
  return add(b, [&](std::string& s) { keys::append_int(s, v); });
}
int it_key_builder_add_uint(it_key_builder* b, uint64_t v) {
  return add(b, [&](std::string& s) { keys::append_uint(s, v); });
}
int it_key_builder_add_double(it_key_builder* b, double v) {
  return add(b, [&](std::string& s) { keys::append_double(s, v); });
}
int it_key_builder_add_str(it_key_builder* b, const char* str, size_t len) {
  return add(b, [&](std::string& s) { keys::append_string(s, bytes(str, len, "string")); });
}
int it_key_builder_add_bytes(it_key_builder* b, const void* p, size_t len) {
  return add(b, [&](std::string& s) { keys::append_bytes(s, bytes(p, len, "bytes")); });
}
int it_key_builder_add_bool(it_key_builder* b, int v) {
  return add(b, [&](std::string& s) { keys::append_bool(s, v != 0); });
}
int it_key_builder_add_null(it_key_builder* b) {
  return add(b, [&](std::string& s) { keys::append_null(s); });
}

int it_key_builder_add_time(it_key_builder* b, int64_t micros) {
  return add(b, [&](std::string& s) { keys::append_time(s, micros); });
}

int it_key_builder_set_descending(it_key_builder* b, int descending) {
  return guard([&]() -> int {
    need(b, "builder");
    b->descending = descending != 0;
    return IT_OK;
  });
}

int it_key_builder_finish(it_key_builder* b, it_buf* out) {
  return guard([&]() -> int {
    need(b, "builder");
    need(out, "out");
    to_buf(out, b->encoded);
    b->encoded.clear();
    return IT_OK;
  });
}

int it_key_builder_clear(it_key_builder* b) {
  return guard([&]() -> int {
    need(b, "builder");
    b->encoded.clear();
    return IT_OK;
  });
}

void it_key_builder_free(it_key_builder* b) { delete b; }

int it_key_decode(const void* key, size_t key_len, it_key_parts** out) {
  return guard([&]() -> int {
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    *out = new it_key_parts{keys::decode(k)};
    return IT_OK;
  });
}

int it_key_parts_count(const it_key_parts* parts, uint64_t* out) {
  return guard([&]() -> int {
    need(parts, "parts");
    need(out, "out");
    *out = parts->decoded.parts.size();
    return IT_OK;
  });
}

int it_key_parts_type(const it_key_parts* parts, uint64_t i, it_key_type* out) {
  return guard([&]() -> int {
    it_key_type t = type_of(parts, i);
    need(out, "out");
    *out = t;
    return IT_OK;
  });
}

int it_key_parts_int(const it_key_parts* parts, uint64_t i, int64_t* out) {
  return guard([&]() -> int {
    const auto& c = part(parts, i);
    need(out, "out");
    if (type_of(parts, i) != IT_KEY_INT) throw wrong_type(i);
    *out = std::get<int64_t>(c);
    return IT_OK;
  });
}

int it_key_parts_uint(const it_key_parts* parts, uint64_t i, uint64_t* out) {
  return guard([&]() -> int {
    const auto& c = part(parts, i);
    need(out, "out");
    int t = type_of(parts, i);
    if (t == IT_KEY_UINT) *out = std::get<uint64_t>(c);
    else if (t == IT_KEY_INT && std::get<int64_t>(c) >= 0) *out = static_cast<uint64_t>(std::get<int64_t>(c));
    else throw wrong_type(i);
    return IT_OK;
  });
}

int it_key_parts_double(const it_key_parts* parts, uint64_t i, double* out) {
  return guard([&]() -> int {
    const auto& c = part(parts, i);
    need(out, "out");
    if (type_of(parts, i) != IT_KEY_DOUBLE) throw wrong_type(i);
    *out = std::get<double>(c);
    return IT_OK;
  });
}

int it_key_parts_bool(const it_key_parts* parts, uint64_t i, int* out) {
  return guard([&]() -> int {
    const auto& c = part(parts, i);
    need(out, "out");
    if (type_of(parts, i) != IT_KEY_BOOL) throw wrong_type(i);
    *out = std::get<bool>(c) ? 1 : 0;
    return IT_OK;
  });
}

int it_key_parts_bytes(const it_key_parts* parts, uint64_t i, it_buf* out) {
  return guard([&]() -> int {
    const auto& c = part(parts, i);
    need(out, "out");
    int t = type_of(parts, i);
    if (t != IT_KEY_BYTES && t != IT_KEY_STR) throw wrong_type(i);
    to_buf(out, std::get<std::string>(c));
    return IT_OK;
  });
}

int it_key_parts_time(const it_key_parts* parts, uint64_t i, int64_t* out) {
  return guard([&]() -> int {
    const auto& c = part(parts, i);
    need(out, "out");
    if (type_of(parts, i) != IT_KEY_TIME) throw wrong_type(i);
    *out = std::get<int64_t>(c);
    return IT_OK;
  });
}

int it_key_parts_is_descending(const it_key_parts* parts, uint64_t i, int* out) {
  return guard([&]() -> int {
    part(parts, i);
    need(out, "out");
    *out = parts->decoded.descending[i] ? 1 : 0;
    return IT_OK;
  });
}

void it_key_parts_free(it_key_parts* parts) { delete parts; }

}  // extern "C"
