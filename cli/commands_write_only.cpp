// write-only keys | store | sessions | import: write-only trees from the command line
// (docs/cli.md, "Write-only trees"; docs/security.md). An untrusted backup agent stores a
// folder with the write key alone; the owner lists what the agents stored and imports it
// into a tree with the read key.
#include <iostream>
#include <map>
#include <stdexcept>

#include "commands.hpp"
#include "common.hpp"
#include "duration.hpp"
#include "exit_codes.hpp"
#include "format.hpp"
#include "infinitree/write_only.hpp"
#include "json_out.hpp"
#include "printable.hpp"
#include "snapshots.hpp"
#include "store_options.hpp"
#include "write_only_import.hpp"
#include "write_only_keys.hpp"

namespace infinitree::cli {

namespace {

constexpr const char* kSynopsis =
    "write-only keys --read-key-file R --write-key-file W | "
    "write-only store FOLDER --write-key-file W [-m MSG] | "
    "write-only sessions --read-key-file R | "
    "write-only import --read-key-file R [--session N]... [--branch B]";

void print_warning(const std::string& w) { std::cerr << "warning: " << w << "\n"; }

// A write-only session as the target of store_folder: it adds entries and streams, and has
// no previous snapshot to read (the session is new, and nothing stored before it, by this
// writer or another, can be read with the write key).
class SessionTarget final : public SnapshotTarget {
 public:
  explicit SessionTarget(WriteOnlySession& session) : session_(session) {}
  void scan(const std::string&, const std::function<void(std::string_view, std::string_view)>&) override {}
  void put(const std::string& field, std::string_view key, std::string_view value) override {
    session_.put(field, key, value);
  }
  void erase(const std::string& field, std::string_view) override {
    // store_folder erases only entries of the previous snapshot, and there is none.
    throw Error(Errc::internal, "a write-only session has no entry to erase in " + field);
  }
  std::unique_ptr<StreamWriter> create_stream() override { return session_.create_stream(); }
  void commit(const std::string& message, const std::string& custom) override { session_.commit(message, custom); }

 private:
  WriteOnlySession& session_;
};

// A write key where the read key is needed: the writer trying to read. Exit code 3 (as
// wrong credentials), with this message alone (the library's "wrong credentials or no tree
// here" would send the reader looking for a tree).
class WriteKeyRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The read key, for the commands that read; a write key is refused up front, before
// anything else is asked for.
SecretText read_key(const ParsedArgs& args, const std::string& action) {
  const std::string refusal = "a write key cannot read what was written: `write-only " + action +
                              "` needs the read key (--read-key-file or --read-key-command)";
  if (args.has("write-key-file") || args.has("write-key-command")) throw WriteKeyRefused(refusal);
  auto key = key_from_options(args, "read");
  if (!key) throw UsageError("write-only " + action + " needs the read key: --read-key-file R or --read-key-command C");
  if (!is_read_key(key->str())) {
    if (key->str().rfind("infinitree-write-key-1:", 0) == 0)
      throw WriteKeyRefused("this is the write key: " + refusal);
    throw Error(Errc::invalid_argument, "not a write-only read key (it starts with 'infinitree-read-key-1:')");
  }
  return std::move(*key);
}

// The library says permission_denied for a write key (read_key() catches it before).
template <class F>
auto as_reader(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    if (e.code() != Errc::permission_denied) throw;
    throw WriteKeyRefused(e.what());
  }
}

int wo_keys(const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "write-only keys --read-key-file R --write-key-file W");
  auto r = args.get("read-key-file"), w = args.get("write-key-file");
  if (!r || !w) throw UsageError("usage: infinitree write-only keys --read-key-file R --write-key-file W");
  write_key_files(*r, *w);
  if (chatty(args))
    std::cerr << "read key written to " << *r << ": keep it secret, it reads everything the writers store\n"
              << "write key written to " << *w << ": give it to the backup agents (it cannot read anything)\n";
  return kOk;
}

int wo_store(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 2, 2, "write-only store FOLDER --write-key-file W [-m MSG]");
  if (args.has("read-key-file") || args.has("read-key-command"))
    throw UsageError("write-only store takes the write key (--write-key-file or --write-key-command)");
  auto key = key_from_options(args, "write");
  if (!key) throw UsageError("write-only store needs the write key: --write-key-file W or --write-key-command C");
  if (is_read_key(key->str()))
    print_warning("this is a read key: it can write, but a backup agent should hold only the write key");
  const std::string root = snapshot_root(args.positional[1]);
  s.require_local_store_exists();
  StoreOptions o = store_options(s, args, root);
  const std::string field = args.get_or("field", kFilesField);
  const std::string message = args.get_or("message", "store " + root);
  o.checkpoint_ms = parse_duration_ms(args.get_or("checkpoint", "5m"), "checkpoint", true);
  o.checkpoint_message = message + " (checkpoint)";
  CommitStats cp{"checkpoint"};
  cp.path = root;
  o.checkpoint_custom = encode_commit_stats(cp);

  auto session = WriteOnlySession::open(s.backend(), key->str(), s.options(false));
  SessionTarget target(*session);
  StoreResult r = store_folder(target, field, root, o, print_warning);
  CommitStats cs{"store", r.files, r.bytes_total, r.bytes_read, r.bytes_new, r.bytes_stored,
                 root, args.get_or("host", host_name()), args.all("tag")};
  auto info = session->commit(message, encode_commit_stats(cs));
  const uint64_t index = session->index();
  session->close();  // the session key is gone: from here on this writer reads nothing of it

  if (json_wanted(args)) {
    Json j{{"session", index}};
    set_text(j, "root", root);
    j["files"] = r.files;
    j["dirs"] = r.dirs;
    j["symlinks"] = r.symlinks;
    j["bytes_total"] = r.bytes_total;
    j["bytes_stored"] = r.bytes_stored;
    j["skipped"] = r.skipped;
    j["checkpoints"] = r.checkpoints;
    j["seconds"] = r.seconds;
    j["commit"] = info ? commit_json(*info) : Json(nullptr);
    print_json(j);
  } else {
    // stdout: the session's index alone, for scripts; the summary goes to stderr.
    std::cout << index << "\n";
    if (chatty(args)) {
      print_store_summary(std::cerr, root, r);
      std::cerr << "committed as write-only session " << index << " (only the read key opens it)\n";
    }
  }
  std::cout.flush();
  if (r.skipped) {
    std::cerr << r.skipped << " item(s) skipped, see the warnings above\n";
    return kLocalIo;
  }
  return kOk;
}

// A listed entry's status word: what the inbox says, else what the session holds.
std::string status_word(Errc status) {
  if (status == Errc::object_missing) return "missing";
  if (status == Errc::corrupt) return "corrupt";
  return errc_name(status);
}

int wo_sessions(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "write-only sessions --read-key-file R");
  SecretText key = read_key(args, "sessions");
  s.require_local_store_exists();
  auto backend = s.backend();
  const auto entries = as_reader([&] { return write_only_sessions(backend, key.str()); });
  const bool json = json_wanted(args);
  Json list = Json::array();
  bool damaged = false;
  if (!json && !entries.empty())
    std::cout << "SESSION  STATUS      COMMITS  TIME                     FILES  SIZE        PATH / MESSAGE\n";
  for (const auto& e : entries) {
    SessionSummary sum;
    sum.index = e.index;
    std::string error;
    if (e.status == Errc::ok) {
      try {
        auto tree = as_reader([&] { return open_write_only_session(backend, key.str(), e.index, s.options(true)); });
        sum = describe_session(*tree, e.index);
      } catch (const Error& err) {
        sum.status = status_word(err.code());
        error = err.what();
      }
    } else {
      sum.status = status_word(e.status);
    }
    if (sum.status != "ok" && sum.status != "empty" && sum.status != "incomplete") damaged = true;
    if (json) {
      Json j{{"session", e.index}, {"status", sum.status}, {"commits", sum.commits}};
      j["commit"] = sum.head ? commit_json(*sum.head) : Json(nullptr);
      if (!error.empty()) j["error"] = error;
      list.push_back(std::move(j));
      continue;
    }
    std::string idx = std::to_string(e.index), status = sum.status, commits = std::to_string(sum.commits);
    idx.resize(std::max<size_t>(idx.size(), 7), ' ');
    status.resize(std::max<size_t>(status.size(), 10), ' ');
    commits.insert(0, commits.size() < 7 ? 7 - commits.size() : 0, ' ');
    std::cout << idx << "  " << status << "  " << commits;
    if (sum.head) {
      std::string files = sum.stats ? std::to_string(sum.stats->files) : "-";
      std::string size = sum.stats ? human_bytes(double(sum.stats->logical)) : "-";
      files.insert(0, files.size() < 5 ? 5 - files.size() : 0, ' ');
      size.resize(std::max<size_t>(size.size(), 10), ' ');
      std::string what = sum.stats && !sum.stats->path.empty()
                             ? printable(sum.stats->path) + " (" + printable(sum.stats->host) + ")"
                             : printable(sum.head->message);
      std::cout << "  " << utc_time(sum.head->time_ms) << "  " << files << "  " << size << "  " << what;
    } else if (!error.empty()) {
      std::cout << "  " << printable(error);
    }
    std::cout << "\n";
  }
  if (json) print_json(list);
  else if (entries.empty() && chatty(args)) std::cout << "no write-only sessions for this key in the store\n";
  if (damaged) {
    std::cerr << "some entries of the inbox are missing or damaged (docs/security.md, \"Write-only trees\")\n";
    return kCorrupt;
  }
  return kOk;
}

// Switches the owner's tree to --branch for the import and back afterwards.
class BranchScope {
 public:
  BranchScope(Tree& tree, const std::optional<std::string>& branch) : tree_(tree) {
    if (!branch || *branch == tree.current_branch()) return;
    previous_ = tree.current_branch();
    bool exists = false;
    for (const auto& [name, id] : tree.branches()) exists = exists || name == *branch;
    if (!exists) tree.create_branch(*branch);
    tree.switch_branch(*branch);
  }
  ~BranchScope() {
    if (previous_.empty()) return;
    try {
      tree_.rollback();
      tree_.switch_branch(previous_);
    } catch (const std::exception& e) {
      std::cerr << "warning: could not switch back to branch " << printable(previous_) << ": " << e.what() << "\n";
    }
  }
  BranchScope(const BranchScope&) = delete;
  BranchScope& operator=(const BranchScope&) = delete;

 private:
  Tree& tree_;
  std::string previous_;
};

int wo_import(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 1, "write-only import --read-key-file R [--session N]... [--branch B]");
  SecretText key = read_key(args, "import");
  s.require_local_store_exists();
  auto backend = s.backend();
  std::vector<uint64_t> wanted;
  for (const auto& n : args.all("session")) wanted.push_back(parse_uint(n, "session"));
  const bool all = wanted.empty();
  // Every entry, to know which exist (and to refuse a write key before the owner's
  // credentials are asked for).
  const auto entries = as_reader([&] { return write_only_sessions(backend, key.str()); });
  std::map<uint64_t, Errc> listed;
  for (const auto& e : entries) {
    listed[e.index] = e.status;
    if (all) wanted.push_back(e.index);
  }

  auto owner = s.open(false);
  BranchScope scope(*owner, args.get("branch"));
  const bool json = json_wanted(args);
  Json report = Json::array();
  Errc worst = Errc::ok;
  for (uint64_t index : wanted) {
    Json j{{"session", index}};
    std::string note;
    try {
      // A gap or a damaged entry, as the listing found it.
      if (auto it = listed.find(index); it != listed.end() && it->second != Errc::ok)
        throw Error(it->second, "the inbox entry is " + status_word(it->second) +
                                    " (docs/security.md, \"Write-only trees\")");
      auto session = as_reader([&] { return open_write_only_session(backend, key.str(), index, s.options(true)); });
      ImportResult r = import_session(*owner, *session, index);
      j["status"] = r.outcome == ImportResult::imported           ? "imported"
                    : r.outcome == ImportResult::already_imported ? "already-imported"
                                                                  : r.summary.status;
      j["commit"] = r.commit ? commit_json(*r.commit) : Json(nullptr);
      if (r.outcome == ImportResult::imported)
        note = "imported as commit " + (r.commit ? r.commit->id : std::string("(none)")) +
               (r.summary.stats && !r.summary.stats->path.empty()
                    ? " (" + std::to_string(r.summary.stats->files) + " files, " +
                          human_bytes(double(r.summary.stats->logical)) + ", " + printable(r.summary.stats->path) + ")"
                    : "");
      else if (r.outcome == ImportResult::already_imported)
        note = "already imported (commit " + r.summary.head->id + " of the session), skipped";
      else
        note = r.summary.status == "empty" ? "no commit (the writer stopped before committing), skipped"
                                           : "incomplete (the writer stopped during a store), skipped";
    } catch (const Error& e) {
      // One bad session does not stop the others; an explicit --session that fails is an error too.
      if (e.code() == Errc::locked || e.code() == Errc::conflict) throw;
      if (worst == Errc::ok) worst = e.code();
      j["status"] = "failed";
      set_text(j, "error", e.what());
      note = std::string("not imported: ") + e.what();
    }
    if (json) report.push_back(std::move(j));
    else if (chatty(args) || j["status"] == "failed")
      (j["status"] == "failed" ? std::cerr : std::cout) << "session " << index << ": " << note << "\n";
  }
  if (json) print_json(report);
  if (!json && wanted.empty() && chatty(args)) std::cout << "no write-only sessions in the store\n";
  return worst == Errc::ok ? kOk : exit_code_for(worst);
}

int cmd_write_only(Session& s, const ParsedArgs& args) {
  if (args.positional.empty()) throw UsageError(std::string("usage: infinitree ") + kSynopsis);
  const std::string& action = args.positional[0];
  if (action == "keys") return wo_keys(args);
  if (action == "store") return wo_store(s, args);
  try {
    if (action == "sessions") return wo_sessions(s, args);
    if (action == "import") return wo_import(s, args);
  } catch (const WriteKeyRefused& e) {
    std::cerr << "infinitree: " << e.what() << "\n";
    return kCredentials;
  }
  throw UsageError("unknown write-only action '" + action + "' (keys, store, sessions or import)");
}

}  // namespace

void add_write_only_commands(std::vector<Command>& out) {
  std::vector<OptionSpec> options = {
      {"read-key-file", true, 0, "keys: where the new read key goes; sessions, import: the read key"},
      {"read-key-command", true, 0, "sessions, import: run this command for the read key"},
      {"write-key-file", true, 0, "keys: where the new write key goes; store: the write key"},
      {"write-key-command", true, 0, "store: run this command for the write key"},
      {"message", true, 'm', "store: the session's commit message (default: store FOLDER)"},
      {"field", true, 0, "store: the map field holding the snapshot (default: files)"},
      {"host", true, 0, "store: the host name recorded for `snapshots` (default: this machine's)"},
      {"tag", true, 0, "store: a tag recorded for `snapshots --tag` (repeatable)", true},
      {"checkpoint", true, 0, "store: commit what was uploaded so far this often (default 5m; 0: never)"},
      {"session", true, 0, "import: only this session (repeatable; default: every session)", true},
      {"branch", true, 'b', "import: onto this branch (made at HEAD if new), then back to the current one"},
  };
  for (auto& o : store_option_specs()) {
    o.help = "store: " + o.help;
    options.push_back(std::move(o));
  }
  out.push_back({"write-only", kSynopsis,
                 "write-only trees: make a key pair, store a folder with the write key alone (an untrusted "
                 "agent), list and import the stored sessions with the read key",
                 std::move(options), cmd_write_only});
}

}  // namespace infinitree::cli
