// Write-only trees (docs/security.md, "Write-only trees"): a writer with only the write key
// stores a folder, a map and a value and commits; the read key's holder restores it
// byte-identical and copies it into a tree; the writer's reads fail with permission_denied;
// objects stay uniform; dedup stays within a session; gaps and damaged entries show.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "infinitree/keys.hpp"
#include "infinitree/write_only.hpp"
#include "test_util.hpp"
#include "tree/write_only_inbox.hpp"

using namespace infinitree;
using infinitree::testing::error_of;
using infinitree::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

// A folder of a few files: text, empty, nested, and a binary one over one object.
std::map<std::string, std::string> make_folder(const fs::path& root) {
  std::mt19937_64 rng(42);
  std::string big(5 * 1024 * 1024 + 123, '\0');
  for (auto& c : big) c = static_cast<char>(rng());
  std::map<std::string, std::string> files{
      {"readme.txt", "hello from the agent\n"},
      {"empty", ""},
      {"sub/dir/notes.md", std::string(10000, 'n')},
      {"data.bin", big}};
  for (const auto& [rel, data] : files) write_file(root / rel, data);
  return files;
}

// Stores every file of `root` as a stream under its relative path in map "files".
void store_folder(WriteOnlySession& s, const fs::path& root) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    auto w = s.create_stream();
    w->write(read_file(e.path()));
    s.put("files", fs::relative(e.path(), root).generic_string(), w->finish());
  }
}

// Writes map "files" of `view` out under `out`.
void restore_folder(TreeView& view, const fs::path& out) {
  for (Cursor c = view.map("files").cursor(); c.valid(); c.next())
    write_file(out / c.key(), view.open_stream(c.value())->read_all());
}

void expect_same_folder(const fs::path& a, const std::map<std::string, std::string>& files) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(a)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), a).generic_string();
    ASSERT_TRUE(files.count(rel)) << rel;
    EXPECT_TRUE(read_file(e.path()) == files.at(rel)) << rel << " differs";
    ++n;
  }
  EXPECT_EQ(n, files.size());
}

void expect_uniform_objects(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().parent_path().filename() == "locks") continue;
    if (e.path().filename().string().rfind(".tmp-", 0) == 0) continue;
    EXPECT_EQ(e.file_size(), kObjectSize) << e.path();
    ++n;
  }
  EXPECT_GT(n, 0u);
}

fs::path object_path(const fs::path& dir, const ObjectId& id) {
  std::string hex = id.hex();
  return dir / hex.substr(0, 2) / hex;
}

}  // namespace

TEST(WriteOnly, AWriterStoresAFolderTheReaderRestoresAndCopies) {
  ScratchDir store, src, out, out2;
  auto backend = make_directory_backend(store.path());
  {
    auto owner = create_tree(backend, Credential::password("owner", "pw", KdfParams::insecure_fast()),
                             fast());
    owner->value("base").set("owner's data");
    owner->commit("base");
  }
  WriteOnlyKeys keys = make_write_only_keys();
  EXPECT_EQ(write_key_of(keys.read_key), keys.write_key);
  auto files = make_folder(src.path());

  auto writer = WriteOnlySession::open(backend, keys.write_key, fast());
  EXPECT_EQ(writer->index(), 0u);
  store_folder(*writer, src.path());
  writer->put("meta", "host", "agent-1");
  writer->set("note", "nightly");
  ASSERT_TRUE(writer->commit("backup of src", "custom bytes"));
  writer->close();
  EXPECT_EQ(error_of([&] { writer->put("meta", "k", "v"); }), Errc::closed);

  // The writer's attempts to read, its own session included, fail with one stable code.
  EXPECT_EQ(error_of([&] { write_only_sessions(backend, keys.write_key); }), Errc::permission_denied);
  EXPECT_EQ(error_of([&] { open_write_only_session(backend, keys.write_key, 0); }),
            Errc::permission_denied);
  EXPECT_EQ(error_of([&] { open_write_only_session(backend, "infinitree-read-key-1:00", 0); }),
            Errc::invalid_argument);

  // The reader lists the session, opens it read-only and restores the folder byte-identical.
  auto sessions = write_only_sessions(backend, keys.read_key);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].index, 0u);
  EXPECT_EQ(sessions[0].status, Errc::ok);
  {
    auto session = open_write_only_session(backend, keys.read_key, 0, fast());
    EXPECT_TRUE(session->read_only());
    ASSERT_EQ(session->log().size(), 1u);
    EXPECT_EQ(session->log()[0].message, "backup of src");
    EXPECT_EQ(session->log()[0].custom, "custom bytes");
    EXPECT_EQ(session->map("meta").get("host"), "agent-1");
    EXPECT_EQ(session->value("note").get(), "nightly");
    restore_folder(*session, out.path());
    expect_same_folder(out.path(), files);

    // Copied onto a branch of the owner's tree, sealed under its keys from then on.
    auto owner = open_tree(backend, Credential::password("owner", "pw", KdfParams::insecure_fast()),
                           fast());
    owner->create_branch("agent-1");
    owner->switch_branch("agent-1");
    copy_fields(*session, *owner);
    ASSERT_TRUE(owner->commit("write-only session 0"));
    owner->switch_branch("main");
    EXPECT_FALSE(owner->has_field("files"));
  }
  {
    auto owner = open_tree(backend, Credential::password("owner", "pw", KdfParams::insecure_fast()),
                           fast());
    owner->switch_branch("agent-1");
    EXPECT_EQ(owner->value("base").get(), "owner's data");
    EXPECT_EQ(owner->map("meta").get("host"), "agent-1");
    restore_folder(*owner, out2.path());
    expect_same_folder(out2.path(), files);
  }
  expect_uniform_objects(store.path());
}

TEST(WriteOnly, DedupStaysWithinOneSession) {
  auto backend = make_memory_backend();
  WriteOnlyKeys keys = make_write_only_keys();
  std::mt19937_64 rng(9);
  std::string data(3 * 1024 * 1024, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  auto store = [&](WriteOnlySession& s) {
    auto w = s.create_stream();
    w->write(data);
    std::string ref = w->finish();
    s.put("f", std::to_string(s.index()), ref);
    return w->stats();
  };
  auto first = WriteOnlySession::open(backend, keys.write_key);
  StreamStats a = store(*first);
  StreamStats again = store(*first);  // the same session dedups against itself
  EXPECT_GT(a.chunks, 1u);
  EXPECT_EQ(again.chunks_new, 0u);
  first->commit("a");
  first->close();
  // Another session cannot tell that the data is already stored: everything is new to it.
  auto second = WriteOnlySession::open(backend, keys.write_key);
  StreamStats b = store(*second);
  EXPECT_EQ(b.chunks_new, b.chunks);
  EXPECT_EQ(b.bytes_new, b.bytes_in);
  second->commit("b");
  second->close();
  auto s0 = open_write_only_session(backend, keys.read_key, 0);
  auto s1 = open_write_only_session(backend, keys.read_key, 1);
  EXPECT_TRUE(s0->open_stream(*s0->map("f").get("0"))->read_all() == data);
  EXPECT_TRUE(s1->open_stream(*s1->map("f").get("1"))->read_all() == data);
}

TEST(WriteOnly, WritersClaimDistinctEntriesAndDeletionsOrDamageShow) {
  ScratchDir store;
  auto backend = make_directory_backend(store.path());
  WriteOnlyKeys keys = make_write_only_keys();
  std::vector<std::unique_ptr<WriteOnlySession>> writers;
  for (int i = 0; i < 3; ++i) {
    // Open at once: each claims its own entry. A read key writes as well.
    writers.push_back(WriteOnlySession::open(backend, i == 2 ? keys.read_key : keys.write_key));
    EXPECT_EQ(writers.back()->index(), static_cast<uint64_t>(i));
  }
  for (auto& w : writers) {
    w->set("who", std::to_string(w->index()));
    w->commit("c");
    w->close();
  }
  auto all = write_only_sessions(backend, keys.read_key);
  ASSERT_EQ(all.size(), 3u);
  for (const auto& e : all) EXPECT_EQ(e.status, Errc::ok);

  // The store deletes entry 1 and overwrites entry 2 with another object.
  fs::remove(object_path(store.path(), detail::write_only_entry_id(keys.write_key, 1)));
  auto e2 = object_path(store.path(), detail::write_only_entry_id(keys.write_key, 2));
  write_file(e2, std::string(kObjectSize, 'x'));
  all = write_only_sessions(backend, keys.read_key);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].status, Errc::ok);
  EXPECT_EQ(all[1].status, Errc::object_missing);
  EXPECT_EQ(all[2].status, Errc::corrupt);
  EXPECT_EQ(error_of([&] { open_write_only_session(backend, keys.read_key, 1); }), Errc::not_found);
  EXPECT_EQ(error_of([&] { open_write_only_session(backend, keys.read_key, 2); }), Errc::corrupt);
  EXPECT_EQ(open_write_only_session(backend, keys.read_key, 0)->value("who").get(), "0");

  // Another key pair's reader sees nothing of this inbox.
  EXPECT_TRUE(write_only_sessions(backend, make_write_only_keys().read_key).empty());
  EXPECT_EQ(error_of([&] { WriteOnlySession::open(backend, "infinitree-write-key-1:zz"); }),
            Errc::invalid_argument);
  expect_uniform_objects(store.path());
}

// Writers that start at the same moment race for the same free entry; the conditional
// create lets exactly one win each, and the losers move on.
TEST(WriteOnly, RacingWritersGetDistinctEntries) {
  ScratchDir store;
  WriteOnlyKeys keys = make_write_only_keys();
  constexpr int kWriters = 6;
  std::vector<uint64_t> indices(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i)
    threads.emplace_back([&, i] {
      auto s = WriteOnlySession::open(make_directory_backend(store.path()), keys.write_key);
      s->set("who", std::to_string(i));
      s->commit("c");
      indices[i] = s->index();
    });
  for (auto& t : threads) t.join();
  std::sort(indices.begin(), indices.end());
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(indices[i], static_cast<uint64_t>(i));
  auto backend = make_directory_backend(store.path());
  std::set<std::string> who;
  for (const auto& e : write_only_sessions(backend, keys.read_key)) {
    ASSERT_EQ(e.status, Errc::ok);
    who.insert(*open_write_only_session(backend, keys.read_key, e.index)->value("who").get());
  }
  EXPECT_EQ(who.size(), static_cast<size_t>(kWriters));
}
