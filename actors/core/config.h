#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "actors/core/redis_transaction_store.h"
#include "actors/shared/jwt/jwt_settings.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/redis/redis_url.h"
#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/grpc_server.h"

namespace platform::core {

struct CoreConfig {
  std::string grpc_host;
  uint16_t grpc_port = 0;
  metrics::MetricsEndpoint metrics;
  GrpcServerOptions grpc;
  jwt::JwtSettings jwt;
  redis::Endpoint redis;
  RedisStoreOptions store;
  absl::Duration shutdown_grace;
};

// Every setting of the core service, declared and validated in one place.
CoreConfig LoadCoreConfig(config::Environment& env);

}  // namespace platform::core
