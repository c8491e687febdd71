// Key slots and raw keys (docs/security.md, "Key slots"): add, list, remove, open with each
// kind of credential, the migration of a single-credential tree, what a stale slot object
// still opens, and SIGKILL during slot changes.
#include <gtest/gtest.h>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "crypto/kdf.hpp"
#include "infinitree/keys.hpp"
#include "object/format.hpp"
#include "child_process.hpp"
#include "test_util.hpp"
#include "tree/tree_access.hpp"
#include "tree/tree_core.hpp"

using namespace infinitree;
using infinitree::testing::error_of;
using infinitree::testing::ScratchDir;

namespace {

OpenOptions fast() {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  return o;
}

Credential pw(const std::string& user, const std::string& password) {
  return Credential::password(user, password, KdfParams::insecure_fast());
}

std::string key_of(char c) { return std::string(kRawKeySize, c); }

// The file of object `id` in a directory store.
std::filesystem::path object_path(const std::filesystem::path& dir, const ObjectId& id) {
  std::string hex = id.hex();
  return dir / hex.substr(0, 2) / hex;
}

ObjectId locator_of(const Credential& c) {
  ObjectId id;
  id.bytes = detail::derive_keys(c).root_object_id;
  return id;
}

uint32_t format_of(Tree& t) { return detail::TreeAccess::core(t).root_record().format_version; }

// Every file of the store that names an object is exactly one object long.
void expect_uniform_objects(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().parent_path().filename() == "locks") continue;
    if (e.path().filename().string().rfind(".tmp-", 0) == 0) continue;
    EXPECT_EQ(e.file_size(), kObjectSize) << e.path();
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace

TEST(KeySlots, ThreeCredentialsOpenAndARemovedOneFails) {
  ScratchDir dir;
  auto backend = make_directory_backend(dir.path());
  std::string alice_id, bob_id, robot_id;
  {
    auto t = create_tree(backend, pw("owner", "first"), fast());
    t->map("m").put("k", "v");
    t->commit("c1");
    EXPECT_EQ(format_of(*t), kSingleCredentialFormatVersion);
    auto before = key_slots(*t);
    ASSERT_EQ(before.size(), 1u);
    EXPECT_TRUE(before[0].current);
    EXPECT_EQ(before[0].kind, KeySlotKind::password);

    alice_id = add_key_slot(*t, pw("alice", "a-pass"), "alice's laptop");
    EXPECT_EQ(format_of(*t), kFormatVersion);  // migrated by the first slot change
    bob_id = add_key_slot(*t, pw("bob", "b-pass"), "bob");
    robot_id = add_key_slot(*t, Credential::raw_key(key_of('r')), "backup robot");
    t->map("m").put("k2", "after slots");
    t->commit("c2");

    auto slots = key_slots(*t);
    ASSERT_EQ(slots.size(), 4u);
    EXPECT_EQ(slots[0].id, before[0].id);  // the opening credential kept its id
    EXPECT_TRUE(slots[0].current);
    EXPECT_EQ(slots[1].id, alice_id);
    EXPECT_EQ(slots[1].label, "alice's laptop");
    EXPECT_EQ(slots[3].kind, KeySlotKind::raw_key);
    EXPECT_EQ(slots[3].label, "backup robot");
    for (const auto& s : slots) {
      EXPECT_EQ(s.id.size(), 16u);
      EXPECT_GT(s.created_ms, 1600000000000);
    }
    EXPECT_FALSE(slots[1].current);
  }
  for (const Credential& c : {pw("owner", "first"), pw("alice", "a-pass"), pw("bob", "b-pass"),
                              Credential::raw_key(key_of('r'))}) {
    auto t = open_tree(backend, c, fast());
    EXPECT_EQ(t->map("m").get("k"), "v");
    EXPECT_EQ(t->map("m").get("k2"), "after slots");
    EXPECT_EQ(t->log().size(), 2u);
    int current = 0;
    for (const auto& s : key_slots(*t)) current += s.current;
    EXPECT_EQ(current, 1);
  }
  {
    auto t = open_tree(backend, pw("alice", "a-pass"), fast());
    remove_key_slot(*t, bob_id);
    EXPECT_EQ(key_slots(*t).size(), 3u);
  }
  EXPECT_EQ(error_of([&] { open_tree(backend, pw("bob", "b-pass"), fast()); }), Errc::wrong_credentials);
  EXPECT_FALSE(std::filesystem::exists(object_path(dir.path(), locator_of(pw("bob", "b-pass")))))
      << "a removed slot's object must be deleted, not only unlisted";
  EXPECT_EQ(open_tree(backend, pw("owner", "first"), fast())->map("m").get("k2"), "after slots");
  EXPECT_EQ(open_tree(backend, Credential::raw_key(key_of('r')), fast())->log().size(), 2u);
  expect_uniform_objects(dir.path());
}

TEST(KeySlots, BadRequestsAreClearErrors) {
  auto backend = make_memory_backend();
  auto t = create_tree(backend, pw("u", "p"), fast());
  std::string only = key_slots(*t)[0].id;
  EXPECT_EQ(error_of([&] { remove_key_slot(*t, only); }), Errc::invalid_argument);  // the last one
  EXPECT_EQ(error_of([&] { remove_key_slot(*t, "0123456789abcdef"); }), Errc::not_found);
  EXPECT_EQ(error_of([&] { remove_key_slot(*t, "not hex"); }), Errc::invalid_argument);
  EXPECT_EQ(error_of([&] { add_key_slot(*t, pw("u", "p"), "again"); }), Errc::already_exists);
  EXPECT_EQ(error_of([&] { add_key_slot(*t, pw("v", "q"), std::string(65, 'l')); }),
            Errc::invalid_argument);
  EXPECT_EQ(error_of([&] { add_key_slot(*t, pw("v", "q"), std::string("a\0b", 3)); }),
            Errc::invalid_argument);
  EXPECT_EQ(error_of([] { Credential::raw_key(std::string(31, 'k')); }), Errc::invalid_argument);
  EXPECT_EQ(error_of([] { Credential::raw_key(std::string(33, 'k')); }), Errc::invalid_argument);
  EXPECT_EQ(error_of([] { Credential::password("", "p"); }), Errc::invalid_argument);

  std::string second = add_key_slot(*t, pw("v", "q"), "v");
  EXPECT_EQ(error_of([&] { add_key_slot(*t, pw("v", "q"), "v again"); }), Errc::already_exists);
  remove_key_slot(*t, only);  // the current slot may go while another remains
  EXPECT_EQ(error_of([&] { remove_key_slot(*t, second); }), Errc::invalid_argument);
  for (size_t i = key_slots(*t).size(); i < kMaxKeySlots; ++i)
    add_key_slot(*t, Credential::raw_key(key_of(static_cast<char>('a' + i))), "k" + std::to_string(i));
  EXPECT_EQ(error_of([&] { add_key_slot(*t, Credential::raw_key(key_of('Z')), "one too many"); }),
            Errc::too_large);
  t->close();

  auto ro_opts = fast();
  ro_opts.read_only = true;
  auto ro = open_tree(backend, pw("v", "q"), ro_opts);
  EXPECT_EQ(error_of([&] { add_key_slot(*ro, pw("w", "r"), ""); }), Errc::read_only);
  EXPECT_EQ(error_of([&] { remove_key_slot(*ro, second); }), Errc::read_only);
  EXPECT_EQ(key_slots(*ro).size(), kMaxKeySlots);
}

TEST(KeySlots, RawKeyTreesOpenOnlyWithTheirKey) {
  auto backend = make_memory_backend();
  {
    auto t = create_tree(backend, Credential::raw_key(key_of('k')), fast());
    t->value("v").set("secret");
    t->commit("c");
    EXPECT_EQ(key_slots(*t)[0].kind, KeySlotKind::raw_key);
  }
  EXPECT_EQ(open_tree(backend, Credential::raw_key(key_of('k')), fast())->value("v").get(), "secret");
  // A wrong key is the same error as a wrong password.
  EXPECT_EQ(error_of([&] { open_tree(backend, Credential::raw_key(key_of('j')), fast()); }),
            Errc::wrong_credentials);
  EXPECT_EQ(error_of([&] { open_tree(backend, pw("u", "p"), fast()); }), Errc::wrong_credentials);
  // The raw key is not a password: the same 32 bytes as a password open nothing.
  EXPECT_EQ(error_of([&] { open_tree(backend, pw("u", key_of('k')), fast()); }), Errc::wrong_credentials);
}

TEST(KeySlots, AStaleSlotObjectOpensNothingButAStoreCopyStillDoes) {
  ScratchDir dir, copy;
  auto backend = make_directory_backend(dir.path());
  Credential leaving = pw("leaving", "pw");
  std::string leaving_id;
  {
    auto t = create_tree(backend, pw("stays", "pw"), fast());
    t->value("v").set("before");
    t->commit("c1");
    leaving_id = add_key_slot(*t, leaving, "temp");
  }
  std::filesystem::copy(dir.path(), copy.path(), std::filesystem::copy_options::recursive |
                                                     std::filesystem::copy_options::overwrite_existing);
  auto slot_file = object_path(dir.path(), locator_of(leaving));
  auto saved = copy.path() / std::filesystem::relative(slot_file, dir.path());
  {
    auto t = open_tree(backend, pw("stays", "pw"), fast());
    remove_key_slot(*t, leaving_id);
    t->value("v").set("after");
    t->commit("c2");
  }
  // A crash between unlisting and deleting leaves the slot object: it still unwraps the
  // master key, but the state root no longer lists it.
  std::filesystem::copy_file(saved, slot_file);
  EXPECT_EQ(error_of([&] { open_tree(backend, leaving, fast()); }), Errc::wrong_credentials);
  // The next slot change deletes nothing it should not, and the tree keeps opening.
  {
    auto t = open_tree(backend, pw("stays", "pw"), fast());
    add_key_slot(*t, pw("new", "pw"), "new");
  }
  EXPECT_EQ(open_tree(backend, pw("new", "pw"), fast())->value("v").get(), "after");
  // A copy of the store taken before the removal still opens with the removed credential:
  // removal does not revoke copies (docs/security.md).
  auto old = open_tree(make_directory_backend(copy.path()), leaving, fast());
  EXPECT_EQ(old->value("v").get(), "before");
}

TEST(KeySlots, PasswordChangeInTheSlotLayoutSwapsOnlyItsSlot) {
  auto backend = make_memory_backend();
  {
    auto t = create_tree(backend, pw("u", "old"), fast());
    add_key_slot(*t, Credential::raw_key(key_of('x')), "kms");
    t->map("m").put("a", "b");
    t->commit("c");
    t->change_password("u", "new", KdfParams::insecure_fast());
    auto slots = key_slots(*t);
    ASSERT_EQ(slots.size(), 2u);
    EXPECT_EQ(slots[0].label, "kms");
    EXPECT_TRUE(slots[1].current);
    t->map("m").put("c", "d");
    t->commit("after");
  }
  EXPECT_EQ(error_of([&] { open_tree(backend, pw("u", "old"), fast()); }), Errc::wrong_credentials);
  EXPECT_EQ(open_tree(backend, pw("u", "new"), fast())->map("m").get("c"), "d");
  EXPECT_EQ(open_tree(backend, Credential::raw_key(key_of('x')), fast())->map("m").get("a"), "b");
}

TEST(KeySlots, AnotherTreesCredentialCannotBeAdded) {
  auto backend = make_memory_backend();
  create_tree(backend, pw("other", "tree"), fast())->close();
  auto t = create_tree(backend, pw("mine", "tree"), fast());
  EXPECT_EQ(error_of([&] { add_key_slot(*t, pw("other", "tree"), "steal"); }), Errc::already_exists);
  EXPECT_EQ(open_tree(backend, pw("other", "tree"), fast())->log().size(), 0u);
}

// A writer rotates its password and adds and removes a raw-key slot in a loop; it is killed
// at random moments. Afterwards one of the passwords it may have held must open the tree,
// with the data intact.
TEST(KeySlots, KilledDuringSlotChangesSomeCredentialStillOpens) {
  ScratchDir dir;
  constexpr int kPasswords = 4;
  auto password = [](int i) { return pw("rot", "pw" + std::to_string(i)); };
  {
    auto t = create_tree(make_directory_backend(dir.path()), password(0), fast());
    t->value("v").set("data");
    t->commit("c");
    // Migrated to the slot layout up front: a single-credential tree's password change
    // writes a second root and deletes the first, and a kill in between leaves two roots
    // that a later rotation back to the same password would refuse (already_exists).
    remove_key_slot(*t, add_key_slot(*t, Credential::raw_key(key_of('m')), "migrate"));
  }
  std::mt19937 rng(7);
  int rounds = infinitree::testing::kSanitizedBuild ? 12 : 40;
  for (int round = 0; round < rounds; ++round) {
    infinitree::testing::ChildProcess child([&](int report_fd) {
      std::unique_ptr<Tree> t;
      int current = 0;
      for (int i = 0; i < kPasswords && !t; ++i) {
        try {
          t = open_tree(make_directory_backend(dir.path()), password(i), fast());
          current = i;
        } catch (const Error&) {
        }
      }
      if (!t) _exit(4);
      char ready = 1;
      if (write(report_fd, &ready, 1) != 1) _exit(3);
      // A kill between adding one slot and removing another left both listed: keep only
      // the one this writer opened with (as an administrator would).
      for (const auto& s : key_slots(*t))
        if (!s.current) remove_key_slot(*t, s.id);
      for (;;) {
        int next = (current + 1) % kPasswords;
        t->change_password("rot", "pw" + std::to_string(next), KdfParams::insecure_fast());
        current = next;
        std::string id = add_key_slot(*t, Credential::raw_key(key_of('q')), "temp");
        remove_key_slot(*t, id);
      }
    });
    char ready = 0;
    pollfd p{child.report_fd(), POLLIN, 0};
    bool started = poll(&p, 1, 60000) == 1 && read(child.report_fd(), &ready, 1) == 1;
    child.kill_after(std::chrono::microseconds(started ? rng() % 20000 : 0));
    auto exit = child.wait();
    ASSERT_TRUE(started) << "round " << round << ": the writer found no credential that opens";
    ASSERT_TRUE(exit.killed) << "writer exited with " << exit.code;
    int opening = 0;
    for (int i = 0; i < kPasswords; ++i) {
      try {
        auto ro = fast();
        ro.read_only = true;
        auto t = open_tree(make_directory_backend(dir.path()), password(i), ro);
        EXPECT_EQ(t->value("v").get(), "data");
        ++opening;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::wrong_credentials) << e.what();
      }
    }
    ASSERT_GE(opening, 1) << "round " << round << ": no credential opens the tree";
    ASSERT_LE(opening, 2) << "a password change leaves at most the old and the new one";
  }
  expect_uniform_objects(dir.path());
}

// A reader that follows a single-credential tree keeps following when the writer's first
// slot change moves the state to the state root (the credential's object becomes its slot).
TEST(KeySlots, AFollowerRefreshesAcrossTheMigrationToSlots) {
  auto backend = make_memory_backend();
  auto writer = create_tree(backend, pw("u", "p"), fast());
  writer->value("v").set("one");
  writer->commit("c1");
  auto ro = fast();
  ro.read_only = true;
  auto reader = open_tree(backend, pw("u", "p"), ro);
  EXPECT_EQ(reader->value("v").get(), "one");

  add_key_slot(*writer, Credential::raw_key(key_of('f')), "follower test");
  ASSERT_EQ(format_of(*writer), kFormatVersion);
  writer->value("v").set("two");
  writer->commit("c2");
  EXPECT_TRUE(reader->refresh());
  EXPECT_EQ(reader->value("v").get(), "two");
  EXPECT_EQ(format_of(*reader), kFormatVersion);
  auto slots = key_slots(*reader);
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_TRUE(slots[0].current);  // the slot its credential became

  writer->value("v").set("three");
  writer->commit("c3");
  EXPECT_TRUE(reader->refresh());
  EXPECT_EQ(reader->value("v").get(), "three");
  EXPECT_FALSE(reader->refresh());  // nothing new

  // A reader that opened with a slot follows the state root directly.
  auto slot_reader = open_tree(backend, Credential::raw_key(key_of('f')), ro);
  writer->value("v").set("four");
  writer->commit("c4");
  EXPECT_TRUE(slot_reader->refresh());
  EXPECT_EQ(slot_reader->value("v").get(), "four");
}
