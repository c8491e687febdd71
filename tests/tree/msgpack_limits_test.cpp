// A short hostile msgpack record must not make the decoder allocate far more than its size:
// msgpack allocates each container's elements when it reads the header, so nested headers
// that each declare 60,000 elements made a 64 KiB record allocate ~100 MiB before failing.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "infinitree/typed.hpp"
#include "util/msgpack_util.hpp"

using namespace infinitree;

namespace {

// A 64 KiB map record: a padding field (so per-container limits sized to the input allow
// 65,313 elements) and 60 nested array32 headers of 60,000 elements each (~86 MiB of
// msgpack objects), then the end.
std::string hostile_record() {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(&buf);
  pk.pack_map(2);
  mp::pack_str(pk, "pad");
  mp::pack_bin(pk, std::string(65000, 'p'));
  mp::pack_str(pk, "x");
  for (int i = 0; i < 60; ++i) pk.pack_array(60000);
  return std::string(buf.data(), buf.size());
}

ByteView view(const std::string& s) { return as_bytes(s); }

Errc code_of(const std::function<void()>& fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  return Errc::ok;
}

}  // namespace

TEST(MsgpackLimits, HostileRecordIsRefusedBeforeAllocating) {
  std::string record = hostile_record();
  ASSERT_LT(record.size(), 66000u);
  std::string message;
  EXPECT_EQ(code_of([&] { mp::parse(view(record), "test record"); }, &message), Errc::corrupt);
  EXPECT_NE(message.find("declare more elements than the input holds"), std::string::npos) << message;
}

TEST(MsgpackLimits, RecordsNestOnlyAFewLevels) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(&buf);
  for (int i = 0; i < 6; ++i) pk.pack_array(1);
  pk.pack_nil();
  std::string message;
  EXPECT_EQ(code_of([&] { mp::parse(mp::view(buf), "test record"); }, &message), Errc::corrupt);
  EXPECT_NE(message.find("nesting"), std::string::npos) << message;
  // Four levels (a commit's depth) are fine.
  msgpack::sbuffer ok;
  msgpack::packer<msgpack::sbuffer> pk2(&ok);
  for (int i = 0; i < 4; ++i) pk2.pack_array(1);
  pk2.pack_nil();
  EXPECT_EQ(code_of([&] { mp::parse(mp::view(ok), "test record"); }), Errc::ok);
}

TEST(MsgpackLimits, HonestRecordsStillDecode) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(&buf);
  pk.pack_map(2);
  mp::pack_str(pk, "list");
  pk.pack_array(1000);
  for (int i = 0; i < 1000; ++i) pk.pack(i);  // 1000 elements in ~2.9 KB: within budget
  mp::pack_str(pk, "name");
  mp::pack_str(pk, "n");
  auto oh = mp::parse(mp::view(buf), "test record");
  mp::Reader r(oh.get(), "test record");
  EXPECT_EQ(r.at("list").via.array.size, 1000u);
  EXPECT_EQ(r.str("name"), "n");
}

TEST(MsgpackLimits, TypedValuesUseTheSameBound) {
  std::string record = hostile_record();
  std::string message;
  EXPECT_EQ(code_of([&] { typed_detail::unpack<std::map<std::string, std::vector<int>>>(record); }, &message),
            Errc::invalid_argument);
  EXPECT_NE(message.find("declare more elements than the input holds"), std::string::npos) << message;
  // A value that honestly holds many elements decodes.
  std::vector<int> many(5000, 7);
  EXPECT_EQ(typed_detail::unpack<std::vector<int>>(typed_detail::pack(many)), many);
}

// The bound measured as memory: in a child process whose address space may grow by only
// 48 MiB, decoding the hostile record must end in the decoder's own error, not bad_alloc.
TEST(MsgpackLimits, HostileRecordFitsASmallAddressSpace) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizer runtimes reserve terabytes of address space: RLIMIT_AS cannot apply";
#else
  std::string record = hostile_record();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    rlimit lim{};
    lim.rlim_cur = lim.rlim_max = static_cast<rlim_t>(pages) * sysconf(_SC_PAGESIZE) + (48u << 20);
    if (setrlimit(RLIMIT_AS, &lim) != 0) _exit(10);
    try {
      mp::parse(view(record), "test record");
      _exit(11);
    } catch (const Error& e) {
      _exit(e.code() == Errc::corrupt ? 0 : 12);
    } catch (const std::bad_alloc&) {
      _exit(13);
    } catch (...) {
      _exit(14);
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: setrlimit failed, 11: decoded, 12: other error, "
                                       "13: out of memory, 14: other exception";
#endif
}
