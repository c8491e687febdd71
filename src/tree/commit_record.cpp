#include "tree/commit_record.hpp"

#include "infinitree/error.hpp"
#include "util/msgpack_util.hpp"

namespace infinitree {

namespace {

void pack_fields(mp::Packer& pk, const std::vector<FieldRoot>& fields) {
  pk.pack_array(static_cast<uint32_t>(fields.size()));
  for (const auto& f : fields) {
    pk.pack_array(3);
    mp::pack_bin(pk, f.name);
    pk.pack(static_cast<uint8_t>(f.type));
    if (f.root) mp::pack_bin(pk, f.root->encode());
    else pk.pack_nil();
  }
}

std::vector<FieldRoot> unpack_fields(const msgpack::object& o) {
  const char* what = "commit record";
  if (o.type != msgpack::type::ARRAY) mp::corrupt(what, "fields is not an array");
  std::vector<FieldRoot> out;
  for (uint32_t i = 0; i < o.via.array.size; ++i) {
    const auto& e = o.via.array.ptr[i];
    if (e.type != msgpack::type::ARRAY || e.via.array.size != 3) mp::corrupt(what, "bad field entry");
    FieldRoot f;
    f.name = mp::as_bytes(e.via.array.ptr[0], what);
    uint64_t type = mp::as_u64(e.via.array.ptr[1], what);
    if (type < 1 || type > 4) mp::corrupt(what, "unknown field type");
    f.type = static_cast<FieldType>(type);
    if (e.via.array.ptr[2].type != msgpack::type::NIL)
      f.root = ChunkPointer::decode(as_bytes(mp::as_bytes(e.via.array.ptr[2], what)));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

Bytes CommitRecord::encode() const {
  mp::Buffer buf;
  mp::Packer pk(&buf);
  pk.pack_map(9);
  mp::pack_str(pk, "id");
  mp::pack_bin(pk, id);
  mp::pack_str(pk, "parents");
  pk.pack_array(static_cast<uint32_t>(parents.size()));
  for (const auto& p : parents) mp::pack_bin(pk, p);
  mp::pack_str(pk, "time");
  pk.pack(time_ms);
  mp::pack_str(pk, "message");
  mp::pack_str(pk, message);
  mp::pack_str(pk, "custom");
  mp::pack_bin(pk, custom);
  mp::pack_str(pk, "seq");
  pk.pack(sequence);
  mp::pack_str(pk, "branch");
  mp::pack_str(pk, branch);
  mp::pack_str(pk, "fields");
  pack_fields(pk, fields);
  mp::pack_str(pk, "system");
  pack_fields(pk, system);
  auto v = mp::view(buf);
  return Bytes(v.begin(), v.end());
}

CommitRecord CommitRecord::decode(ByteView bytes) {
  const char* what = "commit record";
  auto oh = mp::parse(bytes, what);
  mp::Reader r(oh.get(), what);
  CommitRecord c;
  c.id = r.bin("id");
  if (c.id.size() != kCommitIdSize) mp::corrupt(what, "bad commit id");
  const auto& parents = r.at("parents");
  if (parents.type != msgpack::type::ARRAY) mp::corrupt(what, "parents is not an array");
  for (uint32_t i = 0; i < parents.via.array.size; ++i) {
    c.parents.push_back(mp::as_bytes(parents.via.array.ptr[i], what));
    if (c.parents.back().size() != kCommitIdSize) mp::corrupt(what, "bad parent id");
  }
  c.time_ms = r.i64("time");
  c.message = r.str("message");
  c.custom = r.bin("custom");
  c.sequence = r.u64("seq");
  c.branch = r.str("branch");
  c.fields = unpack_fields(r.at("fields"));
  c.system = unpack_fields(r.at("system"));
  return c;
}

CommitInfo CommitRecord::info() const {
  CommitInfo info;
  info.id = commit_id_hex(id);
  for (const auto& p : parents) info.parents.push_back(commit_id_hex(p));
  info.time_ms = time_ms;
  info.message = message;
  info.custom = custom;
  info.sequence = sequence;
  info.branch = branch;
  return info;
}

Bytes Refs::encode() const {
  mp::Buffer buf;
  mp::Packer pk(&buf);
  pk.pack_map(2);
  mp::pack_str(pk, "branches");
  pk.pack_map(static_cast<uint32_t>(branches.size()));
  for (const auto& [name, id] : branches) {
    mp::pack_str(pk, name);
    if (id) mp::pack_bin(pk, *id);
    else pk.pack_nil();
  }
  mp::pack_str(pk, "tags");
  pk.pack_map(static_cast<uint32_t>(tags.size()));
  for (const auto& [name, id] : tags) {
    mp::pack_str(pk, name);
    mp::pack_bin(pk, id);
  }
  auto v = mp::view(buf);
  return Bytes(v.begin(), v.end());
}

Refs Refs::decode(ByteView bytes) {
  const char* what = "refs";
  auto oh = mp::parse(bytes, what);
  mp::Reader r(oh.get(), what);
  Refs refs;
  const auto& b = r.at("branches");
  if (b.type != msgpack::type::MAP) mp::corrupt(what, "branches is not a map");
  for (uint32_t i = 0; i < b.via.map.size; ++i) {
    const auto& kv = b.via.map.ptr[i];
    std::string name = mp::as_bytes(kv.key, what);
    if (kv.val.type == msgpack::type::NIL) {
      refs.branches[name] = std::nullopt;
    } else {
      std::string id = mp::as_bytes(kv.val, what);
      if (id.size() != kCommitIdSize) mp::corrupt(what, "bad branch head");
      refs.branches[name] = id;
    }
  }
  const auto& t = r.at("tags");
  if (t.type != msgpack::type::MAP) mp::corrupt(what, "tags is not a map");
  for (uint32_t i = 0; i < t.via.map.size; ++i) {
    const auto& kv = t.via.map.ptr[i];
    std::string id = mp::as_bytes(kv.val, what);
    if (id.size() != kCommitIdSize) mp::corrupt(what, "bad tag target");
    refs.tags[mp::as_bytes(kv.key, what)] = id;
  }
  return refs;
}

std::string commit_id_hex(std::string_view raw) { return hex_encode(as_bytes(raw)); }

std::string commit_id_raw(std::string_view hex) {
  Bytes raw;
  if (hex.size() != 2 * kCommitIdSize || !hex_decode(hex, raw))
    throw Error(Errc::invalid_argument, "not a commit id: '" + std::string(hex) + "'");
  return to_string(raw);
}

}  // namespace infinitree
