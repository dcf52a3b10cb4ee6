#include "gateway/config.h"

#include "actors/shared/runtime/grpc_channel.h"

namespace platform::gateway {

GatewayConfig LoadGatewayConfig(config::Environment& env) {
  GatewayConfig config;
  config.http_host = env.String("HTTP_HOST", "0.0.0.0", "address the HTTP server listens on");
  config.http_port = env.Port("HTTP_PORT", 8080, "HTTP port (0 picks a free one and logs it)");
  config.metrics = metrics::LoadMetricsEndpoint(env, 9401);
  config.threads = env.Threads("HTTP_THREADS", "I/O threads");
  config.max_connections =
      static_cast<int>(env.Integer("HTTP_MAX_CONNECTIONS", 10000, 1, 1000000,
                                   "open client connections at most; more are closed at once"));
  config.limits.max_body_bytes = static_cast<size_t>(env.Integer(
      "HTTP_MAX_BODY_BYTES", 64 * 1024, 1, 64 << 20, "largest request body accepted (413 beyond)"));
  config.limits.max_header_bytes = static_cast<size_t>(
      env.Integer("HTTP_MAX_HEADER_BYTES", 8 * 1024, 512, 1 << 20,
                  "largest request head (request line and headers) accepted (431 beyond)"));
  config.limits.request_timeout =
      env.Milliseconds("HTTP_REQUEST_TIMEOUT_MS", 5000, 10, 600000,
                       "time a request may take to arrive once it started (408 beyond)");
  config.limits.idle_timeout =
      env.Milliseconds("HTTP_IDLE_TIMEOUT_MS", 5000, 10, 3600000,
                       "time a kept-alive connection may wait for its next request");
  config.limits.write_timeout = env.Milliseconds("HTTP_WRITE_TIMEOUT_MS", 10000, 10, 600000,
                                                 "time a client may take to read an answer");
  config.handler.upstream_deadline =
      env.Milliseconds("UPSTREAM_DEADLINE_MS", 2000, 1, 60000,
                       "deadline of each gRPC call to auth or core (504 beyond)");
  config.handler.health_deadline = env.Milliseconds("HEALTH_DEADLINE_MS", 1000, 1, 60000,
                                                    "deadline of each health check of a service");
  config.handler.access_log =
      env.Integer("ACCESS_LOG", 1, 0, 1, "1 logs a line per request, 0 not") == 1;
  config.upstreams["auth"] = env.String("AUTH_ADDR", "127.0.0.1:50051",
                                        "gRPC address of the auth service", CheckServiceAddress);
  config.upstreams["core"] = env.String("CORE_ADDR", "127.0.0.1:50052",
                                        "gRPC address of the core service", CheckServiceAddress);
  config.published_services = {"platform.auth.v1.AuthService",
                               "platform.core.v1.TransactionService"};
  config.shutdown_grace = env.Milliseconds("SHUTDOWN_GRACE_MS", 5000, 0, 60000,
                                           "how long requests in flight may finish after SIGTERM");
  return config;
}

}  // namespace platform::gateway
