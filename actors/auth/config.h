#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "actors/auth/login_limiter.h"
#include "actors/shared/jwt/jwt_settings.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/redis/pipeline.h"
#include "actors/shared/redis/redis_url.h"
#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/grpc_server.h"

namespace platform::auth {

struct AuthConfig {
  std::string grpc_host;
  uint16_t grpc_port = 0;
  metrics::MetricsEndpoint metrics;
  GrpcServerOptions grpc;
  std::string users_file;
  jwt::JwtSettings jwt;
  redis::Endpoint redis;  // where failed logins are counted
  redis::PipelineOptions redis_pipeline;
  LoginLimits login_limits;
  int password_check_threads = 2;
  int64_t password_check_queue = 64;
  absl::Duration token_lifetime;
  absl::Duration shutdown_grace;
};

// Every setting of the auth service, declared and validated in one place.
AuthConfig LoadAuthConfig(config::Environment& env);

}  // namespace platform::auth
