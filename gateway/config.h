#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/runtime/env_config.h"
#include "gateway/http_session.h"
#include "gateway/request_handler.h"

namespace platform::gateway {

struct GatewayConfig {
  std::string http_host;
  uint16_t http_port = 0;
  metrics::MetricsEndpoint metrics;
  int threads = 1;
  int max_connections = 0;
  HttpLimits limits;
  HandlerSettings handler;
  // Upstream name ("auth", "core") -> gRPC address.
  std::map<std::string, std::string> upstreams;
  // The gRPC services whose (platform.api.v1.http) routes are published.
  std::vector<std::string> published_services;
  absl::Duration shutdown_grace;
};

// Every setting of the gateway, declared and validated in one place.
GatewayConfig LoadGatewayConfig(config::Environment& env);

}  // namespace platform::gateway
