// What `store` and `write-only store` share: the folder argument, the options that choose
// what is read (--exclude and friends, --threads, --reread) and how progress shows, and
// the summary printed after a snapshot.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "args.hpp"
#include "session.hpp"
#include "snapshot.hpp"

namespace infinitree::cli {

// The folder as stored in the snapshot's records: absolute, normalised, no final '/'.
std::string snapshot_root(const std::string& arg);

// StoreOptions from the command line; the store itself (a local --store inside the folder)
// is always left out. Checkpoints are left to the caller.
StoreOptions store_options(Session& s, const ParsedArgs& args, const std::string& root);

// The options store_options reads, for a command's option list.
std::vector<OptionSpec> store_option_specs();

// The lines `store` prints about a snapshot (without the commit line).
void print_store_summary(std::ostream& out, const std::string& root, const StoreResult& r);

}  // namespace infinitree::cli
