#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/shared/redis/connection.h"
#include "tests/support/service_process.h"

namespace platform::testing {

// A real redis-server (Debian's) for one test, on a free port, its data in
// a fresh directory. It can be killed and started again on the same port and
// directory, to test outages and AOF recovery.
class RedisServer {
 public:
  struct Options {
    std::string password;
    bool append_only = false;
  };
  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options);
  ~RedisServer();

  void Start();
  void Kill();  // SIGKILL: what a crash looks like

  uint16_t port() const { return port_; }
  // redis://[:password@]127.0.0.1:port/db
  std::string Url(int db = 0) const;

  // A command on a fresh connection; fails the test on a transport error.
  redis::Reply Run(const std::vector<std::string>& argv, int db = 0);

 private:
  Options options_;
  uint16_t port_;
  std::string directory_;
  std::unique_ptr<ServiceProcess> process_;
};

// A TCP port nothing listens on right now (bound, then released).
uint16_t FreePort();

}  // namespace platform::testing
