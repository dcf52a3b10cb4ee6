// What every program says about its settings: --help lists them, and an
// argument it does not take is a one-line error, not a silent start.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "tests/support/service_process.h"

namespace platform {
namespace {

using testing::BinaryPath;
using testing::ServiceProcess;
using testing::SourcePath;

struct Program {
  const char* name;
  std::vector<const char*> settings;
};

const Program kPrograms[] = {
    {"auth",
     {"JWT_SECRET", "GRPC_HOST", "GRPC_PORT", "GRPC_THREADS", "USERS_FILE",
      "TOKEN_LIFETIME_SECONDS"}},
    {"core",
     {"JWT_SECRET", "GRPC_PORT", "GRPC_THREADS", "REDIS_URL", "STREAM_NAME", "CONSUMER_GROUP",
      "IDEMPOTENCY_TTL_SECONDS", "REDIS_TIMEOUT_MS"}},
    {"gateway",
     {"HTTP_PORT", "HTTP_THREADS", "AUTH_ADDR", "CORE_ADDR", "HTTP_MAX_BODY_BYTES",
      "UPSTREAM_DEADLINE_MS"}},
    {"psp_mock",
     {"GRPC_PORT", "GRPC_THREADS", "PSP_LATENCY_MS", "PSP_SLOW_MS", "PSP_ERROR_PERCENT"}},
    {"connector",
     {"REDIS_URL", "PSP_ADDR", "CONSUMER_GROUP", "MAX_IN_FLIGHT", "MAX_DELIVERIES",
      "RECLAIM_IDLE_MS", "METRICS_PORT", "ACTOR_THREADS"}},
};

TEST(CommandLine, HelpListsEverySettingAndExitsZero) {
  for (const Program& program : kPrograms) {
    ServiceProcess process(BinaryPath(program.name), {}, {"--help"});
    EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(0)) << program.name;
    const std::string text = process.output();
    EXPECT_NE(text.find("Usage: "), std::string::npos) << program.name;
    for (const char* setting : program.settings) {
      EXPECT_NE(text.find(setting), std::string::npos) << program.name << " " << setting;
    }
    EXPECT_NE(text.find("LOG_LEVEL (default info)"), std::string::npos) << program.name;
  }
}

// A metrics address that is not one, or a metrics port already taken:
// one line naming the setting, exit 2, for every program.
TEST(CommandLine, AMetricsPortThatCannotBeHadIsOneLineAndExitTwo) {
  const int taken = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(taken, 1), 0);
  socklen_t length = sizeof(address);
  getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));
  for (const Program& program : kPrograms) {
    for (const auto& [host, metrics_port] :
         {std::pair<std::string, std::string>{"not\x01an-address", "0"}, {"127.0.0.1", port}}) {
      ServiceProcess process(BinaryPath(program.name),
                             {{"JWT_SECRET", "command-line-secret-of-32-bytes-or-more"},
                              {"GRPC_PORT", "0"},
                              {"HTTP_PORT", "0"},
                              {"USERS_FILE", SourcePath("actors/auth/users.json")},
                              {"METRICS_HOST", host},
                              {"METRICS_PORT", metrics_port}});
      EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2))
          << program.name << " " << host;
      const std::string text = process.output();
      EXPECT_NE(text.find(metrics_port == "0" ? "METRICS_HOST" : "METRICS_PORT"), std::string::npos)
          << text;
      EXPECT_EQ(text.find('\x01'), std::string::npos) << text;
      // One line that is not a log line (some programs log what they did before).
      size_t plain = 0;
      for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
        if (line.front() != '{') ++plain;
      }
      EXPECT_EQ(plain, 1u) << program.name << ": " << text;
    }
  }
  close(taken);
}

// LOG_LEVEL is one of four words; anything else stops every program at
// once with one line naming the setting, rather than logging too much or
// too little in silence.
TEST(CommandLine, AnUnknownLogLevelIsOneLineAndExitTwo) {
  for (const Program& program : kPrograms) {
    for (const char* value : {"loud", "WARN", "warn\n"}) {
      ServiceProcess process(
          BinaryPath(program.name),
          {{"JWT_SECRET", "command-line-secret-of-32-bytes-or-more"}, {"LOG_LEVEL", value}});
      EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2))
          << program.name << " " << value;
      const std::string text = process.output();
      EXPECT_NE(text.find("LOG_LEVEL"), std::string::npos) << text;
      EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    }
  }
}

TEST(CommandLine, AnUnknownArgumentIsOneLineAndExitTwo) {
  for (const Program& program : kPrograms) {
    ServiceProcess process(BinaryPath(program.name),
                           {{"JWT_SECRET", "command-line-secret-of-32-bytes-or-more"}},
                           {"--port=1"});
    EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2)) << program.name;
    const std::string text = process.output();
    EXPECT_NE(text.find("--port=1"), std::string::npos) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
}

// Each program's thread counts: a count that is not a whole number from 1
// to 256 (none, too many, bytes that are not digits) is one line naming the
// setting, and exit 2 before anything starts.
TEST(CommandLine, ThreadCountsOutOfRangeOrNotNumbersAreOneLineAndExitTwo) {
  const std::pair<const char*, const char*> settings[] = {
      {"auth", "GRPC_THREADS"},       {"core", "GRPC_THREADS"},    {"psp_mock", "GRPC_THREADS"},
      {"connector", "ACTOR_THREADS"}, {"gateway", "HTTP_THREADS"},
  };
  for (const auto& [program, setting] : settings) {
    for (const char* value : {"0", "257", "-1", "2\x01; rm -rf", "\xff\xfe"}) {
      ServiceProcess process(
          BinaryPath(program),
          {{"JWT_SECRET", "command-line-secret-of-32-bytes-or-more"}, {setting, value}});
      EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2))
          << program << " " << setting;
      const std::string text = process.output();
      EXPECT_NE(text.find(setting), std::string::npos) << text;
      EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    }
  }
}

// The connector's settings that only make sense together, and values of
// the breaker's settings that are not numbers or out of range: one line,
// naming the setting, and exit 2 before anything starts.
TEST(CommandLine, TheConnectorRefusesSettingsThatDoNotFitTogether) {
  const std::pair<std::map<std::string, std::string>, std::string> cases[] = {
      {{{"BREAKER_OPEN_MS", "5000"}, {"BREAKER_OPEN_MAX_MS", "1000"}}, "BREAKER_OPEN_MAX_MS"},
      {{{"RECLAIM_IDLE_MS", "1000"}, {"RECLAIM_INTERVAL_MS", "600"}}, "RECLAIM_INTERVAL_MS"},
      {{{"BREAKER_FAILURES", "0"}}, "BREAKER_FAILURES"},
      {{{"BREAKER_FAILURES", "5\x01; rm"}}, "BREAKER_FAILURES"},
      {{{"BREAKER_OPEN_MS", "-1"}}, "BREAKER_OPEN_MS"},
      // Every script's keys must share one Redis Cluster slot.
      {{{"STREAM_NAME", "orders"}, {"DEAD_LETTER_STREAM", "orders:dead"}}, "DEAD_LETTER_STREAM"},
      {{{"STREAM_NAME", "a}b"}}, "STREAM_NAME"},
  };
  for (const auto& [env, setting] : cases) {
    ServiceProcess connector(BinaryPath("connector"), env);
    EXPECT_EQ(connector.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2)) << setting;
    const std::string text = connector.output();
    EXPECT_NE(text.find(setting), std::string::npos) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
}

// An address gRPC cannot dial is refused at start with one line naming the
// setting: gRPC itself would make a channel all the same, whose every call
// fails (the gateway answering 503 forever, the connector's breaker holding
// every charge). Targets that name their resolver are gRPC's to read.
TEST(CommandLine, AServiceAddressThatIsNotOneIsOneLineAndExitTwo) {
  const std::tuple<std::string, std::string, std::string> cases[] = {
      {"gateway", "AUTH_ADDR", "auth"},
      {"gateway", "CORE_ADDR", "core:"},
      {"gateway", "CORE_ADDR", "core:70000"},
      {"gateway", "AUTH_ADDR", "http://auth:50051"},
      {"connector", "PSP_ADDR", "psp mock:50053"},
      {"connector", "PSP_ADDR", ":50053"},
  };
  for (const auto& [program, setting, value] : cases) {
    ServiceProcess process(BinaryPath(program), {{setting, value}});
    EXPECT_EQ(process.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2)) << value;
    const std::string text = process.output();
    EXPECT_NE(text.find(absl::StrCat(setting, "=\"", value, "\" is not a gRPC address")),
              std::string::npos)
        << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
  // Control bytes are named escaped: the refusal stays one line, and no
  // byte of the setting reaches the terminal or a log as it is.
  ServiceProcess gateway(BinaryPath("gateway"), {{"CORE_ADDR", "core\n:1\x1b[2J"}});
  EXPECT_EQ(gateway.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2));
  const std::string text = gateway.output();
  EXPECT_NE(text.find(R"(CORE_ADDR="core\n:1\x1b[2J" is not a gRPC address)"), std::string::npos)
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
}

}  // namespace
}  // namespace platform
