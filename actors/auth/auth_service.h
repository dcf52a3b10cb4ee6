#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "actors/auth/login_limiter.h"
#include "actors/auth/password_checker.h"
#include "actors/auth/token_issuer.h"
#include "actors/auth/user_store.h"
#include "actors/shared/runtime/grpc_server.h"
#include "actors/shared/runtime/unary_call.h"
#include "platform/auth/v1/auth.grpc.pb.h"

namespace platform::auth {

// platform.auth.v1.AuthService: credentials in, token out. Failed logins
// are counted (LoginLimiter) and a guesser is refused with
// RESOURCE_EXHAUSTED and a "retry-after" trailer; argon2 checks run on the
// PasswordChecker. No gRPC thread waits on Redis or on argon2.
// Served from completion queues.
class AuthService {
 public:
  using Async = v1::AuthService::AsyncService;
  using IssueCall = UnaryCall<Async, v1::IssueTokenRequest, v1::IssueTokenResponse>;

  // `limiter` may be null (no limits: a test setup).
  AuthService(UserStore users, TokenIssuer issuer, std::unique_ptr<LoginLimiter> limiter,
              std::unique_ptr<PasswordChecker> checker);

  // What the gRPC server serves: this service's methods on every queue.
  ServedService Served();

  void IssueToken(IssueCall& call);

  // Swaps in a freshly loaded user list; calls in flight keep the old one.
  void ReplaceUsers(UserStore users);

 private:
  class Login;

  std::shared_ptr<const UserStore> users() const;

  mutable absl::Mutex mutex_;
  std::shared_ptr<const UserStore> users_ ABSL_GUARDED_BY(mutex_);
  TokenIssuer issuer_;
  std::unique_ptr<LoginLimiter> limiter_;
  std::unique_ptr<PasswordChecker> checker_;
  Async async_;
  IssueCall::Method issue_;
};

}  // namespace platform::auth
