#include "tests/support/redis_server.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
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
  if (!options_.password.empty()) args.insert(args.end(), {"--requirepass", options_.password});
  process_ = std::make_unique<ServiceProcess>("/usr/bin/redis-server",
                                              std::map<std::string, std::string>{}, args);
  if (!process_->WaitForOutput("Ready to accept connections")) {
    ADD_FAILURE() << "redis-server did not start:\n" << process_->output();
  }
}

void RedisServer::Kill() {
  process_->Signal(SIGKILL);
  process_->WaitForExit(std::chrono::seconds(10));
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
