#include "actors/core/config.h"

#include "actors/shared/ledger/schema.h"
#include "actors/shared/runtime/grpc_server.h"

namespace platform::core {

CoreConfig LoadCoreConfig(config::Environment& env) {
  CoreConfig config;
  config.grpc_host = env.String("GRPC_HOST", "0.0.0.0", "address the gRPC server listens on");
  config.grpc_port = env.Port("GRPC_PORT", 50052, "gRPC port (0 picks a free one and logs it)");
  config.metrics = metrics::LoadMetricsEndpoint(env, 9403);
  config.grpc = LoadGrpcServerOptions(env);
  config.jwt = jwt::LoadJwtSettings(env, "verifying tokens");
  config.redis = redis::EndpointFromEnvironment(env);
  config.store.stream =
      env.String("STREAM_NAME", ledger::kDefaultStream, "Redis stream the connector consumes");
  if (absl::Status slot = ledger::CheckKeysShareSlot(config.store.stream, ""); !slot.ok()) {
    env.Fail(std::string(slot.message()));
  }
  config.store.group =
      env.String("CONSUMER_GROUP", ledger::kDefaultGroup,
                 "the connectors' consumer group (a queued transaction one of them holds reads as "
                 "processing)");
  config.store.idempotency_window =
      absl::Seconds(env.Integer("IDEMPOTENCY_TTL_SECONDS", 86400, 1, 30 * 86400,
                                "how long an Idempotency-Key is remembered"));
  config.store.connections = static_cast<int>(
      env.Integer("REDIS_CONNECTIONS", 2, 1, 64, "Redis connections, each with its own pipeline"));
  config.store.pipeline.timeout =
      env.Milliseconds("REDIS_TIMEOUT_MS", 1000, 10, 60000,
                       "bound on connecting to Redis and on each command (then 503)");
  config.store.pipeline.replicas = static_cast<int>(env.Integer(
      "REDIS_WAIT_REPLICAS", 0, 0, 16,
      "replicas that must have a transaction before it is answered 200 (WAIT); 0 with a single "
      "Redis"));
  config.store.pipeline.replication_timeout =
      env.Milliseconds("REDIS_WAIT_TIMEOUT_MS", 250, 1, 10000,
                       "how long a create waits for the replicas; then it is taken back (503)");
  if (config.store.pipeline.replicas > 0 &&
      config.store.pipeline.replication_timeout * 2 > config.store.pipeline.timeout) {
    env.Fail("REDIS_WAIT_TIMEOUT_MS must be at most half of REDIS_TIMEOUT_MS");
  }
  config.shutdown_grace = env.Milliseconds("SHUTDOWN_GRACE_MS", 5000, 0, 60000,
                                           "how long calls in flight may finish after SIGTERM");
  return config;
}

}  // namespace platform::core
