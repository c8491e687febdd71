// Write-only trees (docs/security.md, "Write-only trees"; docs/format.md, "Write-only
// inbox"): the keys, the inbox of sessions, a writer's session and the reader's side.
//
// A session is an ordinary tree that opens with a raw key, K = HKDF(X25519(ephemeral
// private, tree public), salt = ephemeral public || tree public). The writer forgets the
// ephemeral private key when the session ends; the reader recomputes K from the tree's
// private key and the ephemeral public key, which the session's inbox entry holds sealed
// under a key from the inbox secret. Entries are named by HKDF(inbox secret, index), so
// only holders of a write or read key can find them, and claimed with a conditional create.
#include "infinitree/write_only.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/aead.hpp"
#include "crypto/kdf.hpp"
#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "infinitree/error.hpp"
#include "infinitree/keys.hpp"
#include "tree/write_only_inbox.hpp"

namespace infinitree {

namespace {

constexpr std::string_view kReadPrefix = "infinitree-read-key-1:";
constexpr std::string_view kWritePrefix = "infinitree-write-key-1:";
// How far past a missing entry the reader looks for later ones (entries deleted from the
// store show as gaps only if a later entry survives within this distance).
constexpr uint64_t kInboxLookahead = 64;
// The sealed part of an entry: the ephemeral public key and the entry's own index.
constexpr size_t kEntryPlainSize = crypto::kX25519KeySize + 8;

struct ParsedKey {
  bool can_read = false;
  crypto::SecretKey private_key;  // only with can_read
  crypto::X25519Public public_key{};
  crypto::SecretKey inbox;
};

std::string to_hex(ByteView b) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t c : b) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

ParsedKey parse_key(std::string_view text) {
  ParsedKey k;
  std::string_view hex;
  if (text.substr(0, kReadPrefix.size()) == kReadPrefix) {
    k.can_read = true;
    hex = text.substr(kReadPrefix.size());
  } else if (text.substr(0, kWritePrefix.size()) == kWritePrefix) {
    hex = text.substr(kWritePrefix.size());
  } else {
    throw Error(Errc::invalid_argument, "not a write-only tree key (it starts with '" +
                                            std::string(kReadPrefix) + "' or '" +
                                            std::string(kWritePrefix) + "')");
  }
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' '))
    hex.remove_suffix(1);  // as read from a file
  Bytes raw;
  if (hex.size() != 128 || !hex_decode(std::string(hex), raw) || raw.size() != 64)
    throw Error(Errc::invalid_argument, "a write-only tree key holds 128 hex digits after its prefix");
  crypto::SecretKey first(ByteView(raw.data(), 32));
  k.inbox = crypto::SecretKey(ByteView(raw.data() + 32, 32));
  crypto::secure_wipe(raw.data(), raw.size());
  if (k.can_read) {
    k.private_key = first;
    k.public_key = crypto::x25519_public_of(first);
  } else {
    std::memcpy(k.public_key.data(), first.data(), k.public_key.size());
  }
  return k;
}

ParsedKey readable(std::string_view text) {
  ParsedKey k = parse_key(text);
  if (!k.can_read)
    throw Error(Errc::permission_denied,
                "this is a write key: a writer cannot read what was written (the read key, "
                "the tree's X25519 private key, is needed)");
  return k;
}

ObjectId entry_id(const crypto::SecretKey& inbox, uint64_t index) {
  std::string info = "entry-id";
  for (int i = 0; i < 8; ++i) info.push_back(static_cast<char>(index >> (8 * i)));
  Bytes id = crypto::hkdf_sha256(inbox.view(), as_bytes(std::string_view("infinitree/v3/inbox")),
                                 as_bytes(info), 32);
  ObjectId out;
  std::memcpy(out.bytes.data(), id.data(), out.bytes.size());
  return out;
}

Bytes entry_aad(const ObjectId& id) {
  std::string_view label = "infinitree/v3/inbox-entry";
  Bytes aad(label.begin(), label.end());
  aad.insert(aad.end(), id.bytes.begin(), id.bytes.end());
  return aad;
}

// A whole object (kObjectSize bytes, random but for the sealed entry at its start), so an
// entry looks like any other object.
Bytes seal_entry(const crypto::SecretKey& inbox, uint64_t index, const crypto::X25519Public& eph) {
  ObjectId id = entry_id(inbox, index);
  Bytes object = crypto::random_bytes(kObjectSize);
  crypto::Nonce nonce;
  std::memcpy(nonce.data(), object.data(), nonce.size());
  uint8_t* body = object.data() + nonce.size();
  std::memcpy(body, eph.data(), eph.size());
  for (int i = 0; i < 8; ++i) body[eph.size() + i] = static_cast<uint8_t>(index >> (8 * i));
  crypto::Tag tag = crypto::aead_seal(crypto::hkdf_key(inbox, "inbox-entry-key"), nonce,
                                      entry_aad(id), body, kEntryPlainSize, body);
  std::memcpy(body + kEntryPlainSize, tag.data(), tag.size());
  return object;
}

// The ephemeral public key in entry `index`; corrupt if it does not authenticate.
crypto::X25519Public open_entry(const crypto::SecretKey& inbox, uint64_t index, ByteView object) {
  ObjectId id = entry_id(inbox, index);
  if (object.size() < crypto::kNonceSize + kEntryPlainSize + crypto::kTagSize)
    throw Error(Errc::object_truncated, "write-only inbox entry " + std::to_string(index) + " is short");
  crypto::Nonce nonce;
  std::memcpy(nonce.data(), object.data(), nonce.size());
  crypto::Tag tag;
  std::memcpy(tag.data(), object.data() + nonce.size() + kEntryPlainSize, tag.size());
  uint8_t plain[kEntryPlainSize];
  if (!crypto::aead_open(crypto::hkdf_key(inbox, "inbox-entry-key"), nonce, entry_aad(id),
                         object.data() + nonce.size(), kEntryPlainSize, tag, plain))
    throw Error(Errc::corrupt, "write-only inbox entry " + std::to_string(index) +
                                   " fails authentication (overwritten or damaged)");
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= uint64_t(plain[crypto::kX25519KeySize + i]) << (8 * i);
  if (stored != index)  // sealed for its own name, so this cannot happen unless forged
    throw Error(Errc::corrupt, "write-only inbox entry " + std::to_string(index) + " names another index");
  crypto::X25519Public eph;
  std::memcpy(eph.data(), plain, eph.size());
  return eph;
}

// The raw key a session's tree opens with.
std::string session_key(const crypto::SecretKey& shared, const crypto::X25519Public& eph,
                        const crypto::X25519Public& tree_public) {
  Bytes salt(eph.begin(), eph.end());
  salt.insert(salt.end(), tree_public.begin(), tree_public.end());
  Bytes k = crypto::hkdf_sha256(shared.view(), salt,
                                as_bytes(std::string_view("infinitree/v3/write-only-session")),
                                kRawKeySize);
  std::string out(k.begin(), k.end());
  crypto::secure_wipe(k.data(), k.size());
  return out;
}

bool entry_exists(Backend& backend, const crypto::SecretKey& inbox, uint64_t index) {
  return !backend.object_version(entry_id(inbox, index)).empty();
}

// The first index at or after which the inbox is free: gallops over taken entries, then
// bisects. A deleted entry below may be found and refilled; it held nothing readable any more.
uint64_t first_free_guess(Backend& backend, const crypto::SecretKey& inbox) {
  if (!entry_exists(backend, inbox, 0)) return 0;
  uint64_t taken = 0, step = 1;
  while (entry_exists(backend, inbox, taken + step)) {
    taken += step;
    step *= 2;
  }
  uint64_t lo = taken, hi = taken + step;  // lo taken, hi free
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    (entry_exists(backend, inbox, mid) ? lo : hi) = mid;
  }
  return hi;
}

std::string copy_value(TreeView& from, Tree& to, const std::string& value) {
  if (!is_stream_ref(value)) return value;
  auto reader = from.open_stream(value);
  auto writer = to.create_stream();
  std::string buf(1 << 20, '\0');
  for (size_t n; (n = reader->read(buf.data(), buf.size())) > 0;) writer->write(buf.data(), n);
  return writer->finish();
}

}  // namespace

namespace detail {

ObjectId write_only_entry_id(std::string_view key, uint64_t index) {
  return entry_id(parse_key(key).inbox, index);
}

}  // namespace detail

WriteOnlyKeys make_write_only_keys() {
  crypto::X25519KeyPair pair = crypto::x25519_generate();
  crypto::SecretKey inbox = crypto::SecretKey::random();
  WriteOnlyKeys keys;
  keys.read_key = std::string(kReadPrefix) + to_hex(pair.private_key.view()) + to_hex(inbox.view());
  keys.write_key = std::string(kWritePrefix) +
                   to_hex(ByteView(pair.public_key.data(), pair.public_key.size())) +
                   to_hex(inbox.view());
  return keys;
}

std::string write_key_of(std::string_view read_key) {
  ParsedKey k = parse_key(read_key);
  if (!k.can_read) throw Error(Errc::invalid_argument, "a read key was expected, not a write key");
  return std::string(kWritePrefix) + to_hex(ByteView(k.public_key.data(), k.public_key.size())) +
         to_hex(k.inbox.view());
}

WriteOnlySession::WriteOnlySession(std::unique_ptr<Tree> tree, uint64_t index)
    : tree_(std::move(tree)), index_(index) {}

WriteOnlySession::~WriteOnlySession() = default;

std::unique_ptr<WriteOnlySession> WriteOnlySession::open(std::shared_ptr<Backend> backend,
                                                         std::string_view write_key,
                                                         const OpenOptions& options) {
  if (options.read_only) throw Error(Errc::invalid_argument, "a write-only session cannot be read-only");
  ParsedKey k = parse_key(write_key);
  crypto::X25519KeyPair eph = crypto::x25519_generate();
  std::string raw = session_key(crypto::x25519_shared(eph.private_key, k.public_key),
                                eph.public_key, k.public_key);
  Credential credential = Credential::raw_key(raw);
  crypto::secure_wipe(raw.data(), raw.size());
  // The session tree first: an entry always names a tree (a crash here leaves an
  // unannounced tree, unreadable garbage that prune of the session never sees).
  auto tree = create_tree(backend, credential, options);
  for (uint64_t index = first_free_guess(*backend, k.inbox);; ++index) {
    try {
      backend->write_object_if_version(entry_id(k.inbox, index),
                                       seal_entry(k.inbox, index, eph.public_key), "");
      return std::unique_ptr<WriteOnlySession>(new WriteOnlySession(std::move(tree), index));
    } catch (const Error& e) {
      if (e.code() != Errc::conflict) throw;  // another writer claimed it first: the next one
    }
  }
}

void WriteOnlySession::put(std::string_view map, std::string_view key, std::string_view value) {
  if (!tree_) throw Error(Errc::closed, "the write-only session is closed");
  tree_->map(map).put(key, value);
}

void WriteOnlySession::set(std::string_view value_field, std::string_view value) {
  if (!tree_) throw Error(Errc::closed, "the write-only session is closed");
  tree_->value(value_field).set(value);
}

std::unique_ptr<StreamWriter> WriteOnlySession::create_stream() {
  if (!tree_) throw Error(Errc::closed, "the write-only session is closed");
  return tree_->create_stream();
}

std::optional<CommitInfo> WriteOnlySession::commit(std::string_view message, std::string_view custom) {
  if (!tree_) throw Error(Errc::closed, "the write-only session is closed");
  return tree_->commit(message, custom);
}

void WriteOnlySession::close() {
  if (!tree_) return;
  tree_->close();
  tree_.reset();  // with it the session's keys
}

std::vector<WriteOnlySessionEntry> write_only_sessions(std::shared_ptr<Backend> backend,
                                                       std::string_view read_key) {
  ParsedKey k = readable(read_key);
  std::vector<WriteOnlySessionEntry> out;
  uint64_t missing_run = 0;
  for (uint64_t index = 0; missing_run < kInboxLookahead; ++index) {
    Backend::Versioned entry;
    try {
      entry = backend->read_object_versioned(entry_id(k.inbox, index));
    } catch (const Error& e) {
      if (e.code() != Errc::object_missing) throw;
      ++missing_run;
      continue;
    }
    for (uint64_t gap = index - missing_run; gap < index; ++gap)
      out.push_back({gap, Errc::object_missing});
    missing_run = 0;
    Errc status = Errc::ok;
    try {
      open_entry(k.inbox, index, *entry.data);
    } catch (const Error& e) {
      status = e.code();
    }
    out.push_back({index, status});
  }
  return out;
}

std::unique_ptr<Tree> open_write_only_session(std::shared_ptr<Backend> backend,
                                              std::string_view read_key, uint64_t index,
                                              const OpenOptions& options) {
  ParsedKey k = readable(read_key);
  std::shared_ptr<const std::vector<uint8_t>> object;
  try {
    object = backend->read_object(entry_id(k.inbox, index));
  } catch (const Error& e) {
    if (e.code() == Errc::object_missing)
      throw Error(Errc::not_found, "no write-only session " + std::to_string(index) + " in " +
                                       backend->describe());
    throw;
  }
  crypto::X25519Public eph = open_entry(k.inbox, index, *object);
  std::string raw = session_key(crypto::x25519_shared(k.private_key, eph), eph, k.public_key);
  Credential credential = Credential::raw_key(raw);
  crypto::secure_wipe(raw.data(), raw.size());
  OpenOptions ro = options;
  ro.read_only = true;
  return open_tree(std::move(backend), credential, ro);
}

void copy_fields(TreeView& from, Tree& to) {
  for (const FieldInfo& f : from.fields()) {
    switch (f.type) {
      case FieldType::map: {
        Map dst = to.map(f.name);
        for (Cursor c = from.map(f.name).cursor(); c.valid(); c.next())
          dst.put(c.key(), copy_value(from, to, c.value()));
        break;
      }
      case FieldType::set: {
        Set dst = to.set(f.name);
        for (Cursor c = from.set(f.name).cursor(); c.valid(); c.next()) dst.insert(c.key());
        break;
      }
      case FieldType::list: {
        List src = from.list(f.name), dst = to.list(f.name);
        for (uint64_t i = 0, n = src.size(); i < n; ++i) dst.push_back(copy_value(from, to, src.at(i)));
        break;
      }
      case FieldType::value: {
        auto v = from.value(f.name).get();
        if (v) to.value(f.name).set(copy_value(from, to, *v));
        break;
      }
    }
  }
}

}  // namespace infinitree
