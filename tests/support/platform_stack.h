#pragma once

#include <map>
#include <memory>
#include <string>

#include "tests/support/http_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace platform::testing {

// The platform as end-to-end tests drive it: redis-server (core's store,
// auth's count of failed logins), auth, core and the gateway, each a real
// process on a port picked at run time.
class PlatformStack {
 public:
  struct Options {
    std::string jwt_secret = "e2e-secret-of-at-least-thirty-two-bytes";
    // Without core, the gateway's CORE_ADDR points where nothing listens.
    bool with_core = true;
    // Extra gateway settings (limits, timeouts).
    std::map<std::string, std::string> gateway_env;
    // Extra auth settings (login limits).
    std::map<std::string, std::string> auth_env;
    // Extra core settings (its connections' maximum age).
    std::map<std::string, std::string> core_env;
  };

  explicit PlatformStack(Options options);
  PlatformStack() : PlatformStack(Options{}) {}

  HttpClient& http() { return *http_; }
  ServiceProcess& auth() { return *auth_; }
  ServiceProcess& core() { return *core_; }
  ServiceProcess& gateway() { return *gateway_; }
  RedisServer& redis() { return *redis_; }
  const std::string& jwt_secret() const { return options_.jwt_secret; }

  // Start auth or core again on the port it had (after a test killed it).
  void RestartAuth();
  void RestartCore();

  // A token from auth, through the gateway, as a merchant gets one.
  std::string TokenFor(const std::string& username);

 private:
  void StartAuth(uint16_t port);
  void StartCore(uint16_t port);

  Options options_;
  uint16_t auth_port_ = 0;
  uint16_t core_port_ = 0;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceProcess> auth_;
  std::unique_ptr<ServiceProcess> core_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::unique_ptr<HttpClient> http_;
};

}  // namespace platform::testing
