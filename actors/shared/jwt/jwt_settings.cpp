#include "actors/shared/jwt/jwt_settings.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "actors/shared/runtime/logger.h"

namespace platform::jwt {

JwtSettings LoadJwtSettings(config::Environment& env, absl::string_view use) {
  JwtSettings settings;
  settings.secret =
      env.RequiredSecret("JWT_SECRET", absl::StrCat("HS256 secret for ", use,
                                                    ", the same for auth and core; at least ",
                                                    kMinSecretBytes, " bytes"));
  settings.weak_secret_allowed =
      env.Integer("JWT_ALLOW_WEAK_SECRET", 0, 0, 1,
                  "1 accepts a JWT secret shorter than 32 bytes (with a warning)") == 1;
  const std::string previous =
      env.String("JWT_PREVIOUS_SECRETS", "",
                 "comma-separated secrets still accepted when verifying, during a rotation");
  for (absl::string_view secret : absl::StrSplit(previous, ',', absl::SkipEmpty())) {
    settings.previous_secrets.emplace_back(secret);
  }
  settings.leeway = absl::Seconds(
      env.Integer("JWT_LEEWAY_SECONDS", 5, 0, 300, "clock skew forgiven on a token's exp and nbf"));
  if (settings.weak_secret_allowed) return settings;
  if (!settings.secret.empty() && settings.secret.size() < kMinSecretBytes) {
    env.Fail(absl::StrCat("JWT_SECRET is ", settings.secret.size(), " bytes; use at least ",
                          kMinSecretBytes, " (or JWT_ALLOW_WEAK_SECRET=1 for a test setup)"));
  }
  for (const std::string& secret : settings.previous_secrets) {
    if (secret.size() < kMinSecretBytes) {
      env.Fail(absl::StrCat("a secret in JWT_PREVIOUS_SECRETS is ", secret.size(),
                            " bytes; use at least ", kMinSecretBytes));
    }
  }
  return settings;
}

Hs256 CodecFor(const JwtSettings& settings) {
  return Hs256(settings.secret, settings.previous_secrets, settings.leeway);
}

void WarnIfWeak(const JwtSettings& settings) {
  if (settings.weak_secret_allowed && settings.secret.size() < kMinSecretBytes) {
    log::Warn("JWT_SECRET is weak: shorter than 32 bytes, allowed by JWT_ALLOW_WEAK_SECRET=1",
              {{"bytes", static_cast<uint64_t>(settings.secret.size())}});
  }
}

}  // namespace platform::jwt
