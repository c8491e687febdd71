// A forked child process for crash tests: the child runs a body whose only link back to the
// test is a pipe; the test kills it at any moment with SIGKILL and reads what it reported.
// The crash, handover and prune tests all need exactly this, so it lives here once.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

namespace infinitree::testing {

class ChildProcess {
 public:
  struct Exit {
    bool killed = false;  // ended by a signal (our SIGKILL)
    int code = 0;         // exit status when not killed
  };

  // Forks and runs `body(report_fd)` in the child. A body that returns exits 0; one that
  // throws prints the error and exits 2. The child never returns into the test.
  explicit ChildProcess(const std::function<void(int report_fd)>& body) {
    if (::pipe(fds_) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(fds_[0]);
      try {
        body(fds_[1]);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child failed: %s\n", e.what());
        ::_exit(2);
      }
      ::_exit(0);
    }
    ::close(fds_[1]);
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    ::close(fds_[0]);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The parent's end of the pipe the child writes its reports to.
  int report_fd() const { return fds_[0]; }

  // Sleeps for `delay`, then kills the child wherever it is.
  void kill_after(std::chrono::microseconds delay) {
    std::this_thread::sleep_for(delay);
    ::kill(pid_, SIGKILL);
  }

  // Waits for the child to end (killed or exited).
  Exit wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    if (WIFSIGNALED(status)) return Exit{true, 0};
    return Exit{false, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
  }

  // Everything the child wrote that the parent has not read yet; call after wait().
  std::string read_all() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
  pid_t pid_ = -1;
  bool reaped_ = false;
};

}  // namespace infinitree::testing
