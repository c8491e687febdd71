#include "tree/pending_deletions.hpp"

#include <chrono>
#include <cstring>

#include "util/msgpack_util.hpp"

namespace infinitree {

Bytes encode_pending(const std::vector<PendingDeletion>& list) {
  mp::Buffer buf;
  mp::Packer pk(&buf);
  pk.pack_array(static_cast<uint32_t>(list.size()));
  for (const auto& p : list) {
    pk.pack_array(2);
    mp::pack_bin(pk, ByteView(p.id.bytes.data(), p.id.bytes.size()));
    pk.pack(p.due_ms);
  }
  auto v = mp::view(buf);
  return Bytes(v.begin(), v.end());
}

std::vector<PendingDeletion> decode_pending(ByteView bytes) {
  auto oh = mp::parse(bytes, "pending deletions");
  const msgpack::object& arr = oh.get();
  if (arr.type != msgpack::type::ARRAY) mp::corrupt("pending deletions", "not an array");
  std::vector<PendingDeletion> out;
  out.reserve(arr.via.array.size);
  for (uint32_t i = 0; i < arr.via.array.size; ++i) {
    const msgpack::object& e = arr.via.array.ptr[i];
    if (e.type != msgpack::type::ARRAY || e.via.array.size != 2)
      mp::corrupt("pending deletions", "bad entry");
    std::string id = mp::as_bytes(e.via.array.ptr[0], "pending deletions");
    const msgpack::object& due = e.via.array.ptr[1];
    if (id.size() != 32 || (due.type != msgpack::type::POSITIVE_INTEGER &&
                            due.type != msgpack::type::NEGATIVE_INTEGER))
      mp::corrupt("pending deletions", "bad entry");
    PendingDeletion p;
    std::memcpy(p.id.bytes.data(), id.data(), 32);
    p.due_ms = due.via.i64;
    out.push_back(p);
  }
  return out;
}

DueSplit split_due(const std::vector<PendingDeletion>& list, int64_t now) {
  DueSplit out;
  for (const auto& p : list) {
    if (p.due_ms <= now)
      out.due.push_back(p.id);
    else
      out.later.push_back(p);
  }
  return out;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace infinitree
