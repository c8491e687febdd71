// Runs scripts/s3/fault_proxy.py as a child process in front of an S3 server, for tests
// that inject 500/503 answers, cut and dropped connections and delays.
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

inline fs::path proxy_script() {
  if (const char* p = std::getenv("INFINITREE_FAULT_PROXY")) return p;
  // tests/s3/this_file.cpp -> scripts/s3/fault_proxy.py
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "scripts" / "s3" /
         "fault_proxy.py";
}

// Runs the proxy as a child process for the lifetime of the object.
class FaultProxy {
 public:
  FaultProxy(const std::string& upstream_endpoint, std::vector<std::string> faults) {
    std::string upstream = upstream_endpoint.substr(upstream_endpoint.find("://") + 3);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> args = {"python3", proxy_script().string(), "--upstream", upstream};
    args.insert(args.end(), faults.begin(), faults.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[64] = {0};
    if (!f || !std::fgets(line, sizeof line, f)) {
      if (f) std::fclose(f);
      throw std::runtime_error("fault proxy did not start: " + proxy_script().string());
    }
    std::fclose(f);
    port_ = std::atoi(line);
  }
  ~FaultProxy() {
    ::kill(pid_, SIGTERM);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Changes fault rates at run time, e.g. set("error-rate=1.0&cut-rate=0").
  void set(const std::string& query) const {
    http::Client c(http::ClientOptions{});
    http::Request r;
    r.method = "GET";
    r.url = endpoint() + "/__set?" + query;
    auto res = c.perform(r);
    if (!res.ok || res.response.status != 204) throw std::runtime_error("fault proxy /__set failed");
  }
  // A counter from the proxy's /__stats JSON.
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

}  // namespace infinitree::testing_s3
