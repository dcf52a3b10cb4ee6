#include "actors/auth/config.h"

#include "actors/shared/runtime/grpc_server.h"

namespace platform::auth {

AuthConfig LoadAuthConfig(config::Environment& env) {
  AuthConfig config;
  config.grpc_host = env.String("GRPC_HOST", "0.0.0.0", "address the gRPC server listens on");
  config.grpc_port = env.Port("GRPC_PORT", 50051, "gRPC port (0 picks a free one and logs it)");
  config.metrics = metrics::LoadMetricsEndpoint(env, 9402);
  config.grpc = LoadGrpcServerOptions(env);
  config.users_file =
      env.String("USERS_FILE", "actors/auth/users.json",
                 "JSON list of users {id, username, password | password_hash, enabled}; "
                 "reloaded on SIGHUP");
  config.jwt = jwt::LoadJwtSettings(env, "signing tokens");
  config.redis = redis::EndpointFromEnvironment(env);
  config.redis_pipeline.timeout =
      env.Milliseconds("REDIS_TIMEOUT_MS", 500, 10, 60000,
                       "bound on each Redis command (beyond, the login goes on unlimited)");
  config.login_limits.max_failures_per_user =
      env.Integer("LOGIN_MAX_FAILURES_PER_USER", 5, 1, 1000000,
                  "failed logins for one username in a window; the next gets 429");
  config.login_limits.max_failures_per_address =
      env.Integer("LOGIN_MAX_FAILURES_PER_ADDRESS", 100, 1, 1000000,
                  "failed logins from one client address in a window; the next gets 429");
  config.login_limits.window = absl::Seconds(
      env.Integer("LOGIN_WINDOW_SECONDS", 60, 1, 86400, "the window failed logins are counted in"));
  config.password_check_threads =
      env.Threads("PASSWORD_CHECK_THREADS", "threads checking argon2 password hashes");
  config.password_check_queue =
      env.Integer("PASSWORD_CHECK_QUEUE", 64, 1, 100000,
                  "argon2 checks waiting at most; beyond, a login gets 429");
  config.token_lifetime = absl::Seconds(
      env.Integer("TOKEN_LIFETIME_SECONDS", 30, 1, 3600, "how long a token is valid"));
  config.shutdown_grace = env.Milliseconds("SHUTDOWN_GRACE_MS", 5000, 0, 60000,
                                           "how long calls in flight may finish after SIGTERM");
  return config;
}

}  // namespace platform::auth
