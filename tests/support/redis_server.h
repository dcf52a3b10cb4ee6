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
    // Not 0: a replica of the redis-server on this port of 127.0.0.1.
    uint16_t replica_of = 0;
    // A Redis Cluster of this one node, holding all 16384 slots: it
    // refuses, as any Cluster does, a command or script whose keys are in
    // more than one slot.
    bool cluster = false;
  };
  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options);
  ~RedisServer();

  void Start();
  void Kill();  // SIGKILL: what a crash looks like
  // SIGSTOP and SIGCONT: a server that hangs (a replica that stops
  // acknowledging) and comes back.
  void Pause();
  void Resume();

  uint16_t port() const { return port_; }
  // redis://[:password@]127.0.0.1:port/db
  std::string Url(int db = 0) const;

  // A command on a fresh connection; fails the test on a transport error.
  redis::Reply Run(const std::vector<std::string>& argv, int db = 0);

 private:
  void TakeAllSlots();

  Options options_;
  uint16_t port_;
  uint16_t cluster_bus_port_ = 0;
  std::string directory_;
  std::unique_ptr<ServiceProcess> process_;
};

// A real Redis Sentinel (redis-server --sentinel, as Debian's
// redis-sentinel runs it) watching the primary on `primary_port` under the
// name "platform", quick to act: a primary silent for `down_after` is down,
// and two Sentinels agreeing fail it over.
class RedisSentinel {
 public:
  RedisSentinel(uint16_t primary_port, const std::string& password,
                absl::Duration down_after = absl::Seconds(1));
  ~RedisSentinel();

  uint16_t port() const { return port_; }
  // Waits until this Sentinel knows `other_sentinels` others and
  // `replicas` replicas of the primary: before, it could not fail over.
  bool WaitUntilWatching(int other_sentinels, int replicas);
  // Waits for the line of the Sentinel's log that holds `text`
  // ("+switch-master" when it has promoted a replica).
  bool WaitForEvent(const std::string& text, std::chrono::milliseconds timeout);

 private:
  uint16_t port_;
  std::string password_;
  std::string directory_;
  std::unique_ptr<ServiceProcess> process_;
};

// A TCP port nothing listens on right now (bound, then released).
uint16_t FreePort();

}  // namespace platform::testing
