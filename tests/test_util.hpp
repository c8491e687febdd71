// Helpers shared by the test suites: scratch folders that clean up after themselves and
// deterministic data.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "crypto/random.hpp"
#include "infinitree/error.hpp"

namespace infinitree::testing {

// ASan and TSan make the exhaustive tests 5-20x slower: they sample instead under them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// A fresh empty folder, removed with everything in it when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("INFINITREE_TEST_TMP");
    std::filesystem::path root = base ? base : std::filesystem::temp_directory_path();
    std::filesystem::create_directories(root);
    std::string name = "it-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) +
                       "-" + std::to_string(std::random_device{}());
    path_ = root / name;
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int c = 0;
    return c;
  }
  std::filesystem::path path_;
};

// The error code `fn` throws, or Errc::ok when it returns: lets a test assert the stable
// code of a failure in one line.
inline Errc error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return Errc::ok;
}

inline std::vector<uint8_t> random_data(size_t n) { return crypto::random_bytes(n); }

// Compressible bytes: text-like repetition with some variation.
inline std::vector<uint8_t> compressible_data(size_t n, uint32_t seed = 1) {
  std::mt19937 rng(seed);
  static const char* words[] = {"plant ", "health ", "leaf ", "soil ", "water ", "sun ", "42 "};
  std::vector<uint8_t> out;
  out.reserve(n);
  while (out.size() < n) {
    const char* w = words[rng() % 7];
    for (const char* p = w; *p && out.size() < n; ++p) out.push_back(static_cast<uint8_t>(*p));
  }
  return out;
}

}  // namespace infinitree::testing
