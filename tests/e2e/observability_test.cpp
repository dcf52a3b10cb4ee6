// What an operator sees of the running platform: each program's metrics
// port (Prometheus text, build_info, process_*, its own RPCs and calls, a
// health answer), LOG_LEVEL, and one request followed through every log.
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/platform_stack.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace platform {
namespace {

using testing::BinaryPath;
using testing::HttpAnswer;
using testing::HttpClient;
using testing::PlatformStack;
using testing::ServiceProcess;

// The whole platform: PlatformStack's redis, auth, core and gateway, and
// the PSP and a connector beside them.
class ObservabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psp_ = std::make_unique<ServiceProcess>(
        BinaryPath("psp_mock"),
        std::map<std::string, std::string>{{"GRPC_HOST", "127.0.0.1"}, {"GRPC_PORT", "0"}});
    const uint16_t psp_port = psp_->WaitForPort();
    connector_ = std::make_unique<ServiceProcess>(
        BinaryPath("connector"),
        std::map<std::string, std::string>{{"REDIS_URL", stack_.redis().Url()},
                                           {"PSP_ADDR", absl::StrCat("127.0.0.1:", psp_port)},
                                           {"METRICS_HOST", "127.0.0.1"}});
    ASSERT_NE(connector_->WaitForMetricsPort(), 0);
  }

  // One transaction through the gateway, as a merchant sends it; its answer.
  HttpAnswer Pay(const std::map<std::string, std::string>& headers = {}) {
    const std::string token = stack_.TokenFor("alice");
    return stack_.http().PostJson(
        "/transaction", R"({"amount": 100, "currency": "USD", "token": ")" + token + R"("})",
        headers);
  }

  // GET `path` on `program`'s metrics port.
  static HttpAnswer Scrape(ServiceProcess& program, const std::string& path = "/metrics") {
    return HttpClient(program.WaitForMetricsPort()).Send("GET", path);
  }

  // Waits until `program`'s metrics hold `line`; the last text scraped.
  static std::string WaitForMetric(ServiceProcess& program, const std::string& line) {
    const absl::Time give_up = absl::Now() + testing::TimeLimit(absl::Seconds(10));
    std::string text;
    while (absl::Now() < give_up) {
      text = Scrape(program).body;
      if (text.find(line) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return text;
  }

  PlatformStack stack_;
  std::unique_ptr<ServiceProcess> psp_;
  std::unique_ptr<ServiceProcess> connector_;
};

TEST_F(ObservabilityTest, EveryProgramServesItsOwnMetricsAndHealth) {
  ASSERT_EQ(Pay().status, 200u);
  const std::string charged = R"(connector_charges_total{outcome="approved"} 1)";
  ASSERT_NE(WaitForMetric(*connector_, charged).find(charged), std::string::npos);

  const auto rpc = [](const char* service, const char* method) {
    return absl::StrCat(R"(grpc_server_handled_total{grpc_code="OK",grpc_method=")", method,
                        R"(",grpc_service=")", service, R"(",grpc_type="unary"} 1)");
  };
  struct Expected {
    const char* program;
    ServiceProcess* process;
    std::vector<std::string> lines;
  };
  const Expected programs[] = {
      {"gateway",
       &stack_.gateway(),
       {R"(gateway_http_requests_total{code="200",route="POST /transaction"} 1)",
        R"(gateway_http_requests_total{code="500",route="POST /transaction"} 0)",
        "# TYPE gateway_http_request_duration_seconds histogram"}},
      {"auth",
       &stack_.auth(),
       {rpc("platform.auth.v1.AuthService", "IssueToken"),
        // Every code is there from the start, at 0.
        R"(grpc_server_handled_total{grpc_code="Unauthenticated",grpc_method="IssueToken")",
        "# TYPE grpc_server_handling_seconds histogram"}},
      {"core",
       &stack_.core(),
       {rpc("platform.core.v1.TransactionService", "CreateTransaction"),
        "# TYPE redis_round_trip_seconds histogram", R"(redis_commands_total{result="ok"})"}},
      {"psp_mock", psp_.get(), {rpc("platform.psp.v1.PspService", "Charge")}},
      {"connector",
       connector_.get(),
       {charged, "connector_psp_call_seconds_count 1", "# TYPE connector_lag gauge",
        "# TYPE connector_in_flight gauge", "# TYPE redis_round_trip_seconds histogram"}},
  };
  for (const Expected& expected : programs) {
    const HttpAnswer metrics = Scrape(*expected.process);
    ASSERT_EQ(metrics.status, 200u) << expected.program;
    EXPECT_EQ(metrics.Header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
    std::vector<std::string> lines = expected.lines;
    lines.insert(lines.end(),
                 {absl::StrCat(R"(platform_build_info{program=")", expected.program, "\""),
                  "# TYPE process_cpu_seconds_total counter",
                  "# TYPE process_resident_memory_bytes gauge", "# TYPE process_open_fds gauge"});
    for (const std::string& line : lines) {
      EXPECT_NE(metrics.body.find(line), std::string::npos)
          << expected.program << " lacks " << line << "\n"
          << metrics.body;
    }
    const HttpAnswer health = Scrape(*expected.process, "/health");
    EXPECT_EQ(health.status, 200u) << expected.program << " " << health.body;
    EXPECT_EQ(health.Json().fields().at("status").string_value(), "pass");
    EXPECT_EQ(Scrape(*expected.process, "/nope").status, 404u);
  }
}

// A W3C traceparent sent to the gateway: its trace id is on the log lines
// of every program the transaction passes, the PSP's included, each hop
// with a span of its own. Without one, the gateway starts a trace.
TEST_F(ObservabilityTest, ATraceparentFollowsTheTransactionThroughEveryLog) {
  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  const std::string traceparent = "00-" + trace_id + "-00f067aa0ba902b7-01";
  ASSERT_EQ(Pay({{"traceparent", traceparent}}).status, 200u);
  const std::string field = R"("trace_id":")" + trace_id + "\"";
  const std::pair<const char*, ServiceProcess*> programs[] = {
      {"gateway", &stack_.gateway()},
      {"core", &stack_.core()},
      {"connector", connector_.get()},
      {"psp_mock", psp_.get()},
  };
  for (const auto& [name, process] : programs) {
    EXPECT_TRUE(process->WaitForOutput(field, std::chrono::milliseconds(absl::ToInt64Milliseconds(
                                                  testing::TimeLimit(absl::Seconds(10))))))
        << name << " never logged " << field << "\n"
        << process->output();
  }
  // The settled line too, not only the first one about the transaction.
  EXPECT_TRUE(connector_->WaitForOutput(R"("msg":"transaction settled","request_id")"));
  const std::string settled = connector_->output();
  const size_t line = settled.find(R"("msg":"transaction settled")");
  EXPECT_NE(settled.find(field, line), std::string::npos) << settled;

  // A token request without one: auth logs the trace the gateway started.
  const HttpAnswer token = stack_.http().PostJson(
      "/auth/token", R"({"username": "alice", "password": "password"})", {{"traceparent", "junk"}});
  EXPECT_EQ(token.status, 200u);
  const std::string auth_log = stack_.auth().output();
  const size_t last = auth_log.rfind(R"("msg":"token request")");
  ASSERT_NE(last, std::string::npos) << auth_log;
  const size_t key = auth_log.find(R"("trace_id":")", last);
  ASSERT_NE(key, std::string::npos) << auth_log.substr(last);
  const std::string started = auth_log.substr(key + 12, 32);
  EXPECT_EQ(started.find_first_not_of("0123456789abcdef"), std::string::npos) << started;
  EXPECT_NE(started, trace_id);
}

// LOG_LEVEL=warn: a program that works normally writes no info line at
// all (the same program at the default level says "listening" and more).
TEST(LogLevel, WarnSilencesInfoLines) {
  const uint16_t metrics_port = testing::FreePort();
  ServiceProcess psp(BinaryPath("psp_mock"), {{"GRPC_HOST", "127.0.0.1"},
                                              {"GRPC_PORT", "0"},
                                              {"LOG_LEVEL", "warn"},
                                              {"METRICS_PORT", std::to_string(metrics_port)}});
  const absl::Time give_up = absl::Now() + testing::TimeLimit(absl::Seconds(10));
  unsigned status = 0;
  while (absl::Now() < give_up && status != 200) {
    try {
      status = HttpClient(metrics_port).Send("GET", "/health").status;
    } catch (const std::exception&) {  // not listening yet
    }
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status, 200u) << psp.output();
  EXPECT_EQ(psp.Stop(), 0);
  EXPECT_EQ(psp.output().find(R"("level":"info")"), std::string::npos) << psp.output();

  ServiceProcess chatty(BinaryPath("psp_mock"), {{"GRPC_HOST", "127.0.0.1"}, {"GRPC_PORT", "0"}});
  EXPECT_NE(chatty.WaitForPort(), 0);
  EXPECT_NE(chatty.output().find(R"("level":"info")"), std::string::npos);
}

}  // namespace
}  // namespace platform
