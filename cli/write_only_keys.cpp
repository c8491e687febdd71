#include "write_only_keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <openssl/crypto.h>

#include "infinitree/error.hpp"
#include "infinitree/write_only.hpp"
#include "key_command.hpp"

namespace infinitree::cli {

namespace {

// More than any key: a file this long does not hold one.
constexpr size_t kMaxKeyFile = 64 * 1024;

void strip_space(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
}

SecretText read_key_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    throw Error(err == ENOENT ? Errc::not_found : Errc::io,
                "cannot read the key file " + path + ": " + std::strerror(err));
  }
  SecretText text{std::string()};
  std::string& s = text.str();
  char buf[512];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    s.append(buf, static_cast<size_t>(in.gcount()));
    if (s.size() > kMaxKeyFile) break;
  }
  OPENSSL_cleanse(buf, sizeof buf);
  strip_space(s);
  return text;
}

// Creates `path` for writing, never replacing anything there (not even a symlink).
int create_new(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  int err = errno;
  if (err == EEXIST)
    throw Error(Errc::already_exists, path + " exists: `write-only keys` never replaces a key file");
  throw Error(errc_from_errno(err), "cannot create " + path + ": " + std::strerror(err));
}

void write_all(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      throw Error(errc_from_errno(err), "cannot write " + path + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    throw Error(errc_from_errno(err), "cannot write " + path + ": " + std::strerror(err));
  }
}

}  // namespace

SecretText::~SecretText() { OPENSSL_cleanse(text_.data(), text_.size()); }

bool is_read_key(const std::string& text) { return text.rfind("infinitree-read-key-1:", 0) == 0; }

std::optional<SecretText> key_from_options(const ParsedArgs& args, const std::string& role) {
  const std::string file_opt = role + "-key-file", command_opt = role + "-key-command";
  auto file = args.get(file_opt), command = args.get(command_opt);
  if (file && command) throw UsageError("give --" + file_opt + " or --" + command_opt + ", not both");
  if (file) return read_key_text(*file);
  if (!command) return std::nullopt;
  SecretText out(run_key_command(*command));
  strip_space(out.str());
  return out;
}

void write_key_files(const std::string& read_path, const std::string& write_path) {
  if (read_path == write_path) throw UsageError("the read key and the write key go to two different files");
  WriteOnlyKeys keys = make_write_only_keys();
  SecretText read_text(keys.read_key + "\n"), write_text(keys.write_key + "\n");
  OPENSSL_cleanse(keys.read_key.data(), keys.read_key.size());
  OPENSSL_cleanse(keys.write_key.data(), keys.write_key.size());
  // Both files are claimed before either is written, so an existing one stops everything;
  // on any failure the files made here are removed again.
  int rfd = create_new(read_path), wfd = -1;
  bool made_write = false;
  try {
    wfd = create_new(write_path);
    made_write = true;
    write_all(rfd, read_text.str(), read_path);
    write_all(wfd, write_text.str(), write_path);
    const int r = ::close(rfd), w = ::close(wfd);
    rfd = wfd = -1;
    if (r != 0 || w != 0) throw Error(Errc::io, "cannot write the key files: " + std::string(std::strerror(errno)));
  } catch (...) {
    if (rfd >= 0) ::close(rfd);
    if (wfd >= 0) ::close(wfd);
    ::unlink(read_path.c_str());
    if (made_write) ::unlink(write_path.c_str());
    throw;
  }
}

}  // namespace infinitree::cli
