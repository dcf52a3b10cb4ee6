#include "actors/auth/auth_service.h"

#include "actors/shared/runtime/grpc_context.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"
#include "grpcpp/support/status.h"

namespace platform::auth {
AuthService::AuthService(UserStore users, TokenIssuer issuer)
    : users_(std::make_shared<const UserStore>(std::move(users))),
      issuer_(std::move(issuer)) {}

void AuthService::ReplaceUsers(UserStore users) {
  auto fresh = std::make_shared<const UserStore>(std::move(users));
  absl::MutexLock lock(&mutex_);
  users_ = std::move(fresh);
}

std::shared_ptr<const UserStore> AuthService::users() const {
  absl::MutexLock lock(&mutex_);
  return users_;
}

absl::Status AuthService::Authenticate(const v1::IssueTokenRequest& request,
                                       v1::IssueTokenResponse& response) const {
  if (request.username().empty()) {
    return absl::InvalidArgumentError("Username is blank");
  }
  if (request.password().empty()) {
    return absl::InvalidArgumentError("Password is blank");
  }
  const std::shared_ptr<const UserStore> store = users();
  const User* user = store->Find(request.username());
  if (user == nullptr) return absl::NotFoundError("User not found");
  if (!user->PasswordMatches(request.password())) {
    return absl::UnauthenticatedError("Invalid password");
  }
  // A disabled user still gets a token; it says enabled: false, and core
  // refuses its transactions.
  response.set_token(issuer_.Issue(*user));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AuthService::IssueToken(
    grpc::CallbackServerContext* context, const v1::IssueTokenRequest* request,
    v1::IssueTokenResponse* response) {
  const absl::Status status = Authenticate(*request, *response);
  log::Info("token request", {{"request_id", RequestIdOf(*context)},
                              {"username", request->username()},
                              {"outcome", status.ok() ? absl::string_view("issued")
                                                      : status.message()}});
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace platform::auth
