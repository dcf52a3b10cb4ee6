// What every program says about its settings: --help lists them, and an
// argument it does not take is a one-line error, not a silent start.
#include "gtest/gtest.h"
#include "tests/support/service_process.h"

namespace platform {
namespace {

using testing::BinaryPath;
using testing::ServiceProcess;

struct Program {
  const char* name;
  std::vector<const char*> settings;
};

const Program kPrograms[] = {
    {"auth", {"JWT_SECRET", "GRPC_HOST", "GRPC_PORT", "USERS_FILE", "TOKEN_LIFETIME_SECONDS"}},
    {"core", {"JWT_SECRET", "GRPC_PORT", "REDIS_URL", "STREAM_NAME", "IDEMPOTENCY_TTL_SECONDS",
              "REDIS_TIMEOUT_MS"}},
    {"gateway", {"HTTP_PORT", "AUTH_ADDR", "CORE_ADDR", "HTTP_MAX_BODY_BYTES",
                 "UPSTREAM_DEADLINE_MS"}},
    {"psp_mock", {"GRPC_PORT", "PSP_LATENCY_MS", "PSP_SLOW_MS", "PSP_ERROR_PERCENT"}},
    {"connector", {"REDIS_URL", "PSP_ADDR", "CONSUMER_GROUP", "MAX_IN_FLIGHT", "MAX_DELIVERIES",
                   "RECLAIM_IDLE_MS", "METRICS_PORT"}},
};

TEST(CommandLine, HelpListsEverySettingAndExitsZero) {
  for (const Program& program : kPrograms) {
    ServiceProcess process(BinaryPath(program.name), {}, {"--help"});
    EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(0))
        << program.name;
    const std::string text = process.output();
    EXPECT_NE(text.find("Usage: "), std::string::npos) << program.name;
    for (const char* setting : program.settings) {
      EXPECT_NE(text.find(setting), std::string::npos) << program.name << " " << setting;
    }
  }
}

TEST(CommandLine, AnUnknownArgumentIsOneLineAndExitTwo) {
  for (const Program& program : kPrograms) {
    ServiceProcess process(BinaryPath(program.name), {{"JWT_SECRET", "command-line-secret-of-32-bytes-or-more"}}, {"--port=1"});
    EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2))
        << program.name;
    const std::string text = process.output();
    EXPECT_NE(text.find("--port=1"), std::string::npos) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
}

}  // namespace
}  // namespace platform
