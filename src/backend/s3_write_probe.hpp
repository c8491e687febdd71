// Does an S3-compatible server honour conditional writes? Optimistic concurrency on the
// root object (If-None-Match: * at create, If-Match at commit) is the only thing that stops
// a second writer from overwriting a commit; a server that ignores those headers would lose
// commits silently. So before a tree is opened for writing, the server is probed once with
// a scratch key and the answer is recorded per store (endpoint, bucket and prefix) for the
// life of the process.
#pragma once

#include <string>

#include "backend/s3_client.hpp"

namespace infinitree::s3 {

struct ProbeResult {
  bool if_none_match = false;  // a create-only PUT over an existing key was refused (412)
  bool if_match = false;       // a PUT with a stale ETag was refused (412)
  bool honoured() const { return if_none_match && if_match; }
};

// Runs the probe (four small requests under `prefix`, the scratch key removed afterwards):
// PUT with If-None-Match: * twice, then PUT with If-Match and an ETag that cannot match.
ProbeResult probe_conditional_writes(Client& client, const std::string& prefix);

// The recorded answer for this client's store, probing the first time. Throws Error(remote)
// naming what the server ignored when it does not honour both conditions: writing there
// could silently lose a commit to a second writer.
void require_conditional_writes(Client& client, const std::string& prefix);

}  // namespace infinitree::s3
