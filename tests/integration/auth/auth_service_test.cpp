// The auth binary, started for real, called over gRPC.
#include <signal.h>

#include <cstdio>
#include <fstream>

#include "actors/shared/jwt/hs256.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "platform/api/v1/health_probe.pb.h"
#include "platform/auth/v1/auth.grpc.pb.h"
#include "actors/shared/runtime/grpc_call.h"
#include "tests/support/service_process.h"

namespace platform::auth {
namespace {

using testing::BinaryPath;
using testing::ServiceProcess;
using testing::SourcePath;

constexpr char kSecret[] = "auth-integration-secret-of-32-bytes-or-more";

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth_ = std::make_unique<ServiceProcess>(
        BinaryPath("auth"),
        std::map<std::string, std::string>{{"JWT_SECRET", kSecret},
                                           {"GRPC_HOST", "127.0.0.1"},
                                           {"GRPC_PORT", "0"},
                                           {"USERS_FILE", UsersFile()}});
    port_ = auth_->WaitForPort();
    ASSERT_NE(port_, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::AuthService::NewStub(channel_);
  }

  virtual std::string UsersFile() { return SourcePath("actors/auth/users.json"); }

  grpc::Status IssueToken(const std::string& username, const std::string& password,
                          std::string* token = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::IssueTokenRequest request;
    request.set_username(username);
    request.set_password(password);
    v1::IssueTokenResponse response;
    grpc::Status status = stub_->IssueToken(&context, request, &response);
    if (token != nullptr) *token = response.token();
    return status;
  }

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
    api::v1::HealthCheckRequest request;
    request.set_service(service);
    std::string bytes;
    const grpc::Status result = runtime::CallByName(
        channel_, "/grpc.health.v1.Health/Check", request.SerializeAsString(), &bytes);
    ASSERT_TRUE(result.ok()) << service << ": " << result.error_message();
    api::v1::HealthCheckResponse response;
    ASSERT_TRUE(response.ParseFromString(bytes));
    EXPECT_EQ(response.status(), api::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(AuthServiceTest, StopsCleanlyOnSigterm) {
  EXPECT_EQ(auth_->Stop(), 0);
  EXPECT_NE(auth_->output().find("\"msg\":\"stopping\""), std::string::npos);
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
