// The gateway and auth binaries on free ports, driven over HTTP as HTTPie
// or curl would: every auth and router row of SPEC.md, parity and hardening.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <vector>

#include "actors/shared/jwt/hs256.h"
#include "gtest/gtest.h"
#include "tests/support/platform_stack.h"

namespace platform {
namespace {

using testing::BinaryPath;
using testing::HttpAnswer;
using testing::HttpClient;
using testing::PlatformStack;
using testing::ServiceProcess;

class GatewayAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PlatformStack::Options options;
    options.with_core = false;  // so the routes to core show their 503
    options.gateway_env = {{"HTTP_MAX_BODY_BYTES", "4096"},
                           {"HTTP_MAX_HEADER_BYTES", "2048"},
                           {"HTTP_REQUEST_TIMEOUT_MS", "300"}};
    stack_ = std::make_unique<PlatformStack>(options);
    client_ = &stack_->http();
    auth_ = &stack_->auth();
    gateway_ = &stack_->gateway();
  }

  HttpAnswer Token(const std::string& json) { return client_->PostJson("/auth/token", json); }

  void ExpectError(const HttpAnswer& answer, unsigned status, const std::string& message) {
    EXPECT_EQ(answer.status, status) << answer.body;
    EXPECT_EQ(answer.Error(), message);
    EXPECT_EQ(answer.Header("content-type"), "application/json");
  }

  std::unique_ptr<PlatformStack> stack_;
  HttpClient* client_ = nullptr;
  ServiceProcess* auth_ = nullptr;
  ServiceProcess* gateway_ = nullptr;
};

// ---- parity: the reference's answers ----

TEST_F(GatewayAuthTest, HealthOfAuthIsTheReferenceBody) {
  const HttpAnswer answer = client_->Send("GET", "/auth/health");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"checks": {}, "status": "pass"})");
}

TEST_F(GatewayAuthTest, RightCredentialsGetA30SecondToken) {
  const absl::Time before = absl::Now();
  const HttpAnswer answer = Token(R"({"username": "alice", "password": "password"})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.Header("content-type"), "application/json");
  const auto json = answer.Json();
  ASSERT_EQ(json.fields().size(), 1u) << answer.body;
  const absl::StatusOr<jwt::Claims> claims =
      jwt::Hs256(stack_->jwt_secret())
          .Verify(json.fields().at("token").string_value(), absl::Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, 1);
  EXPECT_EQ(claims->username, "alice");
  EXPECT_TRUE(claims->enabled);
  EXPECT_GE(claims->exp, absl::ToUnixSeconds(before) + 30);
  EXPECT_LE(claims->exp, absl::ToUnixSeconds(absl::Now()) + 30);
}

TEST_F(GatewayAuthTest, DisabledUserStillGetsAToken) {
  const HttpAnswer answer = Token(R"({"username": "charlie", "password": "password"})");
  ASSERT_EQ(answer.status, 200);
  const absl::StatusOr<jwt::Claims> claims =
      jwt::Hs256(stack_->jwt_secret())
          .Verify(answer.Json().fields().at("token").string_value(), absl::Now());
  ASSERT_TRUE(claims.ok());
  EXPECT_FALSE(claims->enabled);
  EXPECT_EQ(claims->user_id, 3);
}

TEST_F(GatewayAuthTest, BlankCredentialsAre422) {
  ExpectError(Token(R"({"password": "password"})"), 422, "Username is blank");
  ExpectError(Token(R"({"username": "", "password": "password"})"), 422, "Username is blank");
  ExpectError(Token(R"({})"), 422, "Username is blank");
  ExpectError(Token(R"({"username": "alice"})"), 422, "Password is blank");
  ExpectError(Token(R"({"username": "alice", "password": ""})"), 422, "Password is blank");
}

TEST_F(GatewayAuthTest, WrongPasswordIs401AndUnknownUserIs404) {
  ExpectError(Token(R"({"username": "alice", "password": "nope"})"), 401, "Invalid password");
  ExpectError(Token(R"({"username": "mallory", "password": "password"})"), 404, "User not found");
  ExpectError(Token(R"({"username": "Alice", "password": "password"})"), 404,
              "User not found");  // case-sensitive
}

TEST_F(GatewayAuthTest, ExtraFieldsAndCharsetAreFine) {
  const HttpAnswer answer = client_->Send(
      "POST", "/auth/token", R"({"username": "becky", "password": "password", "x": [1]})",
      {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(answer.status, 200) << answer.body;
}

TEST_F(GatewayAuthTest, WrongMethodIs405WithAllow) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"GET", "/auth/token", "POST"},
      {"POST", "/auth/health", "GET"},
      {"GET", "/transaction/transaction", "POST"},
      {"POST", "/transaction/health", "GET"},
  };
  for (const auto& [method, path, allow] : cases) {
    const HttpAnswer answer = client_->Send(method, path, method == std::string("POST") ? "{}" : "",
                                            {{"Content-Type", "application/json"}});
    EXPECT_EQ(answer.status, 405) << method << " " << path;
    EXPECT_EQ(answer.Header("allow"), allow) << method << " " << path;
    EXPECT_FALSE(answer.Error().empty());
    EXPECT_EQ(answer.Header("content-type"), "application/json");
  }
}

TEST_F(GatewayAuthTest, AnyOtherPathIs404AsJson) {
  for (const char* path : {"/", "/auth/nope", "/transaction/token", "/auth/transaction",
                           "/transaction/no-such-endpoint", "/auth/token/extra"}) {
    for (const char* method : {"GET", "POST"}) {
      const HttpAnswer answer =
          client_->Send(method, path, "{}",
                        {{"Content-Type", "application/json"}, {"Authorization", "Bearer x"}});
      EXPECT_EQ(answer.status, 404) << method << " " << path;
      EXPECT_EQ(answer.Error(), "Not found") << method << " " << path;
    }
  }
}

// ---- hardening: where the reference answered 500 ----

TEST_F(GatewayAuthTest, BodiesThatAreNotAJsonObjectAre400) {
  ExpectError(Token("not json"), 400, "Request body is not valid JSON");
  ExpectError(Token("[1, 2]"), 400, "Request body must be a JSON object");
  ExpectError(Token("null"), 400, "Request body must be a JSON object");
  ExpectError(Token(R"("alice")"), 400, "Request body must be a JSON object");
  ExpectError(client_->Send("POST", "/auth/token", "", {{"Content-Type", "application/json"}}), 400,
              "Request body is empty: send a JSON object");
  ExpectError(client_->Send("POST", "/auth/token"), 400,
              "Request body is empty: send a JSON object");
}

TEST_F(GatewayAuthTest, NonJsonContentTypesAre415) {
  ExpectError(client_->Send("POST", "/auth/token", "username=alice&password=password",
                            {{"Content-Type", "application/x-www-form-urlencoded"}}),
              415, "Content-Type must be application/json");
  ExpectError(
      client_->Send("POST", "/auth/token", R"({"username": "alice", "password": "password"})",
                    {{"Content-Type", "text/plain"}}),
      415, "Content-Type must be application/json");
  ExpectError(client_->Send("POST", "/auth/token", R"({"username": "alice"})",
                            {{"Content-Type", "application/json; charset=latin-1"}}),
              415, "Content-Type must be application/json");
}

TEST_F(GatewayAuthTest, CredentialsThatAreNotStringsAreBlank) {
  ExpectError(Token(R"({"username": 123, "password": "password"})"), 422, "Username is blank");
  ExpectError(Token(R"({"username": ["alice"], "password": "password"})"), 422,
              "Username is blank");
  ExpectError(Token(R"({"username": null, "password": "password"})"), 422, "Username is blank");
  ExpectError(Token(R"({"username": "alice", "password": 12345})"), 422, "Password is blank");
  ExpectError(Token(R"({"username": "alice", "password": {"a": 1}})"), 422, "Password is blank");
}

TEST_F(GatewayAuthTest, BodyOverTheLimitIs413AndTheConnectionCloses) {
  const std::string body(8192, 'x');
  const std::string raw = client_->SendRaw(
      "POST /auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(raw.rfind("HTTP/1.1 413 ", 0), 0u) << raw.substr(0, 200);
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  EXPECT_NE(raw.find(R"({"error": "Request body is too large"})"), std::string::npos);
}

TEST_F(GatewayAuthTest, HeadersOverTheLimitAre431) {
  const std::string raw = client_->SendRaw(
      "GET /auth/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 431 ", 0), 0u) << raw.substr(0, 200);
  EXPECT_NE(raw.find(R"("error")"), std::string::npos);
}

TEST_F(GatewayAuthTest, AClientTooSlowToSendItsRequestGets408) {
  // Half a request, then silence beyond HTTP_REQUEST_TIMEOUT_MS (300 ms).
  const std::string raw =
      client_->SendRaw("POST /auth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"user",
                       std::chrono::seconds(3));
  EXPECT_EQ(raw.rfind("HTTP/1.1 408 ", 0), 0u) << raw;
  EXPECT_NE(raw.find(R"({"error": "Request timed out"})"), std::string::npos);
}

TEST_F(GatewayAuthTest, NotHttpIs400AsJson) {
  const std::string raw = client_->SendRaw("HELLO THERE\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 400 ", 0), 0u) << raw;
  EXPECT_NE(raw.find(R"("error")"), std::string::npos);
}

TEST_F(GatewayAuthTest, KeepsConnectionsAliveAcrossRequests) {
  const std::string one = "GET /auth/health HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string raw = client_->SendRaw(one + one + one, std::chrono::milliseconds(500));
  size_t answers = 0;
  for (size_t at = raw.find("HTTP/1.1 200"); at != std::string::npos;
       at = raw.find("HTTP/1.1 200", at + 1)) {
    ++answers;
  }
  EXPECT_EQ(answers, 3u) << raw;
}

TEST_F(GatewayAuthTest, GivesEveryAnswerARequestIdAndPassesItOn) {
  const HttpAnswer generated = client_->Send("GET", "/nope");
  EXPECT_EQ(generated.Header("x-request-id").size(), 36u);
  const HttpAnswer given =
      client_->Send("POST", "/auth/token", R"({"username": "alice", "password": "password"})",
                    {{"Content-Type", "application/json"}, {"X-Request-Id", "trace-me-42"}});
  EXPECT_EQ(given.status, 200);
  EXPECT_EQ(given.Header("x-request-id"), "trace-me-42");
  // Auth logged the same id: the id crossed the gRPC hop as metadata.
  EXPECT_TRUE(auth_->WaitForOutput(R"("request_id":"trace-me-42")"));
  // An id unsafe for headers and logs is replaced, not echoed.
  const HttpAnswer unsafe =
      client_->Send("GET", "/auth/health", "", {{"X-Request-Id", std::string(200, 'a')}});
  EXPECT_EQ(unsafe.Header("x-request-id").size(), 36u);
}

TEST_F(GatewayAuthTest, TransactionRoutesAre503JsonWhenCoreIsDown) {
  const HttpAnswer create =
      client_->PostJson("/transaction", R"({"token": "t", "amount": 1, "currency": "USD"})");
  ExpectError(create, 503, "The core service is unavailable");
  const HttpAnswer health = client_->Send("GET", "/transaction/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.body, R"({"checks": {}, "status": "fail"})");
}

// Faults under load (label chaos), each printing its figures.
class GatewayAuthChaos : public GatewayAuthTest {};

TEST_F(GatewayAuthChaos, AuthDownIs503QuicklyAndRecoveryIsAutomatic) {
  const std::string alice = R"({"username": "alice", "password": "password"})";
  ASSERT_EQ(Token(alice).status, 200);  // the gateway's channel is connected
  auth_->Signal(SIGKILL);
  ASSERT_TRUE(auth_->WaitForExit(std::chrono::seconds(5)).has_value());
  const absl::Time start = absl::Now();
  ExpectError(Token(alice), 503, "The auth service is unavailable");
  const absl::Duration refused_in = absl::Now() - start;
  EXPECT_LT(refused_in, testing::TimeLimit(absl::Seconds(2)));
  EXPECT_EQ(client_->Send("GET", "/auth/health").status, 503);

  // Auth comes back on its address; the gateway, untouched, finds it again.
  stack_->RestartAuth();
  auth_ = &stack_->auth();
  const absl::Time back = absl::Now();
  HttpAnswer answer;
  do {
    answer = Token(alice);
  } while (answer.status == 503 && absl::Now() - back < testing::TimeLimit(absl::Seconds(10)) &&
           (std::this_thread::sleep_for(std::chrono::milliseconds(100)), true));
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(client_->Send("GET", "/auth/health").status, 200);
  std::printf(
      "chaos | auth killed: a token request refused with 503 in %lld ms, tokens again "
      "%lld ms after the restart\n",
      static_cast<long long>(absl::ToInt64Milliseconds(refused_in)),
      static_cast<long long>(absl::ToInt64Milliseconds(absl::Now() - back)));
}

// ---- login limits (counted by auth in Redis) ----

TEST_F(GatewayAuthTest, RepeatedWrongPasswordsAre429WithRetryAfter) {
  for (int i = 0; i < 5; ++i) {
    ExpectError(Token(R"({"username": "alice", "password": "guess"})"), 401, "Invalid password");
  }
  const HttpAnswer refused = Token(R"({"username": "alice", "password": "password"})");
  ExpectError(refused, 429, "Too many attempts, try again later");
  const std::string retry_after = refused.Header("retry-after");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_LE(std::stoi(retry_after), 60);
  EXPECT_EQ(Token(R"({"username": "becky", "password": "password"})").status, 200);
}

TEST(GatewayLoginLimits, AuthCountsFailuresByTheClientAddressTheGatewaySaw) {
  PlatformStack::Options options;
  options.with_core = false;
  options.auth_env = {{"LOGIN_MAX_FAILURES_PER_ADDRESS", "2"}};
  PlatformStack stack(options);
  for (const char* name : {"mallory1", "mallory2"}) {
    EXPECT_EQ(stack.http()
                  .PostJson("/auth/token",
                            std::string(R"({"username": ")") + name + R"(", "password": "x"})")
                  .status,
              404);
  }
  const HttpAnswer refused =
      stack.http().PostJson("/auth/token", R"({"username": "becky", "password": "password"})");
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_FALSE(refused.Header("retry-after").empty());
  EXPECT_TRUE(stack.auth().WaitForOutput(R"("client":"127.0.0.1")"));
}

TEST_F(GatewayAuthTest, GatewayHealthReportsEachService) {
  const HttpAnswer answer = client_->Send("GET", "/health");
  EXPECT_EQ(answer.status, 503);  // core is not there yet
  const auto checks = answer.Json().fields().at("checks").struct_value().fields();
  EXPECT_EQ(checks.at("auth").struct_value().fields().at("status").string_value(), "pass");
  EXPECT_EQ(checks.at("core").struct_value().fields().at("status").string_value(), "fail");
  EXPECT_EQ(answer.Json().fields().at("status").string_value(), "fail");
}

// Metrics are on the gateway's metrics port, by route and code; the public
// port has none.
TEST_F(GatewayAuthTest, MetricsCountRequestsByRouteAndCodeOnTheMetricsPortOnly) {
  Token(R"({"username": "alice", "password": "password"})");
  Token(R"({"username": "alice", "password": "bad"})");
  client_->Send("GET", "/nope");
  EXPECT_EQ(client_->Send("GET", "/metrics").status, 404);
  const HttpAnswer metrics = HttpClient(gateway_->WaitForMetricsPort()).Send("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("content-type").rfind("text/plain", 0), 0u);
  for (const char* line : {
           R"(gateway_http_requests_total{code="200",route="POST /auth/token"} 1)",
           R"(gateway_http_requests_total{code="401",route="POST /auth/token"} 1)",
           R"(gateway_http_requests_total{code="404",route="unrouted"} 2)",
           // Known codes exist before they happen.
           R"(gateway_http_requests_total{code="503",route="POST /auth/token"} 0)",
           R"(gateway_http_request_duration_seconds_count{route="POST /auth/token"} 2)",
       }) {
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << "\n" << metrics.body;
  }
}

TEST_F(GatewayAuthTest, StopsCleanlyOnSigterm) { EXPECT_EQ(gateway_->Stop(), 0); }

// CPU seconds a process has used so far (user + system), from /proc.
double CpuSeconds(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Out of descriptors: 300 clients at a gateway that may open 256. It
// neither spins on accept (it backs off) nor dies, and serves again once
// the clients are gone.
TEST(GatewayChaos, OutOfDescriptorsItBacksOffWithoutSpinningAndServesAgainAfter) {
  std::map<std::string, std::string> env = {{"HTTP_HOST", "127.0.0.1"},
                                            {"HTTP_PORT", "0"},
                                            {"AUTH_ADDR", "127.0.0.1:1"},
                                            {"CORE_ADDR", "127.0.0.1:1"},
                                            {"HTTP_IDLE_TIMEOUT_MS", "60000"},
                                            {"HTTP_REQUEST_TIMEOUT_MS", "60000"},
                                            {"ACCESS_LOG", "0"}};
#if !defined(__SANITIZE_ADDRESS__)
  ServiceProcess gateway(BinaryPath("gateway"), env);
  const uint16_t port = gateway.WaitForPort();
  ASSERT_NE(port, 0);
  // Its connection ceiling was set from a generous limit; now the limit
  // drops under it, so accepting fails with EMFILE.
  ASSERT_EQ(
      std::system(("prlimit --pid " + std::to_string(gateway.pid()) + " --nofile=256:256").c_str()),
      0);
  const std::string refusing = "accept failed; backing off";
#else
  // Under ASan+UBSan the process must never reach EMFILE itself: UBSan's
  // vptr check needs a pipe to read an object's memory, and without a free
  // descriptor it calls every object invalid. So the gateway starts under
  // the limit, and its ceiling, kept below it, sheds the extra clients.
  ServiceProcess gateway("/usr/bin/prlimit", env, {"--nofile=256:256", BinaryPath("gateway")});
  const uint16_t port = gateway.WaitForPort();
  ASSERT_NE(port, 0);
  const std::string refusing = "HTTP_MAX_CONNECTIONS lowered";
#endif
  std::vector<int> clients;
  for (int i = 0; i < 300; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    clients.push_back(fd);
  }
  EXPECT_TRUE(gateway.WaitForOutput(refusing));
  const double before = CpuSeconds(gateway.pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double spent = CpuSeconds(gateway.pid()) - before;
  EXPECT_LT(spent, 0.5) << "the gateway spun on accept: " << spent << " s of CPU in 2 s";
  for (const int fd : clients) close(fd);

  HttpAnswer answer;
  const absl::Time give_up = absl::Now() + testing::TimeLimit(absl::Seconds(10));
  do {
    // Until it has counted the closes, the gateway still sheds new clients
    // (accepted, then closed: a reset).
    try {
      answer = HttpClient(port).Send("GET", "/nope");
    } catch (const std::exception&) {
      answer = HttpAnswer{};
    }
  } while (answer.status != 404 && absl::Now() < give_up &&
           (std::this_thread::sleep_for(std::chrono::milliseconds(100)), true));
  EXPECT_EQ(answer.status, 404u) << answer.body;
  EXPECT_EQ(answer.Error(), "Not found");
  std::printf(
      "chaos | 300 clients at a gateway allowed 256 descriptors: %.2f s of CPU in the "
      "2 s it refused them, served again after\n",
      spent);
}

// The count of tokens an auth process issued, from its metrics port.
int TokensIssued(ServiceProcess& auth) {
  const std::string metrics = HttpClient(auth.WaitForMetricsPort()).Send("GET", "/metrics").body;
  const std::string series =
      R"(grpc_server_handled_total{grpc_code="OK",grpc_method="IssueToken",)";
  const size_t at = metrics.find(series);
  if (at == std::string::npos) return 0;
  const size_t end = metrics.find('\n', at);
  const size_t space = metrics.rfind(' ', end);
  return std::atoi(metrics.substr(space + 1, end - space - 1).c_str());
}

// Two auth replicas behind one target: the gateway's channel balances calls
// over both (round_robin), instead of sending all of them down the one
// connection it happened to make.
TEST(GatewayBalancing, EveryAuthReplicaGetsItsShareOfTheCalls) {
  testing::RedisServer redis;
  std::vector<std::unique_ptr<ServiceProcess>> auths;
  std::vector<std::string> addresses;
  for (int i = 0; i < 2; ++i) {
    auths.push_back(std::make_unique<ServiceProcess>(
        BinaryPath("auth"), std::map<std::string, std::string>{
                                {"JWT_SECRET", "balancing-secret-of-at-least-thirty-two-bytes"},
                                {"GRPC_HOST", "127.0.0.1"},
                                {"GRPC_PORT", "0"},
                                {"REDIS_URL", redis.Url()},
                                {"USERS_FILE", testing::SourcePath("actors/auth/users.json")}}));
    addresses.push_back("127.0.0.1:" + std::to_string(auths.back()->WaitForPort()));
  }
  ServiceProcess gateway(BinaryPath("gateway"),
                         {{"HTTP_HOST", "127.0.0.1"},
                          {"HTTP_PORT", "0"},
                          {"AUTH_ADDR", "ipv4:" + addresses[0] + "," + addresses[1]},
                          {"CORE_ADDR", "127.0.0.1:1"}});
  HttpClient client(gateway.WaitForPort());
  constexpr int kTokens = 40;
  for (int i = 0; i < kTokens; ++i) {
    const HttpAnswer answer =
        client.PostJson("/auth/token", R"({"username": "alice", "password": "password"})");
    ASSERT_EQ(answer.status, 200u) << answer.body;
  }
  const int first = TokensIssued(*auths[0]);
  const int second = TokensIssued(*auths[1]);
  EXPECT_EQ(first + second, kTokens);
  // Round robin over two ready replicas: half each, give or take the calls
  // made while the second connection was still being set up.
  EXPECT_GE(first, kTokens / 4) << first << " and " << second;
  EXPECT_GE(second, kTokens / 4) << first << " and " << second;
  std::printf("balancing | %d tokens through one gateway: %d and %d from the two auth replicas\n",
              kTokens, first, second);
}

TEST(GatewayStartup, ExitsWithOneLineOnABadSetting) {
  ServiceProcess gateway(BinaryPath("gateway"), {{"HTTP_PORT", "http"}});
  EXPECT_EQ(gateway.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2));
  EXPECT_NE(gateway.output().find("HTTP_PORT=http"), std::string::npos) << gateway.output();
}

}  // namespace
}  // namespace platform
