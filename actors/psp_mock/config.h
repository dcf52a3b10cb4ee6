#pragma once

#include <cstdint>
#include <string>

#include "actors/psp_mock/charge_book.h"
#include "actors/psp_mock/psp_service.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/grpc_server.h"

namespace platform::psp_mock {

struct PspMockConfig {
  std::string grpc_host;
  uint16_t grpc_port = 0;
  metrics::MetricsEndpoint metrics;
  GrpcServerOptions grpc;
  BookOptions book;
  LatencyOptions latency;
  absl::Duration shutdown_grace;
};

// Every setting of the mock PSP, declared and validated in one place.
PspMockConfig LoadPspMockConfig(config::Environment& env);

}  // namespace platform::psp_mock
