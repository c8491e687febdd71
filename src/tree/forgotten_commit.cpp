#include "tree/forgotten_commit.hpp"

#include "util/msgpack_util.hpp"

namespace infinitree {

Bytes ForgottenCommit::encode() const {
  mp::Buffer buf;
  mp::Packer pk(&buf);
  pk.pack_array(3);
  pk.pack_array(static_cast<uint32_t>(parents.size()));
  for (const auto& p : parents) mp::pack_bin(pk, std::string_view(p));
  pk.pack(sequence);
  pk.pack(time_ms);
  auto v = mp::view(buf);
  return Bytes(v.begin(), v.end());
}

ForgottenCommit ForgottenCommit::decode(ByteView bytes) {
  auto oh = mp::parse(bytes, "forgotten commit");
  const msgpack::object& a = oh.get();
  if (a.type != msgpack::type::ARRAY || a.via.array.size != 3 ||
      a.via.array.ptr[0].type != msgpack::type::ARRAY)
    mp::corrupt("forgotten commit", "bad layout");
  ForgottenCommit c;
  const msgpack::object& parents = a.via.array.ptr[0];
  for (uint32_t i = 0; i < parents.via.array.size; ++i) {
    std::string p = mp::as_bytes(parents.via.array.ptr[i], "forgotten commit");
    if (p.size() != 16) mp::corrupt("forgotten commit", "bad parent id");
    c.parents.push_back(std::move(p));
  }
  c.sequence = mp::as_u64(a.via.array.ptr[1], "forgotten commit");
  const msgpack::object& t = a.via.array.ptr[2];
  if (t.type != msgpack::type::POSITIVE_INTEGER && t.type != msgpack::type::NEGATIVE_INTEGER)
    mp::corrupt("forgotten commit", "bad time");
  c.time_ms = t.via.i64;
  return c;
}

}  // namespace infinitree
