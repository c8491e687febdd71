#include "backend/s3_write_probe.hpp"

#include <map>
#include <mutex>

#include "infinitree/error.hpp"
#include "util/bytes.hpp"

namespace infinitree::s3 {

namespace {

// A key that is not an object name (64 hex digits), so listings of the store ignore it
// even if a crash leaves it behind.
std::string scratch_key(const std::string& prefix) {
  return prefix + "infinitree-write-probe-" + ObjectId::random().hex().substr(0, 16);
}

// True if the conditional PUT was refused as a failed precondition.
bool refused(Client& client, const std::string& key, const std::string& body,
             const PutCondition& condition) {
  try {
    client.put(key, as_bytes(body), condition);
    return false;
  } catch (const Error& e) {
    if (e.code() == Errc::conflict) return true;
    throw;
  }
}

std::mutex records_mu;
std::map<std::string, ProbeResult>& records() {
  static std::map<std::string, ProbeResult> r;
  return r;
}

}  // namespace

ProbeResult probe_conditional_writes(Client& client, const std::string& prefix) {
  const std::string key = scratch_key(prefix);
  ProbeResult result;
  try {
    PutCondition create_only;
    create_only.if_none_match = true;
    std::string etag = client.put(key, as_bytes(std::string("infinitree probe 1")), create_only);
    result.if_none_match = refused(client, key, "infinitree probe 2", create_only);
    // An ETag no server hands out for these bytes (and quoted, as servers send them).
    PutCondition stale;
    stale.if_match = "\"00000000000000000000000000000000\"";
    if (stale.if_match == etag) stale.if_match = "\"11111111111111111111111111111111\"";
    result.if_match = refused(client, key, "infinitree probe 3", stale);
  } catch (...) {
    try {
      client.remove(key);
    } catch (...) {
    }
    throw;
  }
  client.remove(key);
  return result;
}

void require_conditional_writes(Client& client, const std::string& prefix) {
  const std::string store = client.describe();
  ProbeResult result;
  {
    // One probe per store at a time; later opens reuse the answer.
    std::lock_guard g(records_mu);
    auto it = records().find(store);
    if (it == records().end()) it = records().emplace(store, probe_conditional_writes(client, prefix)).first;
    result = it->second;
  }
  if (result.honoured()) return;
  std::string ignored = !result.if_none_match && !result.if_match ? "If-None-Match and If-Match"
                        : !result.if_none_match                   ? "If-None-Match: *"
                                                                  : "If-Match";
  throw Error(Errc::remote,
              "the S3 server behind " + store + " ignores conditional writes (" + ignored +
                  " on a PUT): a second writer could overwrite a commit without either noticing,"
                  " so this store cannot be opened for writing; open it read-only, or use a"
                  " server that honours them (docs/backends.md lists which do)");
}

}  // namespace infinitree::s3
