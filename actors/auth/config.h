#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "actors/shared/jwt/jwt_settings.h"
#include "actors/shared/runtime/env_config.h"

namespace platform::auth {

struct AuthConfig {
  std::string grpc_host;
  uint16_t grpc_port = 0;
  std::string users_file;
  jwt::JwtSettings jwt;
  absl::Duration token_lifetime;
  absl::Duration shutdown_grace;
};

// Every setting of the auth service, declared and validated in one place.
AuthConfig LoadAuthConfig(config::Environment& env);

}  // namespace platform::auth
