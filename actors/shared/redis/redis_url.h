#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "actors/shared/runtime/env_config.h"

namespace platform::redis {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// Where Redis is and how to log in: REDIS_URL as the reference read it, or
// the Sentinels that know which server is the primary now.
struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  std::string password;  // empty: no AUTH
  int db = 0;
  // When not empty, `host` and `port` are not used: every connection asks
  // these Sentinels (the first that answers) for the primary of
  // `master_name`, so that it follows a failover by itself.
  std::vector<HostPort> sentinels;
  std::string master_name;
};

// redis://[:password@]host[:port][/db]; INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<Endpoint> ParseUrl(absl::string_view url);

// "host:port,host:port" (the port defaults to Sentinel's 26379);
// INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<std::vector<HostPort>> ParseSentinels(absl::string_view list);

// Declares and reads a program's Redis settings: REDIS_URL, the
// reference's; REDIS_SENTINELS and REDIS_MASTER_NAME for a Redis that fails
// over; REDIS_PASSWORD_FILE for a password kept out of the environment (a
// Docker or Kubernetes secret).
Endpoint EndpointFromEnvironment(config::Environment& env);

}  // namespace platform::redis
