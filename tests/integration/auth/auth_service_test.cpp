// The auth binary, started for real, called over gRPC.
#include <signal.h>

#include <argon2.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "actors/shared/jwt/hs256.h"
#include "actors/shared/runtime/grpc_call.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "platform/auth/v1/auth.grpc.pb.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace platform::auth {
namespace {

using testing::BinaryPath;
using testing::ServiceProcess;
using testing::SourcePath;

constexpr char kSecret[] = "auth-integration-secret-of-32-bytes-or-more";

class AuthServiceTest : public ::testing::Test {
 protected:
  AuthServiceTest() = default;
  explicit AuthServiceTest(const testing::RedisServer::Options& redis) : redis_(redis) {}

  void SetUp() override { Start(); }

  // Starts auth (again) with these settings on top of the fixture's.
  void Start(const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> env = {{"JWT_SECRET", kSecret},
                                              {"GRPC_HOST", "127.0.0.1"},
                                              {"GRPC_PORT", "0"},
                                              {"REDIS_URL", redis_.Url()},
                                              {"USERS_FILE", UsersFile()}};
    for (const auto& [name, value] : extra) env[name] = value;
    auth_.reset();
    auth_ = std::make_unique<ServiceProcess>(BinaryPath("auth"), env);
    port_ = auth_->WaitForPort();
    ASSERT_NE(port_, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::AuthService::NewStub(channel_);
  }

  void ExpectRepeatedWrongPasswordsToBeRefused();

  virtual std::string UsersFile() { return SourcePath("actors/auth/users.json"); }

  // `address`: the client address the gateway would pass on ("" for none).
  grpc::Status IssueToken(const std::string& username, const std::string& password,
                          std::string* token = nullptr, const std::string& address = "",
                          std::string* retry_after = nullptr,
                          v1::AuthService::Stub* stub = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!address.empty()) context.AddMetadata("x-client-address", address);
    v1::IssueTokenRequest request;
    request.set_username(username);
    request.set_password(password);
    v1::IssueTokenResponse response;
    grpc::Status status =
        (stub != nullptr ? stub : stub_.get())->IssueToken(&context, request, &response);
    if (token != nullptr) *token = response.token();
    if (retry_after != nullptr) {
      const auto& trailers = context.GetServerTrailingMetadata();
      const auto found = trailers.find("retry-after");
      *retry_after =
          found == trailers.end() ? "" : std::string(found->second.data(), found->second.size());
    }
    return status;
  }

  testing::RedisServer redis_;
  std::unique_ptr<ServiceProcess> auth_;
  uint16_t port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AuthService::Stub> stub_;
};

TEST_F(AuthServiceTest, IssuesA30SecondTokenCoreCanVerify) {
  std::string token;
  const absl::Time before = absl::Now();
  ASSERT_TRUE(IssueToken("alice", "password", &token).ok());
  const absl::StatusOr<jwt::Claims> claims = jwt::Hs256(kSecret).Verify(token, absl::Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, 1);
  EXPECT_EQ(claims->username, "alice");
  EXPECT_TRUE(claims->enabled);
  EXPECT_GE(claims->exp, absl::ToUnixSeconds(before) + 30);
  EXPECT_LE(claims->exp, absl::ToUnixSeconds(absl::Now()) + 30);
}

TEST_F(AuthServiceTest, DisabledUserGetsATokenSayingSo) {
  std::string token;
  ASSERT_TRUE(IssueToken("charlie", "password", &token).ok());
  const absl::StatusOr<jwt::Claims> claims = jwt::Hs256(kSecret).Verify(token, absl::Now());
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->user_id, 3);
  EXPECT_FALSE(claims->enabled);
}

TEST_F(AuthServiceTest, AnswersTheReferenceErrorsWithGrpcCodes) {
  struct Case {
    const char* username;
    const char* password;
    grpc::StatusCode code;
    const char* message;
  };
  const Case cases[] = {
      {"", "password", grpc::StatusCode::INVALID_ARGUMENT, "Username is blank"},
      {"", "", grpc::StatusCode::INVALID_ARGUMENT, "Username is blank"},
      {"alice", "", grpc::StatusCode::INVALID_ARGUMENT, "Password is blank"},
      {"nobody", "password", grpc::StatusCode::NOT_FOUND, "User not found"},
      {"Alice", "password", grpc::StatusCode::NOT_FOUND, "User not found"},
      {"alice", "wrong", grpc::StatusCode::UNAUTHENTICATED, "Invalid password"},
  };
  for (const Case& c : cases) {
    const grpc::Status status = IssueToken(c.username, c.password);
    EXPECT_EQ(status.error_code(), c.code) << c.username << "/" << c.password;
    EXPECT_EQ(status.error_message(), c.message) << c.username << "/" << c.password;
  }
}

TEST_F(AuthServiceTest, ReportsServingOnTheStandardHealthService) {
  for (const char* service : {"", "platform.auth.v1.AuthService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    std::string bytes;
    const grpc::Status result = runtime::CallByName(channel_, "/grpc.health.v1.Health/Check",
                                                    request.SerializeAsString(), &bytes);
    ASSERT_TRUE(result.ok()) << service << ": " << result.error_message();
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(response.ParseFromString(bytes));
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(AuthServiceTest, StopsCleanlyOnSigterm) {
  EXPECT_EQ(auth_->Stop(), 0);
  EXPECT_NE(auth_->output().find("\"msg\":\"stopping\""), std::string::npos);
}

// ---- login limits ----

TEST_F(AuthServiceTest, RepeatedWrongPasswordsForOneUsernameAreRefusedForAWhile) {
  ExpectRepeatedWrongPasswordsToBeRefused();
}

// The username's and the address's counters live in different slots of a
// Redis Cluster: each is counted and read on its own.
class AuthOnARedisClusterTest : public AuthServiceTest {
 protected:
  AuthOnARedisClusterTest() : AuthServiceTest(ClusterNode()) {}
  static testing::RedisServer::Options ClusterNode() {
    testing::RedisServer::Options options;
    options.cluster = true;
    return options;
  }
};

TEST_F(AuthOnARedisClusterTest, RepeatedWrongPasswordsForOneUsernameAreRefusedForAWhile) {
  ExpectRepeatedWrongPasswordsToBeRefused();
  EXPECT_FALSE(auth_->WaitForOutput("login limits unavailable", std::chrono::milliseconds(100)));
}

void AuthServiceTest::ExpectRepeatedWrongPasswordsToBeRefused() {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(IssueToken("alice", "guess").error_code(), grpc::StatusCode::UNAUTHENTICATED) << i;
  }
  std::string retry_after;
  const grpc::Status refused = IssueToken("alice", "guess", nullptr, "", &retry_after);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(), "Too many attempts, try again later");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_LE(std::stoi(retry_after), 60);
  // The right password does not get through either, for this username only.
  EXPECT_EQ(IssueToken("alice", "password").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(IssueToken("becky", "password").ok());
}

TEST_F(AuthServiceTest, ManyFailuresFromOneAddressAreRefusedWhateverTheUsername) {
  Start({{"LOGIN_MAX_FAILURES_PER_ADDRESS", "3"}});
  for (const char* name : {"mallory1", "mallory2", "mallory3"}) {
    EXPECT_EQ(IssueToken(name, "x", nullptr, "198.51.100.7").error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(IssueToken("becky", "password", nullptr, "198.51.100.7").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // An address is counted as the bytes it is: quotes, backslashes and
  // braces do not escape their key or the log line.
  const std::string hostile = R"(1.2.3.4"}, {"x": "\)";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(IssueToken("nobody", "x", nullptr, hostile).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(IssueToken("becky", "password", nullptr, hostile).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(auth_->WaitForOutput(R"("client":"1.2.3.4\"}, {\"x\": \"\\")"));
  // Another address is not affected, and a success there resets nothing here.
  EXPECT_TRUE(IssueToken("becky", "password", nullptr, "198.51.100.8").ok());
  EXPECT_EQ(IssueToken("becky", "password", nullptr, "198.51.100.7").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(AuthServiceTest, TheLimitHoldsAcrossAuthReplicas) {
  ServiceProcess replica(BinaryPath("auth"), {{"JWT_SECRET", kSecret},
                                              {"GRPC_HOST", "127.0.0.1"},
                                              {"GRPC_PORT", "0"},
                                              {"REDIS_URL", redis_.Url()},
                                              {"USERS_FILE", UsersFile()}});
  auto other = v1::AuthService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(replica.WaitForPort()), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 5; ++i) {
    // Alternate replicas, as a load balancer would.
    IssueToken("alice", "guess", nullptr, "", nullptr, i % 2 == 0 ? nullptr : other.get());
  }
  EXPECT_EQ(IssueToken("alice", "password").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(IssueToken("alice", "password", nullptr, "", nullptr, other.get()).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(AuthServiceTest, WithoutRedisLoginsGoOnUnlimited) {
  Start({{"REDIS_URL", "redis://127.0.0.1:1/0"}});
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(IssueToken("alice", "guess").error_code(), grpc::StatusCode::UNAUTHENTICATED) << i;
  }
  EXPECT_TRUE(IssueToken("alice", "password").ok());
  EXPECT_TRUE(auth_->WaitForOutput("login limits unavailable"));
}

class ReloadingAuthServiceTest : public AuthServiceTest {
 protected:
  std::string UsersFile() override {
    path_ = ::testing::TempDir() + "/users-" + std::to_string(getpid()) + ".json";
    Write(R"([{"id": 1, "username": "alice", "password": "password", "enabled": true}])");
    return path_;
  }
  void Write(const std::string& json) { std::ofstream(path_) << json; }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

// A user whose password is an argon2id hash, costly to check (64 MiB, 2
// passes): a flood of wrong passwords for it.
class HashedPasswordAuthServiceTest : public AuthServiceTest {
 protected:
  std::string UsersFile() override {
    char encoded[256];
    const char salt[] = "0123456789abcdef";
    EXPECT_EQ(
        argon2id_hash_encoded(2, 1 << 16, 1, "hunter2", 7, salt, 16, 32, encoded, sizeof encoded),
        ARGON2_OK);
    path_ = ::testing::TempDir() + "/hashed-users-" + std::to_string(getpid()) + ".json";
    std::ofstream(path_) << R"([{"id": 4, "username": "dora", "password_hash": ")" << encoded
                         << R"(", "enabled": true}])";
    return path_;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(HashedPasswordAuthServiceTest, AFloodOfPasswordChecksIsTurnedAwayAndHealthStillAnswers) {
  Start({{"PASSWORD_CHECK_THREADS", "1"},
         {"PASSWORD_CHECK_QUEUE", "2"},
         {"LOGIN_MAX_FAILURES_PER_USER", "1000"},
         {"LOGIN_MAX_FAILURES_PER_ADDRESS", "1000"}});
  ASSERT_TRUE(IssueToken("dora", "hunter2").ok());  // the hash is right
  std::atomic<int> turned_away{0}, checked{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < 16; ++i) {
    flood.emplace_back([&] {
      const grpc::Status status = IssueToken("dora", "wrong");
      if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++turned_away;
      if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) ++checked;
    });
  }
  // While the checker is busy, health checks are answered at once.
  grpc::health::v1::HealthCheckRequest request;
  std::string bytes;
  const absl::Time start = absl::Now();
  EXPECT_TRUE(runtime::CallByName(channel_, "/grpc.health.v1.Health/Check",
                                  request.SerializeAsString(), &bytes)
                  .ok());
  EXPECT_LT(absl::Now() - start, testing::TimeLimit(absl::Seconds(1)));
  for (auto& thread : flood) thread.join();
  EXPECT_GT(turned_away.load(), 0) << "every check was queued: the queue is not bounded";
  EXPECT_GT(checked.load(), 0);
  EXPECT_EQ(turned_away + checked, 16);
}

TEST_F(ReloadingAuthServiceTest, ReloadsTheUsersFileOnSighup) {
  EXPECT_EQ(IssueToken("dave", "pw").error_code(), grpc::StatusCode::NOT_FOUND);
  Write(R"([{"id": 4, "username": "dave", "password": "pw", "enabled": true}])");
  auth_->Signal(SIGHUP);
  ASSERT_TRUE(auth_->WaitForOutput("users reloaded"));
  EXPECT_TRUE(IssueToken("dave", "pw").ok());
  EXPECT_EQ(IssueToken("alice", "password").error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReloadingAuthServiceTest, KeepsTheOldUsersWhenTheNewFileIsBroken) {
  Write("[{broken");
  auth_->Signal(SIGHUP);
  ASSERT_TRUE(auth_->WaitForOutput("users not reloaded"));
  EXPECT_TRUE(IssueToken("alice", "password").ok());
}

// Start-up failures: one readable line on stderr, a non-zero exit.
std::pair<int, std::string> StartAndFail(std::map<std::string, std::string> env) {
  env.emplace("GRPC_PORT", "0");
  ServiceProcess auth(BinaryPath("auth"), env);
  const std::optional<int> code = auth.WaitForExit(std::chrono::seconds(10));
  EXPECT_TRUE(code.has_value());
  return {code.value_or(-1), auth.output()};
}

TEST(AuthStartup, ExitsNamingJwtSecretWhenItIsMissing) {
  const auto [code, output] = StartAndFail({{"JWT_SECRET", ""}});
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("JWT_SECRET"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
}

TEST(AuthStartup, ExitsNamingAnUnreadableUsersFile) {
  const auto [code, output] =
      StartAndFail({{"JWT_SECRET", kSecret}, {"USERS_FILE", "/nonexistent/users.json"}});
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("/nonexistent/users.json"), std::string::npos) << output;
}

TEST(AuthStartup, ExitsOnAMalformedUsersFile) {
  const std::string path = ::testing::TempDir() + "/bad-users.json";
  std::ofstream(path) << R"([{"id": 1, "username": "a"}])";
  const auto [code, output] = StartAndFail({{"JWT_SECRET", kSecret}, {"USERS_FILE", path}});
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("user #1"), std::string::npos) << output;
  std::remove(path.c_str());
}

TEST(AuthStartup, ExitsOnABadPort) {
  const auto [code, output] = StartAndFail({{"JWT_SECRET", kSecret}, {"GRPC_PORT", "99999"}});
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("GRPC_PORT=99999"), std::string::npos) << output;
}

}  // namespace
}  // namespace platform::auth
