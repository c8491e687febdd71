#include "key_command.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include <openssl/crypto.h>

#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {

// More than any key or password: a command that prints this much is not printing one.
constexpr size_t kMaxOutput = 64 * 1024;

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

void strip_newline(std::string& s) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
}

// Secrets read here are wiped when their buffers go.
struct Wiped {
  std::string& s;
  ~Wiped() { OPENSSL_cleanse(s.data(), s.size()); }
};

std::optional<Credential> credential_from(const std::string& file, const std::string& command,
                                          const char* file_option, const char* command_option,
                                          const std::string& user, const KdfParams& kdf) {
  if (!file.empty() && !command.empty())
    throw UsageError(std::string("give --") + file_option + " or --" + command_option + ", not both");
  if (!file.empty()) return read_key_file(file);
  if (command.empty()) return std::nullopt;
  std::string out = run_key_command(command);
  Wiped wipe{out};
  if (auto key = decode_hex_key(out)) {
    Wiped wipe_key{*key};
    return Credential::raw_key(*key);
  }
  return Credential::password(user, out, kdf);
}

}  // namespace

std::optional<std::string> decode_hex_key(std::string_view text) {
  if (text.size() != 2 * kRawKeySize) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string key(kRawKeySize, '\0');
  for (size_t i = 0; i < kRawKeySize; ++i) {
    int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      OPENSSL_cleanse(key.data(), key.size());
      return std::nullopt;
    }
    key[i] = static_cast<char>(hi << 4 | lo);
  }
  return key;
}

Credential read_key_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Errc::io, "cannot read the key file " + path + ": " + std::strerror(errno));
  std::string text;
  Wiped wipe{text};
  char buf[512];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxOutput) break;
  }
  OPENSSL_cleanse(buf, sizeof buf);
  if (text.size() == kRawKeySize) return Credential::raw_key(text);  // raw bytes (64 digits are longer)
  std::string line = text;
  Wiped wipe_line{line};
  strip_newline(line);
  if (auto key = decode_hex_key(line)) {
    Wiped wipe_key{*key};
    return Credential::raw_key(*key);
  }
  throw Error(Errc::invalid_argument,
              "the key file " + path + " holds " + std::to_string(text.size()) +
                  " bytes: a key file holds 64 hex digits (256 bits, e.g. from `openssl rand -hex 32`) "
                  "or exactly 32 raw bytes");
}

std::string run_key_command(const std::string& command) {
  std::fflush(nullptr);
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw Error(Errc::invalid_argument, "cannot run the key command: " + std::string(std::strerror(errno)));
  std::string out;
  char buf[512];
  size_t n;
  bool too_much = false;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    if (out.size() + n > kMaxOutput) too_much = true;
    if (!too_much) out.append(buf, n);
  }
  OPENSSL_cleanse(buf, sizeof buf);
  int status = ::pclose(p);
  Wiped wipe{out};
  if (status == -1)
    throw Error(Errc::invalid_argument, "the key command could not be waited for: " +
                                            std::string(std::strerror(errno)));
  if (WIFSIGNALED(status))
    throw Error(Errc::invalid_argument,
                "the key command was killed by signal " + std::to_string(WTERMSIG(status)));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    throw Error(Errc::invalid_argument, "the key command failed with exit status " +
                                            std::to_string(WEXITSTATUS(status)) + " (its output is ignored)");
  if (too_much)
    throw Error(Errc::invalid_argument, "the key command printed more than " +
                                            std::to_string(kMaxOutput) + " bytes: not a key or password");
  strip_newline(out);
  if (out.empty()) throw Error(Errc::invalid_argument, "the key command printed nothing: no key or password");
  std::string result = out;
  return result;
}

std::optional<Credential> key_credential(const ParsedArgs& args, const std::string& user,
                                         const KdfParams& kdf) {
  return credential_from(args.get_or("key-file", env_or_empty("INFINITREE_KEY_FILE")),
                         args.get_or("key-command", env_or_empty("INFINITREE_KEY_COMMAND")),
                         "key-file", "key-command", user, kdf);
}

std::optional<Credential> new_key_credential(const ParsedArgs& args, const std::string& user,
                                             const KdfParams& kdf) {
  return credential_from(args.get_or("new-key-file", ""), args.get_or("new-key-command", ""),
                         "new-key-file", "new-key-command", user, kdf);
}

}  // namespace infinitree::cli
