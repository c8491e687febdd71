// Unit tests of the CLI's parts: argument parsing, sizes, KDF settings, exit codes, the
// snapshot metadata encoding and the path checks that keep restore inside its folder.
#include <gtest/gtest.h>

#include "args.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "file_meta.hpp"
#include "session.hpp"

using namespace infinitree;
using namespace infinitree::cli;

namespace {

const std::vector<OptionSpec> kGlobal = {{"store", true, 's', ""}, {"quiet", false, 'q', ""}};

const std::vector<OptionSpec>* lookup(std::string_view name) {
  static const std::vector<OptionSpec> put = {{"message", true, 'm', ""}, {"file", true, 'f', ""}};
  static const std::vector<OptionSpec> none;
  if (name == "put") return &put;
  if (name == "checkout" || name == "ls") return &none;
  return nullptr;
}

ParsedArgs parse(std::vector<std::string> argv) {
  return parse_args(argv, kGlobal, lookup, {"checkout"});
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

TEST(CliArgs, GlobalAndCommandOptionsAnywhere) {
  auto a = parse({"--store", "/s", "put", "k", "-m", "msg", "v", "-q", "--file=x"});
  EXPECT_EQ(a.command, "put");
  EXPECT_EQ(a.positional, (std::vector<std::string>{"k", "v"}));
  EXPECT_EQ(a.get_or("store", ""), "/s");
  EXPECT_EQ(a.get_or("message", ""), "msg");
  EXPECT_EQ(a.get_or("file", ""), "x");
  EXPECT_TRUE(a.has("quiet"));
  auto b = parse({"put", "--", "-k-", "--not-an-option"});
  EXPECT_EQ(b.positional, (std::vector<std::string>{"-k-", "--not-an-option"}));
}

TEST(CliArgs, Errors) {
  EXPECT_THROW(parse({"nosuch"}), UsageError);
  EXPECT_THROW(parse({"put", "--bogus"}), UsageError);
  EXPECT_THROW(parse({"put", "-m"}), UsageError);           // needs a value
  EXPECT_THROW(parse({"put", "--quiet=yes"}), UsageError);  // a flag takes none
  EXPECT_THROW(parse({"ls", "-m", "x"}), UsageError);       // not an option of ls
  EXPECT_THROW(parse({"put", "-mx"}), UsageError);
}

TEST(CliArgs, CheckoutKeepsTheInnerCommandLine) {
  auto a = parse({"-q", "checkout", "abcd", "ls", "--long", "-s", "/x"});
  EXPECT_EQ(a.command, "checkout");
  EXPECT_EQ(a.positional, (std::vector<std::string>{"abcd"}));
  EXPECT_EQ(a.rest, (std::vector<std::string>{"ls", "--long", "-s", "/x"}));
}

TEST(CliArgs, Sizes) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("64MiB"), 64ull << 20);
  EXPECT_EQ(parse_size("2G"), 2ull << 30);
  EXPECT_EQ(parse_size("1.5k"), 1536u);
  EXPECT_THROW(parse_size(""), UsageError);
  EXPECT_THROW(parse_size("12 parsecs"), UsageError);
  EXPECT_THROW(parse_size("MiB"), UsageError);
  EXPECT_EQ(parse_uint("17", "n"), 17u);
  EXPECT_THROW(parse_uint("-1", "n"), UsageError);
  EXPECT_THROW(parse_uint("3x", "n"), UsageError);
}

TEST(CliKdf, Settings) {
  EXPECT_EQ(parse_kdf("fast").memory_kib, KdfParams::insecure_fast().memory_kib);
  EXPECT_EQ(parse_kdf("default").memory_kib, KdfParams{}.memory_kib);
  KdfParams k = parse_kdf("m=1024,t=2,p=1");
  EXPECT_EQ(k.memory_kib, 1024u);
  EXPECT_EQ(k.iterations, 2u);
  EXPECT_EQ(k.parallelism, 1u);
  EXPECT_EQ(parse_kdf("t=5").memory_kib, KdfParams{}.memory_kib);  // the rest default
  EXPECT_THROW(parse_kdf("m=0"), UsageError);
  EXPECT_THROW(parse_kdf("x=1"), UsageError);
  EXPECT_THROW(parse_kdf("slow"), UsageError);
}

TEST(CliExitCodes, EveryErrcHasADocumentedCode) {
  EXPECT_EQ(exit_code_for(Errc::ok), 0);
  EXPECT_EQ(exit_code_for(Errc::not_found), 2);
  EXPECT_EQ(exit_code_for(Errc::wrong_credentials), 3);
  EXPECT_EQ(exit_code_for(Errc::corrupt), 4);
  EXPECT_EQ(exit_code_for(Errc::object_missing), 4);
  EXPECT_EQ(exit_code_for(Errc::locked), 5);
  EXPECT_EQ(exit_code_for(Errc::already_exists), 6);
  EXPECT_EQ(exit_code_for(Errc::io), 7);
  EXPECT_EQ(exit_code_for(Errc::network), 8);
  for (int c = 0; c <= static_cast<int>(Errc::no_space); ++c) {
    int code = exit_code_for(static_cast<Errc>(c));
    EXPECT_GE(code, 0);
    EXPECT_LE(code, 9);
  }
}

TEST(CliFileMeta, RoundTripAndDamage) {
  FileMeta m;
  m.type = FileMeta::kSymlink;
  m.mode = 0755;
  m.mtime_ns = -1234567890123;  // before the epoch
  m.size = 5;
  m.uid = 1000;
  m.gid = 100;
  m.target = "../x y";
  std::string enc = encode_file_meta(m);
  FileMeta d = decode_file_meta(enc, "p");
  EXPECT_EQ(d.type, m.type);
  EXPECT_EQ(d.mode, m.mode);
  EXPECT_EQ(d.mtime_ns, m.mtime_ns);
  EXPECT_EQ(d.size, m.size);
  EXPECT_EQ(d.uid, m.uid);
  EXPECT_EQ(d.gid, m.gid);
  EXPECT_EQ(d.target, m.target);
  EXPECT_EQ(error_of([] { decode_file_meta("not msgpack at all \xc1", "p"); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { decode_file_meta(enc.substr(0, enc.size() / 2), "p"); }), Errc::corrupt);
}

TEST(CliFileMeta, UnsafePathsAreRejected) {
  for (const char* good : {".", "a", "a/b", "a b/c.txt", "..a", "a..", ".hidden/x"})
    EXPECT_EQ(error_of([&] { check_snapshot_path(good); }), Errc::ok) << good;
  for (const char* bad : {"", "/etc/passwd", "..", "a/../b", "a//b", "a/", "./a", "a/."})
    EXPECT_EQ(error_of([&] { check_snapshot_path(bad); }), Errc::corrupt) << bad;
  EXPECT_EQ(error_of([] { check_snapshot_path(std::string("a\0b", 3)); }), Errc::corrupt);
}

TEST(CliCommitStats, RoundTripAndForeignCustomBytes) {
  CommitStats s{"store", 3, 1000, 900, 100, 80};
  auto d = decode_commit_stats(encode_commit_stats(s));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kind, "store");
  EXPECT_EQ(d->files, 3u);
  EXPECT_EQ(d->logical, 1000u);
  EXPECT_EQ(d->read, 900u);
  EXPECT_EQ(d->fresh, 100u);
  EXPECT_EQ(d->stored, 80u);
  EXPECT_TRUE(d->host.empty() && d->path.empty() && d->tags.empty());
  s.path = "/home/a";
  s.host = "laptop";
  s.tags = {"daily", "home"};
  d = decode_commit_stats(encode_commit_stats(s));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->path, "/home/a");
  EXPECT_EQ(d->host, "laptop");
  EXPECT_EQ(d->tags, (std::vector<std::string>{"daily", "home"}));
  EXPECT_EQ(d->files, 3u);
  EXPECT_FALSE(decode_commit_stats("someone else's bytes"));
  EXPECT_FALSE(decode_commit_stats(""));
  EXPECT_FALSE(decode_commit_stats("itcli1\xc1garbage"));
}
