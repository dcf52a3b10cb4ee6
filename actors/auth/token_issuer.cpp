#include "actors/auth/token_issuer.h"

namespace platform::auth {

TokenIssuer::TokenIssuer(jwt::Hs256 codec, absl::Duration lifetime, Clock clock)
    : codec_(std::move(codec)), lifetime_(lifetime), clock_(std::move(clock)) {}

std::string TokenIssuer::Issue(const User& user) const {
  jwt::Claims claims;
  claims.user_id = user.id;
  claims.username = user.username;
  claims.enabled = user.enabled;
  // Whole seconds, as the reference's timegm(utcnow() + 30 s).
  claims.exp = absl::ToUnixSeconds(clock_() + lifetime_);
  return codec_.Sign(claims);
}

}  // namespace platform::auth
