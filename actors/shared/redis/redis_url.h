#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "actors/shared/runtime/env_config.h"

namespace platform::redis {

// Where Redis is and how to log in: REDIS_URL as the reference read it.
struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  std::string password;  // empty: no AUTH
  int db = 0;
};

// redis://[:password@]host[:port][/db]; INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<Endpoint> ParseUrl(absl::string_view url);

// Declares and reads REDIS_URL, the reference's setting, for a program.
Endpoint EndpointFromEnvironment(config::Environment& env);

}  // namespace platform::redis
