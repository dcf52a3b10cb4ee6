#include "actors/shared/jwt/jwt_settings.h"

#include <map>

#include "gtest/gtest.h"

namespace platform::jwt {
namespace {

constexpr char kStrong[] = "a-secret-of-at-least-thirty-two-bytes";

config::Environment With(const std::map<std::string, std::string>& values) {
  return config::Environment([values](absl::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
}

TEST(JwtSettings, AStrongSecretWithDefaults) {
  config::Environment env = With({{"JWT_SECRET", kStrong}});
  const JwtSettings settings = LoadJwtSettings(env, "testing");
  ASSERT_TRUE(env.status().ok()) << env.status();
  EXPECT_EQ(settings.secret, kStrong);
  EXPECT_TRUE(settings.previous_secrets.empty());
  EXPECT_EQ(settings.leeway, absl::Seconds(5));
}

TEST(JwtSettings, ASecretShorterThan32BytesIsRefusedUnlessAllowed) {
  config::Environment env = With({{"JWT_SECRET", "short"}});
  LoadJwtSettings(env, "testing");
  EXPECT_EQ(env.status().message(),
            "JWT_SECRET is 5 bytes; use at least 32 (or JWT_ALLOW_WEAK_SECRET=1 for a test setup)");

  config::Environment allowed = With({{"JWT_SECRET", "short"}, {"JWT_ALLOW_WEAK_SECRET", "1"}});
  EXPECT_TRUE(LoadJwtSettings(allowed, "testing").weak_secret_allowed);
  EXPECT_TRUE(allowed.status().ok());
}

TEST(JwtSettings, PreviousSecretsAreACommaSeparatedListOfStrongOnes) {
  const std::string older = std::string(kStrong) + "-1";
  config::Environment env =
      With({{"JWT_SECRET", kStrong}, {"JWT_PREVIOUS_SECRETS", older + "," + older + "2"}});
  const JwtSettings settings = LoadJwtSettings(env, "testing");
  ASSERT_TRUE(env.status().ok()) << env.status();
  EXPECT_EQ(settings.previous_secrets, (std::vector<std::string>{older, older + "2"}));

  config::Environment weak = With({{"JWT_SECRET", kStrong}, {"JWT_PREVIOUS_SECRETS", "old"}});
  LoadJwtSettings(weak, "testing");
  EXPECT_NE(weak.status().message().find("JWT_PREVIOUS_SECRETS is 3 bytes"),
            absl::string_view::npos)
      << weak.status();
}

}  // namespace
}  // namespace platform::jwt
