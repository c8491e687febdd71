// Where objects live. A backend stores opaque objects of exactly 4 MiB under 256-bit ids
// and knows nothing of keys, chunks or trees.
#pragma once

#include "infinitree/export.hpp"

#include <array>
#include <compare>
#include <cstring>
#include <string_view>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace infinitree {

constexpr size_t kObjectSize = 4 * 1024 * 1024;

struct INFINITREE_EXPORT ObjectId {
  std::array<uint8_t, 32> bytes{};

  static ObjectId random();
  // Parses 64 lowercase or uppercase hex digits; throws Error(invalid_argument) otherwise.
  static ObjectId from_hex(std::string_view hex);
  std::string hex() const;
  auto operator<=>(const ObjectId&) const = default;
};

struct ObjectIdHash {
  size_t operator()(const ObjectId& id) const noexcept {
    size_t h;
    std::memcpy(&h, id.bytes.data(), sizeof h);  // ids are uniformly random
    return h;
  }
};

// Held while this process is the tree's only writer; released on destruction.
class INFINITREE_EXPORT WriterLock {
 public:
  virtual ~WriterLock() = default;
};

// Every method is thread-safe. Errors are infinitree::Error with codes object_missing,
// object_truncated, io, permission_denied, no_space, network, remote_auth, remote, and
// not_found when the store itself (an S3 bucket) does not exist.
class INFINITREE_EXPORT Backend {
 public:
  virtual ~Backend() = default;

  // Stores `data` (exactly kObjectSize bytes) under `id`, replacing any object there
  // atomically: a reader sees the old object or the new one, never a mix. The write may
  // complete asynchronously; sync() waits for it and reports its failure.
  virtual void write_object(const ObjectId& id, std::span<const uint8_t> data) = 0;

  // The whole object. Throws object_missing if absent, object_truncated if short.
  virtual std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) = 0;

  // `length` bytes at `offset`: the default reads the whole object.
  virtual std::vector<uint8_t> read_range(const ObjectId& id, uint64_t offset, uint64_t length);

  virtual void delete_object(const ObjectId& id) = 0;
  virtual bool has_object(const ObjectId& id) = 0;
  virtual std::vector<ObjectId> list_objects() = 0;

  // True if the store holds no object at all (files or keys not named like objects do not
  // count): lets a caller that finds no root tell "no tree in this store" from "no tree
  // for these credentials". The default lists every object; backends stop at the first.
  virtual bool is_empty();

  // Waits until every write so far is durable; throws the first failure among them.
  virtual void sync() {}

  // A hint that `id` will be read soon (a cache may fetch it in the background).
  virtual void prefetch(const ObjectId& /*id*/) {}

  // True if each read costs a network round trip (S3, or a cache in front of it): a tree
  // on such a store reads its upper B-tree levels ahead at open (OpenOptions).
  virtual bool is_remote() const { return false; }

  // Makes this process the only writer of the tree whose root object is `root`:
  // throws Error(locked) if another writer holds it. The default is a process-local lock.
  virtual std::unique_ptr<WriterLock> lock_writer(const ObjectId& root);

  // Optimistic concurrency for the root object: how a second writer is detected across
  // processes and machines (S3 has no lock file).
  // An opaque tag of the object stored under `id` now (an ETag on S3, inode+mtime on a
  // directory); empty if there is none. Two different writes give different tags.
  virtual std::string object_version(const ObjectId& id);

  // The object and its version read together (no other write in between), always from the
  // authoritative store, never from a cache: for the root object, the one object rewritten
  // in place. Pass the version to write_object_if_version at commit. Throws object_missing.
  struct Versioned {
    std::shared_ptr<const std::vector<uint8_t>> data;
    std::string version;
  };
  virtual Versioned read_object_versioned(const ObjectId& id);

  // A hint that the copy of `id` just read was damaged (e.g. a chunk's tag failed): a cache
  // drops its local copy so the next read fetches it from the remote again.
  virtual void invalidate(const ObjectId& /*id*/) {}

  // Waits for every earlier write (as sync() does, so whatever the object points to is
  // stored first), then stores `data` under `id` only if its version is still `expected`
  // (empty: the object must not exist). Throws Error(conflict) if it changed. Durable on
  // return; returns the new version. The default is atomic within one process only;
  // directory and S3 backends are atomic across processes (flock; If-Match/If-None-Match).
  virtual std::string write_object_if_version(const ObjectId& id, std::span<const uint8_t> data,
                                              const std::string& expected);

  // Removes temporary files that writers killed mid-write left behind (directory
  // backends: `.tmp-*`) once they are older than `older_than_ms`; returns how many went.
  virtual uint64_t remove_stale_temporaries(int64_t /*older_than_ms*/) { return 0; }

  // A short description for messages ("dir:/path", "memory", "s3://bucket/prefix").
  virtual std::string describe() const = 0;

 protected:
  // What makes two handles the same store for the process-local writer lock (the default
  // lock_writer): describe() unless a backend's description does not tell stores apart
  // (every memory backend describes itself as "memory" but is a store of its own).
  virtual std::string lock_identity() const { return describe(); }
};

// Objects in memory: for tests and for throwaway trees.
INFINITREE_EXPORT std::shared_ptr<Backend> make_memory_backend();

// One file per object under `root` (created if missing), fanned out in folders by the
// first two hex digits of the id; writes go through a temp file, fsync, rename, fsync.
INFINITREE_EXPORT std::shared_ptr<Backend> make_directory_backend(const std::filesystem::path& root);

// An S3-compatible bucket (AWS, MinIO, moto, ...). See docs/backends.md.
struct S3Options {
  // "https://host[:port]" or "http://127.0.0.1:9000"; empty: https://s3.<region>.amazonaws.com
  std::string endpoint;
  std::string region = "us-east-1";
  std::string bucket;
  std::string prefix;  // key prefix; a '/' is appended if missing ("trees/a" -> "trees/a/")
  enum class Addressing { automatic, path_style, virtual_hosted };
  // automatic: virtual-hosted for AWS (empty endpoint), path-style for a custom endpoint.
  Addressing addressing = Addressing::automatic;
  // Empty: from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string ca_file;  // extra CA bundle for HTTPS; certificates are always verified
  int parallel_uploads = 8;       // upload worker threads; writes queue at most 2x this many
  int max_attempts = 8;           // per request, first try included
  int retry_base_ms = 50;         // backoff: base * 2^attempt (capped at 5 s), with jitter
  int max_retry_seconds = 60;     // total time a request may spend retrying
  int connect_timeout_ms = 10000;
  int stall_timeout_seconds = 30; // a transfer slower than 1 KiB/s for this long is cut
};
INFINITREE_EXPORT std::shared_ptr<Backend> make_s3_backend(const S3Options& options);

// Fills bucket and prefix from "s3://bucket/prefix" (for command lines); the rest of
// `base` is kept. Throws invalid_argument on another form.
INFINITREE_EXPORT S3Options s3_options_from_url(const std::string& url, S3Options base = {});

// A local directory cache of at most `byte_budget` bytes in front of `remote`: reads fill
// it (least-recently-used objects are evicted), writes go to both and are durable when the
// remote's sync() says so. Several processes may share `folder`; a damaged file there is
// dropped and fetched again. The root object (read_object_versioned) is never cached.
INFINITREE_EXPORT std::shared_ptr<Backend> make_cache_backend(std::shared_ptr<Backend> remote,
                                            const std::filesystem::path& folder,
                                            uint64_t byte_budget);

}  // namespace infinitree
