#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "actors/auth/token_issuer.h"
#include "actors/auth/user_store.h"
#include "platform/auth/v1/auth.grpc.pb.h"

namespace platform::auth {

// platform.auth.v1.AuthService: credentials in, token out.
class AuthService final : public v1::AuthService::CallbackService {
 public:
  AuthService(UserStore users, TokenIssuer issuer);

  grpc::ServerUnaryReactor* IssueToken(grpc::CallbackServerContext* context,
                                       const v1::IssueTokenRequest* request,
                                       v1::IssueTokenResponse* response) override;

  // Swaps in a freshly loaded user list; calls in flight keep the old one.
  void ReplaceUsers(UserStore users);

 private:
  // The checks and messages of the reference, in its order.
  absl::Status Authenticate(const v1::IssueTokenRequest& request,
                            v1::IssueTokenResponse& response) const;
  std::shared_ptr<const UserStore> users() const;

  mutable absl::Mutex mutex_;
  std::shared_ptr<const UserStore> users_ ABSL_GUARDED_BY(mutex_);
  TokenIssuer issuer_;
};

}  // namespace platform::auth
