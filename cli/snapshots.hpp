// `snapshots`: the folder snapshots in the history (commits made by `store`), with the time,
// host, folder, tags and size recorded at store time, filtered as `restic snapshots` is.
#pragma once

#include <string>

#include "commands.hpp"

namespace infinitree::cli {

// This machine's name (gethostname), recorded by `store` unless --host says otherwise.
std::string host_name();

Command snapshots_command();

}  // namespace infinitree::cli
