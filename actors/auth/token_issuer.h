#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "actors/auth/user_store.h"
#include "actors/shared/jwt/hs256.h"

namespace platform::auth {

// Issues the token a user calls core with: HS256, valid for `lifetime`.
class TokenIssuer {
 public:
  using Clock = std::function<absl::Time()>;

  TokenIssuer(
      jwt::Hs256 codec, absl::Duration lifetime, Clock clock = [] { return absl::Now(); });

  std::string Issue(const User& user) const;

 private:
  jwt::Hs256 codec_;
  absl::Duration lifetime_;
  Clock clock_;
};

}  // namespace platform::auth
