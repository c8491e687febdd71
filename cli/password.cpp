#include "password.hpp"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include "args.hpp"
#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {

// Restoring echo from the SIGINT handler: only async-signal-safe calls there.
int g_tty_fd = -1;
struct termios g_saved;
struct sigaction g_old_int, g_old_term;

void restore_and_reraise(int sig) {
  if (g_tty_fd >= 0) {
    ::tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved);
    (void)!::write(g_tty_fd, "\n", 1);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::string read_file_password(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Errc::io, "cannot read the password file " + path + ": " + std::strerror(errno));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::optional<std::string> prompt_no_echo(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct termios t;
  if (::tcgetattr(fd, &t) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  g_saved = t;
  g_tty_fd = fd;
  struct sigaction sa {};
  sa.sa_handler = restore_and_reraise;
  ::sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGTERM, &sa, &g_old_term);
  t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  t.c_lflag |= ICANON;
  ::tcsetattr(fd, TCSAFLUSH, &t);
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string line;
  char c;
  bool got_any = false;
  while (::read(fd, &c, 1) == 1) {
    got_any = true;
    if (c == '\n' || c == '\r') break;
    line.push_back(c);
  }
  ::tcsetattr(fd, TCSAFLUSH, &g_saved);
  (void)!::write(fd, "\n", 1);
  g_tty_fd = -1;
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
  ::close(fd);
  if (!got_any) return std::nullopt;
  return line;
}

namespace {

// Where the password came from, for messages; nullopt if no source had one.
std::optional<std::pair<std::string, std::string>> find_password(const PasswordSource& source) {
  if (source.file) return std::pair(read_file_password(*source.file), "the file " + *source.file);
  if (const char* f = std::getenv(source.file_env_var.c_str()); f && *f)
    return std::pair(read_file_password(f), "the file " + std::string(f) + " (" + source.file_env_var + ")");
  if (const char* p = std::getenv(source.env_var.c_str())) return std::pair(std::string(p), source.env_var);
  if (::isatty(STDIN_FILENO)) {
    auto first = prompt_no_echo(source.prompt);
    if (first) {
      if (source.confirm) {
        auto again = prompt_no_echo("Repeat " + source.prompt);
        if (!again || *again != *first) throw UsageError("the passwords do not match");
      }
      return std::pair(*first, std::string("the terminal"));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string read_password(const PasswordSource& source) {
  auto found = find_password(source);
  if (!found)
    throw UsageError("no password: not on a terminal, and neither " + source.env_var + " nor " +
                     source.file_env_var + " (or --password-file) is set");
  if (found->first.empty() && !source.allow_empty)
    throw UsageError("the password from " + found->second +
                     " is empty: refused (pass --allow-empty-password if that is really meant)");
  return std::move(found->first);
}

}  // namespace infinitree::cli
