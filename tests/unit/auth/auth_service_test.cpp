// Auth's service logic in this process: the real AuthService, its issuer's
// clock fixed by the test, served by the programs' own gRPC bootstrap and
// called over gRPC. No Redis (no login limits) and no binary; the auth
// program itself is driven in tests/integration/auth/auth_service_test.cpp.
#include "actors/auth/auth_service.h"

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/in_process_server.h"

namespace platform::auth {
namespace {

constexpr char kSecret[] = "auth-in-process-secret-of-32-bytes-or-more";
const absl::Time kIssuedAt = absl::FromUnixSeconds(1'800'000'000);

UserStore Users(absl::string_view json) {
  absl::StatusOr<UserStore> users = UserStore::Parse(json);
  EXPECT_TRUE(users.ok()) << users.status();
  return *std::move(users);
}

class AuthServiceInProcessTest : public ::testing::Test {
 protected:
  AuthServiceInProcessTest()
      : service_(Users(R"([{"id": 1, "username": "alice", "password": "password", "enabled": true},
                           {"id": 3, "username": "charlie", "password": "secret", "enabled": false}])"),
                 TokenIssuer(jwt::Hs256(kSecret), absl::Seconds(30), [] { return kIssuedAt; }),
                 /*limiter=*/nullptr, std::make_unique<PasswordChecker>(1, 4)),
        server_({service_.Served()}),
        stub_(v1::AuthService::NewStub(server_.Channel())) {}

  grpc::Status Issue(const std::string& username, const std::string& password,
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

  AuthService service_;
  testing::InProcessServer server_;
  std::unique_ptr<v1::AuthService::Stub> stub_;
};

TEST_F(AuthServiceInProcessTest, TheTokenIsExactlyWhatTheReferenceSignsForTheIssuersClock) {
  std::string token;
  ASSERT_TRUE(Issue("alice", "password", &token).ok());
  // Byte for byte: the claims in python-jose's order, exp 30 s after the
  // issuer's now, whatever the wall clock says.
  EXPECT_EQ(token,
            jwt::Hs256(kSecret).Sign({1, "alice", true, absl::ToUnixSeconds(kIssuedAt) + 30}));
}

TEST_F(AuthServiceInProcessTest, ADisabledUserGetsATokenThatSaysSo) {
  std::string token;
  ASSERT_TRUE(Issue("charlie", "secret", &token).ok());
  const absl::StatusOr<jwt::Claims> claims = jwt::Hs256(kSecret).Verify(token, kIssuedAt);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, 3);
  EXPECT_FALSE(claims->enabled);
}

TEST_F(AuthServiceInProcessTest, RefusalsComeInTheReferencesOrderWithItsMessages) {
  EXPECT_EQ(Issue("", "").error_message(), "Username is blank");
  EXPECT_EQ(Issue("alice", "").error_message(), "Password is blank");
  EXPECT_EQ(Issue("nobody", "password").error_code(), grpc::StatusCode::NOT_FOUND);
  const grpc::Status wrong = Issue("alice", "wrong");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong.error_message(), "Invalid password");
}

TEST_F(AuthServiceInProcessTest, ReplacedUsersTakeEffectForTheNextCall) {
  service_.ReplaceUsers(
      Users(R"([{"id": 9, "username": "dora", "password": "pw", "enabled": true}])"));
  EXPECT_EQ(Issue("alice", "password").error_code(), grpc::StatusCode::NOT_FOUND);
  std::string token;
  ASSERT_TRUE(Issue("dora", "pw", &token).ok());
  EXPECT_EQ(jwt::Hs256(kSecret).Verify(token, kIssuedAt)->user_id, 9);
}

}  // namespace
}  // namespace platform::auth
