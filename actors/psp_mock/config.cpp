#include "actors/psp_mock/config.h"

#include "actors/shared/runtime/grpc_server.h"

namespace platform::psp_mock {

PspMockConfig LoadPspMockConfig(config::Environment& env) {
  PspMockConfig config;
  config.grpc_host = env.String("GRPC_HOST", "0.0.0.0", "address the gRPC server listens on");
  config.grpc_port = env.Port("GRPC_PORT", 50053, "gRPC port (0 picks a free one and logs it)");
  config.metrics = metrics::LoadMetricsEndpoint(env, 9404);
  config.grpc = LoadGrpcServerOptions(env);
  config.latency.latency =
      env.Milliseconds("PSP_LATENCY_MS", 0, 0, 600000, "added to every answer");
  config.latency.slow =
      env.Milliseconds("PSP_SLOW_MS", 3000, 0, 600000, "answer time of the slow test amount 504");
  config.book.random_error_rate =
      static_cast<double>(env.Integer("PSP_ERROR_PERCENT", 0, 0, 100,
                                      "share of first attempts that fail as transient, in %")) /
      100.0;
  config.shutdown_grace = env.Milliseconds("SHUTDOWN_GRACE_MS", 5000, 0, 60000,
                                           "how long calls in flight may finish after SIGTERM");
  return config;
}

}  // namespace platform::psp_mock
