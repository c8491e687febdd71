#include "tree/root_record.hpp"

#include <cstring>

#include "crypto/aead.hpp"
#include "crypto/random.hpp"
#include "infinitree/error.hpp"
#include "object/format.hpp"
#include "util/msgpack_util.hpp"

namespace infinitree {

namespace {

// Header layout: nonce (12) | ciphertext (kSealedSize) | tag (16). The plaintext is
// length (u32le) | msgpack record | zero padding, always kSealedSize long, so the header
// reveals nothing about the record.
constexpr size_t kSealedSize = kIndexHeaderSize - crypto::kNonceSize - crypto::kTagSize;
constexpr std::string_view kAadLabel = "infinitree/v1/root";

Bytes root_aad(const ObjectId& root_id) {
  // Sized up front and filled with memcpy: GCC 12 at -O2 warns (-Warray-bounds, a false
  // positive) on vector::insert after construction from the label, breaking Release builds.
  Bytes aad(kAadLabel.size() + root_id.bytes.size());
  std::memcpy(aad.data(), kAadLabel.data(), kAadLabel.size());
  std::memcpy(aad.data() + kAadLabel.size(), root_id.bytes.data(), root_id.bytes.size());
  return aad;
}

void pack_pointer(mp::Packer& pk, const std::optional<ChunkPointer>& p) {
  if (p) {
    Bytes enc = p->encode();
    mp::pack_bin(pk, enc);
  } else {
    pk.pack_nil();
  }
}

std::optional<ChunkPointer> unpack_pointer(const mp::Reader& r, std::string_view key) {
  auto raw = r.opt_bin(key);
  if (!raw) return std::nullopt;
  return ChunkPointer::decode(as_bytes(*raw));
}

int64_t as_i64(const msgpack::object& o) {
  if (o.type == msgpack::type::POSITIVE_INTEGER) {
    if (o.via.u64 > static_cast<uint64_t>(INT64_MAX)) mp::corrupt("root record", "integer out of range");
    return static_cast<int64_t>(o.via.u64);
  }
  if (o.type == msgpack::type::NEGATIVE_INTEGER) return o.via.i64;
  mp::corrupt("root record", "expected an integer");
}

ObjectId object_id_of(const msgpack::object& o) {
  std::string raw = mp::as_bytes(o, "root record");
  ObjectId id;
  if (raw.size() != id.bytes.size()) mp::corrupt("root record", "bad object id");
  std::memcpy(id.bytes.data(), raw.data(), raw.size());
  return id;
}

// Seals the packed record `buf` into a fresh root-layout object: the header as format.md
// describes it, random bytes everywhere else.
Bytes seal_header(const mp::Buffer& buf, const crypto::SecretKey& wrapping_key,
                  const ObjectId& root_id) {
  if (buf.size() + 4 > kSealedSize)
    throw Error(Errc::too_large,
                "root record does not fit in the root header (branch name too long, or too many "
                "key slots?)");

  Bytes plain(kSealedSize, 0);
  put_u32le(plain.data(), static_cast<uint32_t>(buf.size()));
  std::memcpy(plain.data() + 4, buf.data(), buf.size());

  Bytes object = crypto::random_bytes(kObjectSize);
  crypto::Nonce nonce;
  std::memcpy(nonce.data(), object.data(), nonce.size());  // random, fresh on every rewrite
  Bytes aad = root_aad(root_id);
  crypto::Tag tag = crypto::aead_seal(wrapping_key, nonce, aad, plain.data(), plain.size(),
                                      object.data() + crypto::kNonceSize);
  std::memcpy(object.data() + crypto::kNonceSize + kSealedSize, tag.data(), tag.size());
  crypto::secure_wipe(plain.data(), plain.size());
  return object;
}

// Authenticates and decrypts the header of a root-layout object. The plaintext holds keys:
// the caller wipes it.
void open_header(ByteView object, const crypto::SecretKey& wrapping_key, const ObjectId& root_id,
                 Bytes& plain) {
  if (object.size() != kObjectSize)
    throw Error(Errc::object_truncated, "root object " + root_id.hex() + " has " +
                                            std::to_string(object.size()) + " bytes, expected 4 MiB");
  crypto::Nonce nonce;
  std::memcpy(nonce.data(), object.data(), nonce.size());
  crypto::Tag tag;
  std::memcpy(tag.data(), object.data() + crypto::kNonceSize + kSealedSize, tag.size());
  plain.assign(kSealedSize, 0);
  Bytes aad = root_aad(root_id);
  if (!crypto::aead_open(wrapping_key, nonce, aad, object.data() + crypto::kNonceSize, kSealedSize,
                         tag, plain.data()))
    throw Error(Errc::corrupt, "root object " + root_id.hex() +
                                   " failed authentication: it was tampered with or damaged");
}

// Unpacks the record of a decrypted header by reference: msgpack would otherwise copy the
// master key into its zone and free it unwiped. Every byte string then points into
// `plain`, which the caller wipes.
msgpack::object_handle unpack_header(const Bytes& plain) {
  uint32_t len = get_u32le(plain.data());
  if (len > kSealedSize - 4) mp::corrupt("root record", "bad length");
  msgpack::object_handle oh;
  try {
    size_t off = 0, n = len + 1;
    oh = msgpack::unpack(reinterpret_cast<const char*>(plain.data() + 4), len, off,
                         [](msgpack::type::object_type, std::size_t, void*) { return true; }, nullptr,
                         msgpack::unpack_limit(n, n, n, n, n, 8));
    if (off != len) mp::corrupt("root record", "trailing bytes");
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    mp::corrupt("root record", e.what());
  }
  if (oh.get().type != msgpack::type::MAP) mp::corrupt("root record", "not a map");
  return oh;
}

uint32_t checked_version(const mp::Reader& r) {
  uint64_t version = r.u64("version");
  if (version < kOldestReadableFormatVersion || version > kFormatVersion)
    throw Error(Errc::unsupported_version,
                "tree has format version " + std::to_string(version) +
                    "; this library reads versions " + std::to_string(kOldestReadableFormatVersion) +
                    " to " + std::to_string(kFormatVersion));
  return static_cast<uint32_t>(version);
}

crypto::SecretKey master_key_of(const mp::Reader& r) {
  std::string key = r.bin("master_key");
  if (key.size() != crypto::kKeySize) {
    crypto::secure_wipe(key.data(), key.size());
    mp::corrupt("root record", "master key has the wrong size");
  }
  crypto::SecretKey k(as_bytes(key));
  crypto::secure_wipe(key.data(), key.size());
  return k;
}

void parse_slots(const mp::Reader& r, RootRecord& rec) {
  const msgpack::object* slots = r.find("slots");
  if (!slots || slots->type != msgpack::type::ARRAY || slots->via.array.size == 0 ||
      slots->via.array.size > kMaxSlotEntries)
    mp::corrupt("root record", "a version 3 root needs 1 to " + std::to_string(kMaxSlotEntries) +
                                   " key slots");
  for (uint32_t i = 0; i < slots->via.array.size; ++i) {
    const msgpack::object& e = slots->via.array.ptr[i];
    if (e.type != msgpack::type::ARRAY || e.via.array.size != 5)
      mp::corrupt("root record", "bad key slot entry");
    SlotEntry slot;
    std::string id = mp::as_bytes(e.via.array.ptr[0], "root record");
    if (id.size() != slot.id.size()) mp::corrupt("root record", "bad key slot id");
    std::memcpy(slot.id.data(), id.data(), id.size());
    slot.locator = object_id_of(e.via.array.ptr[1]);
    slot.label = mp::as_bytes(e.via.array.ptr[2], "root record");
    slot.created_ms = as_i64(e.via.array.ptr[3]);
    uint64_t kind = mp::as_u64(e.via.array.ptr[4], "root record");
    if (kind < 1 || kind > 2) mp::corrupt("root record", "unknown key slot kind");
    slot.kind = static_cast<uint8_t>(kind);
    rec.slots.push_back(std::move(slot));
  }
  const msgpack::object* retired = r.find("retired");
  if (!retired || retired->type != msgpack::type::ARRAY || retired->via.array.size > kMaxSlotEntries)
    mp::corrupt("root record", "bad list of removed key slots");
  for (uint32_t i = 0; i < retired->via.array.size; ++i)
    rec.retired.push_back(object_id_of(retired->via.array.ptr[i]));
}

RootRecord parse_root(const mp::Reader& r, uint32_t version) {
  RootRecord rec;
  rec.format_version = version;
  rec.master_key = master_key_of(r);
  rec.generation = r.u64("generation");
  rec.commits = unpack_pointer(r, "commits");
  rec.refs = unpack_pointer(r, "refs");
  rec.current_branch = r.str("branch");
  uint64_t comp = r.u64("compression");
  if (comp > 2) mp::corrupt("root record", "unknown compression");
  rec.compression = static_cast<uint8_t>(comp);
  if (const msgpack::object* open = r.find("open")) {
    if (open->type != msgpack::type::ARRAY || open->via.array.size > 16)
      mp::corrupt("root record", "bad open object list");
    for (uint32_t i = 0; i < open->via.array.size; ++i) {
      const msgpack::object& e = open->via.array.ptr[i];
      if (e.type != msgpack::type::ARRAY || e.via.array.size != 4 ||
          e.via.array.ptr[3].type != msgpack::type::BOOLEAN)
        mp::corrupt("root record", "bad open object entry");
      OpenObjectRecord o;
      uint64_t kind = mp::as_u64(e.via.array.ptr[0], "root record");
      std::string id = mp::as_bytes(e.via.array.ptr[1], "root record");
      uint64_t fill = mp::as_u64(e.via.array.ptr[2], "root record");
      // fill == kObjectSize (a full object; written by early version-2 writers) is accepted
      // and simply never continued: ObjectWriter::adopt ignores it.
      if (kind > 1 || id.size() != o.id.bytes.size() || fill > kObjectSize)
        mp::corrupt("root record", "bad open object entry");
      o.kind = static_cast<ChunkKind>(kind);
      std::memcpy(o.id.bytes.data(), id.data(), id.size());
      o.fill = static_cast<uint32_t>(fill);
      o.clean = e.via.array.ptr[3].via.boolean;
      rec.open_objects.push_back(o);
    }
  }
  rec.forgotten = unpack_pointer(r, "forgotten");
  rec.pending = unpack_pointer(r, "pending");
  if (r.find("next_due_ms")) rec.next_due_ms = r.i64("next_due_ms");
  if (version >= 3) parse_slots(r, rec);
  return rec;
}

}  // namespace

Bytes seal_root_object(const RootRecord& record, const crypto::SecretKey& wrapping_key,
                       const ObjectId& root_id) {
  // The buffer holds the master key: sized once so it never reallocates (a reallocation
  // would leave a copy in freed memory), and wiped before it is freed.
  mp::Buffer buf(kSealedSize);
  struct WipeBuffer {
    mp::Buffer& b;
    ~WipeBuffer() { crypto::secure_wipe(b.data(), b.size()); }
  } wipe_buf{buf};
  mp::Packer pk(&buf);
  pk.pack_map(record.format_version >= 3 ? 13 : 11);
  mp::pack_str(pk, "version");
  pk.pack(record.format_version);
  mp::pack_str(pk, "master_key");
  mp::pack_bin(pk, record.master_key.view());
  mp::pack_str(pk, "generation");
  pk.pack(record.generation);
  mp::pack_str(pk, "commits");
  pack_pointer(pk, record.commits);
  mp::pack_str(pk, "refs");
  pack_pointer(pk, record.refs);
  mp::pack_str(pk, "branch");
  mp::pack_str(pk, record.current_branch);
  mp::pack_str(pk, "compression");
  pk.pack(record.compression);
  mp::pack_str(pk, "open");
  pk.pack_array(static_cast<uint32_t>(record.open_objects.size()));
  for (const auto& o : record.open_objects) {
    pk.pack_array(4);
    pk.pack(static_cast<uint8_t>(o.kind));
    mp::pack_bin(pk, ByteView(o.id.bytes.data(), o.id.bytes.size()));
    pk.pack(o.fill);
    pk.pack(o.clean);
  }
  mp::pack_str(pk, "forgotten");
  pack_pointer(pk, record.forgotten);
  mp::pack_str(pk, "pending");
  pack_pointer(pk, record.pending);
  mp::pack_str(pk, "next_due_ms");
  pk.pack(record.next_due_ms);
  if (record.format_version >= 3) {
    mp::pack_str(pk, "slots");
    pk.pack_array(static_cast<uint32_t>(record.slots.size()));
    for (const auto& slot : record.slots) {
      pk.pack_array(5);
      mp::pack_bin(pk, ByteView(slot.id.data(), slot.id.size()));
      mp::pack_bin(pk, ByteView(slot.locator.bytes.data(), slot.locator.bytes.size()));
      mp::pack_str(pk, slot.label);
      pk.pack(slot.created_ms);
      pk.pack(slot.kind);
    }
    mp::pack_str(pk, "retired");
    pk.pack_array(static_cast<uint32_t>(record.retired.size()));
    for (const auto& id : record.retired) mp::pack_bin(pk, ByteView(id.bytes.data(), id.bytes.size()));
  }
  return seal_header(buf, wrapping_key, root_id);
}

RootRecord open_root_object(ByteView object, const crypto::SecretKey& wrapping_key,
                            const ObjectId& root_id) {
  CredentialObject opened = open_credential_object(object, wrapping_key, root_id);
  if (!opened.root) mp::corrupt("root record", "a key slot where the tree's state was expected");
  return std::move(*opened.root);
}

CredentialObject open_credential_object(ByteView object, const crypto::SecretKey& wrapping_key,
                                        const ObjectId& locator) {
  Bytes plain;
  struct Wipe {
    Bytes& b;
    ~Wipe() { crypto::secure_wipe(b.data(), b.size()); }
  } wipe{plain};
  open_header(object, wrapping_key, locator, plain);
  msgpack::object_handle oh = unpack_header(plain);
  mp::Reader r(oh.get(), "root record");
  uint32_t version = checked_version(r);
  CredentialObject out;
  if (version >= 3 && r.find("slot")) {
    SlotRecord slot;
    std::string id = r.bin("slot");
    if (id.size() != slot.id.size()) mp::corrupt("root record", "bad key slot id");
    std::memcpy(slot.id.data(), id.data(), id.size());
    slot.master_key = master_key_of(r);
    out.slot = std::move(slot);
  } else {
    out.root = parse_root(r, version);
  }
  return out;
}

Bytes seal_slot_object(const SlotRecord& record, const crypto::SecretKey& wrapping_key,
                       const ObjectId& locator) {
  mp::Buffer buf(kSealedSize);
  struct WipeBuffer {
    mp::Buffer& b;
    ~WipeBuffer() { crypto::secure_wipe(b.data(), b.size()); }
  } wipe_buf{buf};
  mp::Packer pk(&buf);
  pk.pack_map(3);
  mp::pack_str(pk, "version");
  pk.pack(kFormatVersion);
  mp::pack_str(pk, "slot");
  mp::pack_bin(pk, ByteView(record.id.data(), record.id.size()));
  mp::pack_str(pk, "master_key");
  mp::pack_bin(pk, record.master_key.view());
  return seal_header(buf, wrapping_key, locator);
}

}  // namespace infinitree
