// Write-only trees (docs/security.md, "Write-only trees"): an untrusted agent that holds only
// a write key adds data it cannot read back; the holder of the read key (an X25519 private
// key) reads what every writer added and copies it into a tree.
//
// Each writer session makes a fresh X25519 key pair; its data goes into a session tree of its
// own, under a key only the read key's holder can derive again, and it announces the session
// in the store's inbox (an object whose name it claims with a conditional create). The
// ephemeral private key is forgotten when the session ends, so the writer cannot read any
// session afterwards, its own included.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/tree.hpp"

namespace infinitree {

// Both keys are text: "infinitree-read-key-1:" or "infinitree-write-key-1:" and 128 hex
// digits (the X25519 private or public key, then the inbox secret). The read key is a
// secret of the reader; the write key a secret of the writers (it finds and fills the inbox).
struct WriteOnlyKeys {
  std::string read_key;
  std::string write_key;
};

// A new pair from OpenSSL's CSPRNG.
INFINITREE_EXPORT WriteOnlyKeys make_write_only_keys();
// The write key that goes with a read key. invalid_argument for a malformed key.
INFINITREE_EXPORT std::string write_key_of(std::string_view read_key);

// A writer's session. Offers writes only: maps, values, streams, commits.
class INFINITREE_EXPORT WriteOnlySession {
 public:
  // Starts a session in the store's inbox: a fresh session tree and the next free inbox
  // entry. invalid_argument for a malformed write key (a read key works as well).
  static std::unique_ptr<WriteOnlySession> open(std::shared_ptr<Backend> backend,
                                                std::string_view write_key,
                                                const OpenOptions& options = {});
  ~WriteOnlySession();
  WriteOnlySession(const WriteOnlySession&) = delete;
  WriteOnlySession& operator=(const WriteOnlySession&) = delete;

  uint64_t index() const { return index_; }  // the session's inbox entry
  void put(std::string_view map, std::string_view key, std::string_view value);
  void set(std::string_view value_field, std::string_view value);
  // A new stream; store the ref finish() returns with put() or set().
  std::unique_ptr<StreamWriter> create_stream();
  // A commit of the session's history (nullopt if nothing changed). Durable on return.
  // `custom` is stored as given, as Tree::commit's (the CLI records what it stored there).
  std::optional<CommitInfo> commit(std::string_view message, std::string_view custom = {});
  // Ends the session; writes after it are closed. The session key is gone from then on.
  void close();

 private:
  WriteOnlySession(std::unique_ptr<Tree> tree, uint64_t index);
  std::unique_ptr<Tree> tree_;
  uint64_t index_;
};

// What the inbox holds at one index (oldest first). `status` ok: a session; object_missing:
// a gap, an entry absent although a later one exists (deleted from the store); corrupt: an
// entry that fails authentication (overwritten or damaged).
struct WriteOnlySessionEntry {
  uint64_t index = 0;
  Errc status = Errc::ok;
};

// The inbox as the read key's holder sees it. permission_denied for a write key: a writer
// cannot read what was written.
INFINITREE_EXPORT std::vector<WriteOnlySessionEntry> write_only_sessions(
    std::shared_ptr<Backend> backend, std::string_view read_key);

// Opens session `index` read-only with the read key. permission_denied for a write key;
// not_found if the inbox has no such entry; corrupt if it fails authentication.
INFINITREE_EXPORT std::unique_ptr<Tree> open_write_only_session(std::shared_ptr<Backend> backend,
                                                                std::string_view read_key,
                                                                uint64_t index,
                                                                const OpenOptions& options = {});

// Copies every field of `from` into the working state of `to` (stream refs are re-written
// as streams of `to`, so the data is sealed under its keys); the caller commits. A field of
// another type in `to` is invalid_argument.
INFINITREE_EXPORT void copy_fields(TreeView& from, Tree& to);

}  // namespace infinitree
