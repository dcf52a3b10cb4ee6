#include "actors/auth/config.h"

namespace platform::auth {

AuthConfig LoadAuthConfig(config::Environment& env) {
  AuthConfig config;
  config.grpc_host = env.String("GRPC_HOST", "0.0.0.0",
                                "address the gRPC server listens on");
  config.grpc_port = env.Port("GRPC_PORT", 50051,
                              "gRPC port (0 picks a free one and logs it)");
  config.users_file = env.String(
      "USERS_FILE", "actors/auth/users.json",
      "JSON list of users {id, username, password | password_hash, enabled}; "
      "reloaded on SIGHUP");
  config.jwt = jwt::LoadJwtSettings(env, "signing tokens");
  config.token_lifetime = absl::Seconds(env.Integer(
      "TOKEN_LIFETIME_SECONDS", 30, 1, 3600, "how long a token is valid"));
  config.shutdown_grace = env.Milliseconds(
      "SHUTDOWN_GRACE_MS", 5000, 0, 60000,
      "how long calls in flight may finish after SIGTERM");
  return config;
}

}  // namespace platform::auth
