// `write-only import` (write_only_import.hpp) below the command line: a session's snapshot
// replaces the owner's snapshot field (no merge with the owner's entries), its metadata's
// refs name the re-written streams, the writer's CommitStats go with the commit, and a
// session is imported once; a session without a commit is not importable; a session that
// writes the import record, or a field of another type than the owner's, is refused and
// leaves the owner's working state as it was.
#include <gtest/gtest.h>

#include "common.hpp"
#include "file_meta.hpp"
#include "infinitree/keys.hpp"
#include "infinitree/write_only.hpp"
#include "snapshot.hpp"
#include "write_only_import.hpp"

using namespace infinitree;
using namespace infinitree::cli;

namespace {

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

std::unique_ptr<Tree> make_owner(const std::shared_ptr<Backend>& backend) {
  auto owner = create_tree(backend, Credential::password("owner", "pw", KdfParams::insecure_fast()), fast());
  auto w = owner->create_stream();
  w->write(std::string("owner's data"));
  const std::string ref = w->finish();
  FileMeta m;
  m.size = 12;
  m.ref = ref;
  owner->map("files").put("old.txt", encode_file_meta(m));
  owner->map(streams_field("files")).put("old.txt", ref);
  owner->commit("own snapshot", encode_commit_stats(CommitStats{"store"}));
  return owner;
}

// A session as `write-only store` writes it: one file in "files", its ref in "files.streams".
std::string store_session(const std::shared_ptr<Backend>& backend, const std::string& write_key,
                          const std::function<void(WriteOnlySession&)>& extra = {}) {
  auto s = WriteOnlySession::open(backend, write_key, fast());
  auto w = s->create_stream();
  w->write(std::string("agent data"));
  const std::string ref = w->finish();
  FileMeta m;
  m.size = 10;
  m.ref = ref;
  s->put("files", "new.txt", encode_file_meta(m));
  s->put(streams_field("files"), "new.txt", ref);
  if (extra) extra(*s);
  CommitStats cs{"store"};
  cs.files = 1;
  cs.path = "/srv/data";
  cs.host = "agent-1";
  s->commit("nightly", encode_commit_stats(cs));
  s->close();
  return ref;
}

Errc error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return Errc::ok;
}

}  // namespace

TEST(WriteOnlyImport, ASnapshotReplacesTheFieldOnceWithItsRefsInStep) {
  auto backend = make_memory_backend();
  auto owner = make_owner(backend);
  WriteOnlyKeys keys = make_write_only_keys();
  const std::string session_ref = store_session(backend, keys.write_key);

  auto session = open_write_only_session(backend, keys.read_key, 0, fast());
  ImportResult r = import_session(*owner, *session, 0);
  ASSERT_EQ(r.outcome, ImportResult::imported);
  ASSERT_TRUE(r.commit);
  EXPECT_EQ(r.commit->message, "import write-only session 0: nightly");
  auto stats = decode_commit_stats(r.commit->custom);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->kind, "store");  // so `snapshots` lists it
  EXPECT_EQ(stats->host, "agent-1");
  EXPECT_EQ(stats->path, "/srv/data");

  EXPECT_FALSE(owner->map("files").get("old.txt"));  // replaced, not merged
  EXPECT_FALSE(owner->map(streams_field("files")).get("old.txt"));
  auto ref = owner->map(streams_field("files")).get("new.txt");
  ASSERT_TRUE(ref);
  EXPECT_NE(*ref, session_ref);  // re-written under the owner's keys
  EXPECT_EQ(decode_file_meta(*owner->map("files").get("new.txt"), "new.txt").ref, *ref);
  EXPECT_EQ(owner->open_stream(*ref)->read_all(), "agent data");
  // The owner's own snapshot is still in the history.
  auto before = owner->checkout(owner->log()[1].id);
  EXPECT_TRUE(before->map("files").get("old.txt"));

  // Again: skipped, nothing committed or left changed.
  ImportResult again = import_session(*owner, *session, 0);
  EXPECT_EQ(again.outcome, ImportResult::already_imported);
  EXPECT_FALSE(again.commit);
  EXPECT_EQ(owner->log().size(), 2u);
  EXPECT_FALSE(owner->has_changes());
}

TEST(WriteOnlyImport, ASessionWithoutACommitIsNotImportable) {
  auto backend = make_memory_backend();
  auto owner = make_owner(backend);
  WriteOnlyKeys keys = make_write_only_keys();
  WriteOnlySession::open(backend, keys.write_key, fast())->close();
  auto session = open_write_only_session(backend, keys.read_key, 0, fast());
  ImportResult r = import_session(*owner, *session, 0);
  EXPECT_EQ(r.outcome, ImportResult::not_importable);
  EXPECT_EQ(r.summary.status, "empty");
  EXPECT_EQ(owner->log().size(), 1u);
}

TEST(WriteOnlyImport, RefusedSessionsLeaveTheOwnersTreeAsItWas) {
  auto backend = make_memory_backend();
  auto owner = make_owner(backend);
  WriteOnlyKeys keys = make_write_only_keys();
  // A writer that tries to edit the record of imports.
  store_session(backend, keys.write_key,
                [](WriteOnlySession& s) { s.put(kImportedField, "some-session", "some-commit"); });
  // A writer whose field has another type than the owner's (a value where a map is).
  store_session(backend, keys.write_key, [](WriteOnlySession& s) { s.set("kv", "a value"); });
  owner->map("kv").put("k", "v");
  owner->commit("kv");

  auto s0 = open_write_only_session(backend, keys.read_key, 0, fast());
  EXPECT_EQ(error_of([&] { import_session(*owner, *s0, 0); }), Errc::corrupt);
  auto s1 = open_write_only_session(backend, keys.read_key, 1, fast());
  EXPECT_EQ(error_of([&] { import_session(*owner, *s1, 1); }), Errc::invalid_argument);
  EXPECT_FALSE(owner->has_changes());
  EXPECT_EQ(owner->log().size(), 2u);
  EXPECT_TRUE(owner->map("files").get("old.txt"));
}
