#include "actors/shared/runtime/env_config.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <thread>

#include "gtest/gtest.h"

namespace platform::config {
namespace {

Environment With(const std::map<std::string, std::string>& values) {
  return Environment([values](absl::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
}

TEST(EnvConfig, UsesDefaultsWhenUnset) {
  Environment env = With({});
  EXPECT_EQ(env.String("HOST", "0.0.0.0", "h"), "0.0.0.0");
  EXPECT_EQ(env.Port("PORT", 8080, "p"), 8080);
  EXPECT_EQ(env.Milliseconds("T", 250, 1, 1000, "t"), absl::Milliseconds(250));
  EXPECT_TRUE(env.status().ok());
}

TEST(EnvConfig, ReadsSetValues) {
  Environment env = With({{"HOST", "127.0.0.1"}, {"PORT", "9000"}});
  EXPECT_EQ(env.String("HOST", "0.0.0.0", "h"), "127.0.0.1");
  EXPECT_EQ(env.Port("PORT", 8080, "p"), 9000);
  EXPECT_TRUE(env.status().ok());
}

TEST(EnvConfig, ThreadPoolsDefaultToOnePerCoreAndTakeAnyCountFromOne) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Environment unset = With({});
  EXPECT_EQ(unset.Threads("POOL_THREADS", "threads of the pool"), cores);
  EXPECT_NE(unset.Describe().find("one per core"), std::string::npos) << unset.Describe();
  Environment set = With({{"POOL_THREADS", "3"}});
  EXPECT_EQ(set.Threads("POOL_THREADS", "threads of the pool"), 3);
  Environment zero = With({{"POOL_THREADS", "0"}});
  zero.Threads("POOL_THREADS", "threads of the pool");
  EXPECT_FALSE(zero.status().ok());
}

TEST(EnvConfig, EmptyCountsAsUnset) {
  Environment env = With({{"HOST", ""}});
  EXPECT_EQ(env.String("HOST", "fallback", "h"), "fallback");
}

TEST(EnvConfig, MissingRequiredSettingNamesTheVariable) {
  Environment env = With({});
  env.Required("JWT_SECRET", "signing secret");
  ASSERT_FALSE(env.status().ok());
  EXPECT_NE(env.status().message().find("JWT_SECRET"), absl::string_view::npos);
  EXPECT_EQ(env.status().message().find('\n'), absl::string_view::npos);
}

// A secret mounted as a file (Docker and Kubernetes secrets): NAME_FILE
// names it, and its trailing newline is not part of the secret.
TEST(EnvConfig, ASecretComesFromItsVariableOrFromTheFileItsFileVariableNames) {
  const std::string path = ::testing::TempDir() + "secret";
  std::ofstream(path) << "from-a-file\n";
  Environment from_file = With({{"JWT_SECRET_FILE", path}});
  EXPECT_EQ(from_file.RequiredSecret("JWT_SECRET", "s"), "from-a-file");
  EXPECT_TRUE(from_file.status().ok()) << from_file.status();

  Environment from_variable = With({{"JWT_SECRET", "from-the-environment"}});
  EXPECT_EQ(from_variable.RequiredSecret("JWT_SECRET", "s"), "from-the-environment");

  Environment both = With({{"JWT_SECRET", "x"}, {"JWT_SECRET_FILE", path}});
  both.RequiredSecret("JWT_SECRET", "s");
  EXPECT_EQ(both.status().message(), "set JWT_SECRET or JWT_SECRET_FILE, not both");

  Environment missing_file = With({{"JWT_SECRET_FILE", path + ".nowhere"}});
  missing_file.RequiredSecret("JWT_SECRET", "s");
  EXPECT_EQ(missing_file.status().message(), "JWT_SECRET_FILE=" + path + ".nowhere cannot be read");

  // A file with nothing but line ends holds no secret: refused, not "".
  const std::string blank = ::testing::TempDir() + "blank-secret";
  std::ofstream(blank) << "\r\n\n";
  Environment empty_file = With({{"JWT_SECRET_FILE", blank}});
  EXPECT_EQ(empty_file.RequiredSecret("JWT_SECRET", "s"), "");
  EXPECT_EQ(empty_file.status().message(), "JWT_SECRET_FILE=" + blank + " is empty");

  Environment neither = With({});
  neither.RequiredSecret("JWT_SECRET", "s");
  EXPECT_NE(neither.status().message().find("JWT_SECRET is required"), absl::string_view::npos);
}

TEST(EnvConfig, RejectsNumbersOutOfRangeOrNotNumbers) {
  Environment bad_port = With({{"PORT", "70000"}});
  bad_port.Port("PORT", 8080, "p");
  EXPECT_NE(bad_port.status().message().find("PORT=70000"), absl::string_view::npos);

  Environment not_number = With({{"N", "ten"}});
  not_number.Integer("N", 1, 0, 100, "n");
  EXPECT_FALSE(not_number.status().ok());
}

TEST(EnvConfig, KeepsTheFirstProblem) {
  Environment env = With({{"A", "x"}});
  env.Integer("A", 1, 0, 9, "a");
  env.Required("B", "b");
  EXPECT_NE(env.status().message().find("A=x"), absl::string_view::npos);
}

TEST(EnvConfig, DescribesEverySettingForHelp) {
  Environment env = With({});
  env.String("HOST", "0.0.0.0", "where to listen");
  env.Required("JWT_SECRET", "signing secret");
  const std::string help = env.Describe();
  EXPECT_NE(help.find("HOST (default 0.0.0.0)"), std::string::npos);
  EXPECT_NE(help.find("where to listen"), std::string::npos);
  EXPECT_NE(help.find("JWT_SECRET (required)"), std::string::npos);
}

}  // namespace
}  // namespace platform::config
