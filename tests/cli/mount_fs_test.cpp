// Unit tests of mount_fs.hpp without FUSE: the layout (ids, branches, tags, snapshots), a
// folder snapshot with its modes and links, maps, sets, lists and values as files, escaped
// key names, and damaged entries answered with EIO (and a message), never an exception.
#include <gtest/gtest.h>

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "common.hpp"
#include "file_meta.hpp"
#include "mount_fs.hpp"
#include "snapshot.hpp"

using namespace infinitree;
using namespace infinitree::cli;

namespace {

OpenOptions fast(bool read_only = false) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.read_only = read_only;
  return o;
}

std::string meta(uint8_t type, uint32_t mode, int64_t mtime_s, const std::string& target = {},
                 const std::string& ref = {}, uint64_t size = 0) {
  FileMeta m;
  m.type = type;
  m.mode = mode;
  m.mtime_ns = mtime_s * 1000000000 + 7;
  m.target = target;
  m.ref = ref;
  m.size = type == FileMeta::kSymlink ? target.size() : size;
  m.uid = 1234;
  m.gid = 5678;
  return encode_file_meta(m);
}

class CliMountFs : public ::testing::Test {
 protected:
  void SetUp() override {
    auto backend = make_memory_backend();
    auto t = Tree::create(backend, "u", "p", fast());
    auto w = t->create_stream();
    w->write(std::string("hello, mount"));
    const std::string ref = w->finish();
    Map files = t->map("files"), streams = t->map(streams_field("files"));
    files.put(".", meta(FileMeta::kDir, 0750, 1000));
    files.put("a", meta(FileMeta::kDir, 0700, 1001));
    files.put("a/x", meta(FileMeta::kFile, 0640, 1002, {}, "stale", 12));
    streams.put("a/x", ref);  // the streams map's ref wins over the stale copy
    files.put("a/y", meta(FileMeta::kSymlink, 0777, 1003, "x"));
    files.put("a.txt", meta(FileMeta::kFile, 0644, 1004));
    files.put("b/c", meta(FileMeta::kFile, 0600, 1005));  // no entry of its own for b
    files.put("bad", "not metadata");
    // Keys `store` never writes: not shown, and they hide nothing beside them.
    for (const char* hostile : {"../up", "./c", "a//b", "a/./d", "/abs"})
      files.put(hostile, meta(FileMeta::kFile, 0644, 1));
    files.put("...", meta(FileMeta::kFile, 0644, 1006));  // a fine name
    t->map("kv").put("plain", "value");
    t->map("kv").put("a/b%", "escaped");
    t->map("kv").put("streamed", ref);
    t->set("tags").insert("one");
    t->list("items").push_back("first");
    t->list("items").push_back("second");
    t->value("cfg").set("conf");
    CommitStats st{"store"};
    st.host = "box/1";
    id_ = t->commit("store", encode_commit_stats(st))->id;
    t->create_tag("t/1", id_);
    t->map("kv").put("later", "v2");
    id2_ = t->commit("put")->id;
    t->close();
    fs_ = std::make_unique<MountFs>(Tree::open(backend, "u", "p", fast(true)),
                                    [this](const std::string& w) { warnings_.push_back(w); });
  }

  std::map<std::string, MountAttr::Kind> list(const std::string& path, int want_rc = 0) {
    std::map<std::string, MountAttr::Kind> out;
    int rc = fs_->readdir(path, [&](const std::string& name, MountAttr::Kind kind) {
      EXPECT_TRUE(out.emplace(name, kind).second) << "listed twice: " << name;
    });
    EXPECT_EQ(rc, want_rc) << path;
    return out;
  }
  std::string read(const std::string& path) {
    std::unique_ptr<MountFile> f;
    EXPECT_EQ(fs_->open(path, f), 0) << path;
    if (!f) return "<no file>";
    std::string out(f->size() + 10, '\0');
    long n = f->read(out.data(), out.size(), 0);
    EXPECT_GE(n, 0);
    out.resize(static_cast<size_t>(std::max(n, 0L)));
    return out;
  }
  MountAttr attr(const std::string& path) {
    MountAttr a;
    EXPECT_EQ(fs_->getattr(path, a), 0) << path;
    return a;
  }
  int attr_rc(const std::string& path) {
    MountAttr a;
    return fs_->getattr(path, a);
  }

  std::string id_, id2_;
  std::unique_ptr<MountFs> fs_;
  std::vector<std::string> warnings_;
};

}  // namespace

TEST_F(CliMountFs, TopFoldersNameEveryCommitBranchTagAndSnapshot) {
  auto root = list("/");
  EXPECT_EQ(root.size(), 5u);
  EXPECT_EQ(root.count("ids") + root.count("branches") + root.count("tags") + root.count("snapshots") +
                root.count("hosts"),
            5u);
  auto ids = list("/ids");
  EXPECT_EQ(ids.at(id_), MountAttr::kDir);
  EXPECT_EQ(ids.at(id2_), MountAttr::kDir);
  EXPECT_EQ(ids.at(id_.substr(0, 12)), MountAttr::kLink);
  std::string target;
  EXPECT_EQ(fs_->readlink("/ids/" + id_.substr(0, 12), target), 0);
  EXPECT_EQ(target, id_);
  EXPECT_EQ(fs_->readlink("/branches/main", target), 0);
  EXPECT_EQ(target, "../ids/" + id2_);
  EXPECT_EQ(list("/tags").count("t%2F1"), 1u);  // a '/' in a tag name is escaped
  EXPECT_EQ(fs_->readlink("/tags/t%2F1", target), 0);
  EXPECT_EQ(target, "../ids/" + id_);
  auto snaps = list("/snapshots");
  ASSERT_EQ(snaps.size(), 2u);  // the store commit and latest; the put is no snapshot
  EXPECT_EQ(fs_->readlink("/snapshots/latest", target), 0);
  ASSERT_EQ(snaps.count(target), 1u);
  EXPECT_EQ(fs_->readlink("/snapshots/" + target, target), 0);
  EXPECT_EQ(target, "../ids/" + id_);
  const std::string snap_name = list("/snapshots").begin()->first;  // the time sorts before "latest"
  std::map<std::string, MountAttr::Kind> hosts = {{"box%2F1", MountAttr::kDir}};
  EXPECT_EQ(list("/hosts"), hosts);
  std::map<std::string, MountAttr::Kind> of_host = {{snap_name, MountAttr::kLink}, {"latest", MountAttr::kLink}};
  EXPECT_EQ(list("/hosts/box%2F1"), of_host);
  EXPECT_EQ(fs_->readlink("/hosts/box%2F1/" + snap_name, target), 0);
  EXPECT_EQ(target, "../../ids/" + id_);
  EXPECT_EQ(fs_->readlink("/hosts/box%2F1/latest", target), 0);
  EXPECT_EQ(target, snap_name);
  EXPECT_EQ(attr_rc("/hosts/other"), -ENOENT);
  EXPECT_EQ(attr_rc("/hosts/box%2F1/latest/files"), -ENOENT);  // the kernel follows the link itself
  EXPECT_EQ(attr_rc("/nothing"), -ENOENT);
  EXPECT_EQ(attr_rc("/ids/0123456789abcdef0123456789abcdef"), -ENOENT);
  EXPECT_EQ(attr_rc("/ids/" + id_.substr(0, 8)), -ENOENT);  // only the listed short ids
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(CliMountFs, ACommitShowsItsFieldsAndHidesTheStreamsCompanion) {
  auto fields = list("/ids/" + id_);
  std::map<std::string, MountAttr::Kind> want = {{"files", MountAttr::kDir}, {"kv", MountAttr::kDir},
                                                 {"tags", MountAttr::kDir}, {"items", MountAttr::kDir},
                                                 {"cfg", MountAttr::kFile}};
  EXPECT_EQ(fields, want);
  EXPECT_EQ(attr_rc("/ids/" + id_ + "/files.streams"), -ENOENT);
}

TEST_F(CliMountFs, AFolderSnapshotIsAFolderWithItsMetadata) {
  const std::string s = "/ids/" + id_ + "/files";
  MountAttr root = attr(s);
  EXPECT_EQ(root.kind, MountAttr::kDir);
  EXPECT_EQ(root.mode, 0750u);
  EXPECT_EQ(root.mtime_ns, 1000 * 1000000000LL + 7);
  auto top = list(s);
  std::map<std::string, MountAttr::Kind> want = {{"a", MountAttr::kDir},
                                                 {"a.txt", MountAttr::kFile},
                                                 {"b", MountAttr::kDir},
                                                 {"bad", MountAttr::kFile},
                                                 {"...", MountAttr::kFile}};
  EXPECT_EQ(top, want);
  std::map<std::string, MountAttr::Kind> in_a = {{"x", MountAttr::kFile}, {"y", MountAttr::kLink}};
  EXPECT_EQ(list(s + "/a"), in_a);
  MountAttr x = attr(s + "/a/x");
  EXPECT_EQ(x.kind, MountAttr::kFile);
  EXPECT_EQ(x.mode, 0640u);
  EXPECT_EQ(x.size, 12u);
  EXPECT_EQ(x.uid, 1234u);
  EXPECT_EQ(x.gid, 5678u);
  EXPECT_EQ(x.mtime_ns, 1002 * 1000000000LL + 7);
  EXPECT_EQ(read(s + "/a/x"), "hello, mount");
  std::string target;
  EXPECT_EQ(fs_->readlink(s + "/a/y", target), 0);
  EXPECT_EQ(target, "x");
  EXPECT_EQ(attr(s + "/a/y").kind, MountAttr::kLink);
  EXPECT_EQ(read(s + "/a.txt"), "");
  MountAttr b = attr(s + "/b");  // implied by b/c
  EXPECT_EQ(b.kind, MountAttr::kDir);
  EXPECT_EQ(list(s + "/b").count("c"), 1u);
  EXPECT_EQ(attr_rc(s + "/a/none"), -ENOENT);
  EXPECT_EQ(attr_rc(s + "/../up"), -ENOENT);
  EXPECT_EQ(attr(s + "/...").mtime_ns, 1006 * 1000000000LL + 7);
  std::unique_ptr<MountFile> f;
  EXPECT_EQ(fs_->open(s + "/a", f), -EISDIR);
  EXPECT_EQ(fs_->readdir(s + "/a/x", [](const std::string&, MountAttr::Kind) {}), -ENOTDIR);
}

TEST_F(CliMountFs, ReadsAtOffsetsAndPastTheEnd) {
  std::unique_ptr<MountFile> f;
  ASSERT_EQ(fs_->open("/ids/" + id_ + "/files/a/x", f), 0);
  char buf[32];
  EXPECT_EQ(f->read(buf, 5, 7), 5);
  EXPECT_EQ(std::string(buf, 5), "mount");
  EXPECT_EQ(f->read(buf, 5, 0), 5);
  EXPECT_EQ(std::string(buf, 5), "hello");
  EXPECT_EQ(f->read(buf, 32, 10), 2);
  EXPECT_EQ(f->read(buf, 32, 12), 0);
  EXPECT_EQ(f->read(buf, 32, 1000), 0);
}

TEST_F(CliMountFs, MapsSetsListsAndValuesAreFiles) {
  const std::string c = "/ids/" + id_;
  auto kv = list(c + "/kv");
  std::map<std::string, MountAttr::Kind> want = {
      {"plain", MountAttr::kFile}, {"a%2Fb%25", MountAttr::kFile}, {"streamed", MountAttr::kFile}};
  EXPECT_EQ(kv, want);
  EXPECT_EQ(read(c + "/kv/plain"), "value");
  EXPECT_EQ(read(c + "/kv/a%2Fb%25"), "escaped");
  EXPECT_EQ(attr(c + "/kv/streamed").size, 12u);
  EXPECT_EQ(read(c + "/kv/streamed"), "hello, mount");  // a stream ref reads as the stream
  EXPECT_EQ(attr(c + "/kv/plain").mode, 0444u);
  EXPECT_EQ(attr_rc(c + "/kv/later"), -ENOENT);  // only in the next commit
  EXPECT_EQ(read("/ids/" + id2_ + "/kv/later"), "v2");
  EXPECT_EQ(attr_rc(c + "/kv/%70lain"), -ENOENT);  // not the canonical name
  EXPECT_EQ(attr_rc(c + "/kv/a/b%"), -ENOENT);
  EXPECT_EQ(list(c + "/tags").count("one"), 1u);
  EXPECT_EQ(read(c + "/tags/one"), "");
  EXPECT_EQ(attr_rc(c + "/tags/two"), -ENOENT);
  EXPECT_EQ(list(c + "/items").size(), 2u);
  EXPECT_EQ(read(c + "/items/1"), "second");
  EXPECT_EQ(attr_rc(c + "/items/01"), -ENOENT);
  EXPECT_EQ(attr_rc(c + "/items/2"), -ENOENT);
  EXPECT_EQ(read(c + "/cfg"), "conf");
  EXPECT_EQ(attr(c + "/cfg").kind, MountAttr::kFile);
}

TEST_F(CliMountFs, LongKeysAreFoundByTheirShortenedName) {
  auto backend = make_memory_backend();
  auto t = Tree::create(backend, "u", "p", fast());
  const std::string a(300, 'k'), b = std::string(299, 'k') + "z";
  t->map("kv").put(a, "A");
  t->map("kv").put(b, "B");
  const std::string id = t->commit("long")->id;
  t->close();
  MountFs fs(Tree::open(backend, "u", "p", fast(true)), [](const std::string&) {});
  std::vector<std::string> names;
  ASSERT_EQ(fs.readdir("/ids/" + id + "/kv", [&](const std::string& n, MountAttr::Kind) { names.push_back(n); }), 0);
  ASSERT_EQ(names.size(), 2u);
  for (const auto& n : names) {
    EXPECT_LE(n.size(), 255u);
    std::unique_ptr<MountFile> f;
    ASSERT_EQ(fs.open("/ids/" + id + "/kv/" + n, f), 0) << n;
    char c = 0;
    ASSERT_EQ(f->read(&c, 1, 0), 1);
    EXPECT_TRUE(c == 'A' || c == 'B');
  }
  EXPECT_NE(names[0], names[1]);
}

TEST_F(CliMountFs, DamagedEntriesAreEioWithAMessage) {
  const std::string s = "/ids/" + id_ + "/files";
  MountAttr a;
  EXPECT_EQ(fs_->getattr(s + "/bad", a), -EIO);
  ASSERT_FALSE(warnings_.empty());
  EXPECT_NE(warnings_.back().find("bad"), std::string::npos) << warnings_.back();
  std::unique_ptr<MountFile> f;
  EXPECT_EQ(fs_->open(s + "/bad", f), -EIO);
  EXPECT_EQ(f, nullptr);
}
