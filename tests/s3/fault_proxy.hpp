// Runs scripts/s3/fault_proxy.py as a child process in front of an S3 server, for tests
// that inject 500/503 answers, cut, dropped and lost connections and delays; and
// tests/s3/hostile_server.py, a server that misbehaves on purpose.
#pragma once

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "backend/http_client.hpp"

namespace infinitree::testing_s3 {

namespace fs = std::filesystem;

// This header's folder (tests/s3). __FILE__ is relative when ccache rewrites paths under
// CCACHE_BASEDIR: then it is relative to the build folder, where the compiler ran, which
// is the parent of this test binary's folder (build/tests/test_s3).
inline fs::path tests_s3_dir() {
  fs::path file(__FILE__);
  if (file.is_relative())
    file = fs::read_symlink("/proc/self/exe").parent_path().parent_path() / file;
  return file.lexically_normal().parent_path();
}

inline fs::path proxy_script() {
  if (const char* p = std::getenv("INFINITREE_FAULT_PROXY")) return p;
  return tests_s3_dir().parent_path().parent_path() / "scripts" / "s3" / "fault_proxy.py";
}

// A Python server on 127.0.0.1 run as a child process for the lifetime of the object;
// the script prints its port as the first line on stdout.
class ChildServer {
 public:
  explicit ChildServer(std::vector<std::string> args) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[64] = {0};
    if (!f || !std::fgets(line, sizeof line, f)) {
      if (f) std::fclose(f);
      throw std::runtime_error("test server did not start: " + args.at(1));
    }
    std::fclose(f);
    port_ = std::atoi(line);
  }
  ~ChildServer() {
    ::kill(pid_, SIGTERM);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Changes fault rates at run time, e.g. set("error-rate=1.0&cut-rate=0").
  void set(const std::string& query) const {
    http::Client c(http::ClientOptions{});
    http::Request r;
    r.method = "GET";
    r.url = endpoint() + "/__set?" + query;
    auto res = c.perform(r);
    if (!res.ok || res.response.status != 204) throw std::runtime_error("/__set failed");
  }
  // A counter from the server's /__stats JSON.
  int stat(const std::string& name) const {
    http::Client c(http::ClientOptions{});
    http::Request r;
    r.method = "GET";
    r.url = endpoint() + "/__stats";
    auto res = c.perform(r);
    std::string body(res.response.body.begin(), res.response.body.end());
    auto pos = body.find("\"" + name + "\": ");
    return pos == std::string::npos ? -1 : std::atoi(body.c_str() + pos + name.size() + 4);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

inline std::vector<std::string> proxy_args(const std::string& upstream_endpoint,
                                           const std::vector<std::string>& faults) {
  std::vector<std::string> args = {"python3", proxy_script().string(), "--upstream",
                                   upstream_endpoint.substr(upstream_endpoint.find("://") + 3)};
  args.insert(args.end(), faults.begin(), faults.end());
  return args;
}

// scripts/s3/fault_proxy.py in front of an S3 server.
class FaultProxy : public ChildServer {
 public:
  FaultProxy(const std::string& upstream_endpoint, const std::vector<std::string>& faults)
      : ChildServer(proxy_args(upstream_endpoint, faults)) {}
};

// tests/s3/hostile_server.py in one of its modes (see the script).
class HostileServer : public ChildServer {
 public:
  explicit HostileServer(const std::string& mode)
      : ChildServer({"python3",
                     (tests_s3_dir() / "hostile_server.py").string(), "--mode",
                     mode}) {}
};

}  // namespace infinitree::testing_s3
