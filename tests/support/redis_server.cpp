#include "tests/support/redis_server.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace platform::testing {

uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ADD_FAILURE() << "no free port on 127.0.0.1: " << std::strerror(errno);
    ::close(fd);
    return 0;
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

RedisServer::RedisServer(Options options) : options_(std::move(options)), port_(FreePort()) {
  std::string pattern = ::testing::TempDir() + "redis-XXXXXX";
  directory_ = mkdtemp(pattern.data());
  Start();
}

RedisServer::~RedisServer() {
  process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void RedisServer::Start() {
  std::vector<std::string> args = {"--port",       absl::StrCat(port_),
                                   "--bind",       "127.0.0.1",
                                   "--dir",        directory_,
                                   "--save",       "",
                                   "--appendonly", options_.append_only ? "yes" : "no"};
  if (options_.append_only) {
    // As the shipped redis.conf: a killed redis-server loses nothing it
    // answered, since the AOF is written and synced before replies go out.
    args.insert(args.end(), {"--appendfsync", "always"});
  }
  if (!options_.password.empty()) {
    // A replica promoted by a failover is a primary with the same
    // password, and logs in to whichever server is the primary.
    args.insert(args.end(),
                {"--requirepass", options_.password, "--masterauth", options_.password});
  }
  if (options_.replica_of != 0) {
    args.insert(args.end(), {"--replicaof", "127.0.0.1", absl::StrCat(options_.replica_of)});
  }
  if (options_.cluster) {
    // The cluster bus port is the client port + 10000 unless given: a
    // free port of its own, as the client port may be above 55535.
    if (cluster_bus_port_ == 0) cluster_bus_port_ = FreePort();
    args.insert(args.end(),
                {"--cluster-enabled", "yes", "--cluster-port", absl::StrCat(cluster_bus_port_),
                 "--cluster-config-file", directory_ + "/nodes.conf"});
  }
  process_ = std::make_unique<ServiceProcess>("/usr/bin/redis-server",
                                              std::map<std::string, std::string>{}, args);
  if (!process_->WaitForOutput("Ready to accept connections")) {
    ADD_FAILURE() << "redis-server did not start:\n" << process_->output();
    return;
  }
  if (options_.cluster) TakeAllSlots();
}

void RedisServer::TakeAllSlots() {
  // A node started again keeps its slots (nodes.conf).
  if (Run({"CLUSTER", "INFO"}).text.find("cluster_slots_assigned:0") != std::string::npos) {
    const redis::Reply added = Run({"CLUSTER", "ADDSLOTSRANGE", "0", "16383"});
    ASSERT_FALSE(added.is_error()) << added.text;
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Run({"CLUSTER", "INFO"}).text.find("cluster_state:ok") == std::string::npos) {
    ASSERT_LT(absl::Now(), deadline) << "the cluster did not come up";
    absl::SleepFor(absl::Milliseconds(20));
  }
}

void RedisServer::Kill() {
  process_->Signal(SIGKILL);
  process_->WaitForExit(std::chrono::seconds(10));
}

void RedisServer::Pause() { process_->Signal(SIGSTOP); }
void RedisServer::Resume() { process_->Signal(SIGCONT); }

RedisSentinel::RedisSentinel(uint16_t primary_port, const std::string& password,
                             absl::Duration down_after)
    : port_(FreePort()), password_(password) {
  std::string pattern = ::testing::TempDir() + "sentinel-XXXXXX";
  directory_ = mkdtemp(pattern.data());
  // A Sentinel rewrites its configuration file as it learns: it must be
  // its own, writable.
  const std::string config = directory_ + "/sentinel.conf";
  std::ofstream out(config);
  out << "port " << port_ << "\nbind 127.0.0.1\ndir " << directory_ << "\n"
      << "sentinel monitor platform 127.0.0.1 " << primary_port << " 2\n"
      << "sentinel down-after-milliseconds platform "
      << absl::ToInt64Milliseconds(down_after)
      // A vote that splits is tried again after twice this: 6 s, not 20.
      << "\nsentinel failover-timeout platform 3000\n";
  if (!password.empty()) {
    out << "sentinel auth-pass platform " << password << "\nrequirepass " << password << "\n";
  }
  out.close();
  process_ = std::make_unique<ServiceProcess>("/usr/bin/redis-server",
                                              std::map<std::string, std::string>{},
                                              std::vector<std::string>{config, "--sentinel"});
  if (!process_->WaitForOutput("+monitor master platform")) {
    ADD_FAILURE() << "redis-sentinel did not start:\n" << process_->output();
  }
}

RedisSentinel::~RedisSentinel() {
  process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

bool RedisSentinel::WaitUntilWatching(int other_sentinels, int replicas) {
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  redis::Endpoint endpoint;
  endpoint.port = port_;
  endpoint.password = password_;
  while (absl::Now() < give_up) {
    absl::StatusOr<std::unique_ptr<redis::Connection>> connection =
        redis::Connection::Open(endpoint, absl::Seconds(2));
    if (connection.ok()) {
      absl::StatusOr<redis::Reply> master = (*connection)->Run({"SENTINEL", "MASTER", "platform"});
      int known_sentinels = -1;
      int known_replicas = -1;
      for (size_t i = 0; master.ok() && i + 1 < master->elements.size(); i += 2) {
        const std::string& field = master->elements[i].text;
        if (field == "num-other-sentinels")
          known_sentinels = std::stoi(master->elements[i + 1].text);
        if (field == "num-slaves") known_replicas = std::stoi(master->elements[i + 1].text);
      }
      if (known_sentinels >= other_sentinels && known_replicas >= replicas) return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

bool RedisSentinel::WaitForEvent(const std::string& text, std::chrono::milliseconds timeout) {
  return process_->WaitForOutput(text, timeout);
}

std::string RedisServer::Url(int db) const {
  return absl::StrCat("redis://", options_.password.empty() ? "" : ":" + options_.password + "@",
                      "127.0.0.1:", port_, "/", db);
}

redis::Reply RedisServer::Run(const std::vector<std::string>& argv, int db) {
  redis::Endpoint endpoint;
  endpoint.port = port_;
  endpoint.password = options_.password;
  endpoint.db = db;
  absl::StatusOr<std::unique_ptr<redis::Connection>> connection =
      redis::Connection::Open(endpoint, absl::Seconds(5));
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status();
    return {};
  }
  absl::StatusOr<redis::Reply> reply = (*connection)->Run(argv);
  if (!reply.ok()) {
    ADD_FAILURE() << reply.status();
    return {};
  }
  return *reply;
}

}  // namespace platform::testing
