// auth: issues the 30-second HS256 tokens merchants call core with.
#include <cstdlib>

#include "actors/auth/auth_service.h"
#include "actors/auth/config.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/runtime/grpc_server.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/termination.h"

int main(int argc, char** argv) {
  using namespace platform;
  BlockTerminationSignals();
  log::SetService("auth");
  const auth::AuthConfig config = config::LoadOrExit<auth::AuthConfig>(
      "auth", "The auth service: checks credentials and issues HS256 tokens.", argc, argv,
      auth::LoadAuthConfig);

  jwt::WarnIfWeak(config.jwt);
  absl::StatusOr<auth::UserStore> users = auth::UserStore::LoadFile(config.users_file);
  if (!users.ok()) config::ExitWithError("auth", users.status());
  log::Info("users loaded",
            {{"file", config.users_file}, {"count", static_cast<uint64_t>(users->size())}});

  auth::AuthService service(
      *std::move(users), auth::TokenIssuer(jwt::CodecFor(config.jwt), config.token_lifetime),
      std::make_unique<auth::LoginLimiter>(config.redis, config.redis_pipeline,
                                           config.login_limits),
      std::make_unique<auth::PasswordChecker>(config.password_check_threads,
                                              static_cast<size_t>(config.password_check_queue)));
  const auto metrics_server = metrics::StartOrExit("auth", config.metrics);
  return ServeUntilTerminated(
      "auth", config.grpc_host, config.grpc_port, {service.Served()}, config.shutdown_grace,
      [&] {
        absl::StatusOr<auth::UserStore> reloaded = auth::UserStore::LoadFile(config.users_file);
        if (!reloaded.ok()) {
          log::Error("users not reloaded; keeping the current list",
                     {{"error", reloaded.status().message()}});
          return;
        }
        const uint64_t count = reloaded->size();
        service.ReplaceUsers(*std::move(reloaded));
        log::Info("users reloaded", {{"count", count}});  // only once in use
      },
      config.grpc);
}
