#include "tests/support/platform_stack.h"

#include "gtest/gtest.h"

namespace platform::testing {
namespace {
// Nothing listens on port 1.
constexpr char kNowhere[] = "127.0.0.1:1";

std::string Address(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }
}  // namespace

void PlatformStack::StartAuth(uint16_t port) {
  std::map<std::string, std::string> env = {{"JWT_SECRET", options_.jwt_secret},
                                            {"GRPC_HOST", "127.0.0.1"},
                                            {"GRPC_PORT", std::to_string(port)},
                                            {"REDIS_URL", redis_->Url()},
                                            {"USERS_FILE", SourcePath("actors/auth/users.json")}};
  for (const auto& [name, value] : options_.auth_env) env[name] = value;
  auth_ = std::make_unique<ServiceProcess>(BinaryPath("auth"), env);
  auth_port_ = auth_->WaitForPort();
}

void PlatformStack::RestartAuth() {
  auth_.reset();
  StartAuth(auth_port_);
}

void PlatformStack::StartCore(uint16_t port) {
  std::map<std::string, std::string> env = {{"JWT_SECRET", options_.jwt_secret},
                                            {"GRPC_HOST", "127.0.0.1"},
                                            {"GRPC_PORT", std::to_string(port)},
                                            {"REDIS_URL", redis_->Url()},
                                            {"REDIS_TIMEOUT_MS", "500"}};
  for (const auto& [name, value] : options_.core_env) env[name] = value;
  core_ = std::make_unique<ServiceProcess>(BinaryPath("core"), env);
  core_port_ = core_->WaitForPort();
}

void PlatformStack::RestartCore() {
  core_.reset();
  StartCore(core_port_);
}

PlatformStack::PlatformStack(Options options) : options_(std::move(options)) {
  redis_ = std::make_unique<RedisServer>(RedisServer::Options{"", /*append_only=*/true});
  StartAuth(0);
  const uint16_t auth_port = auth_port_;
  std::string core_address = kNowhere;
  if (options_.with_core) {
    StartCore(0);
    core_address = Address(core_port_);
  }
  std::map<std::string, std::string> env = {{"HTTP_HOST", "127.0.0.1"},
                                            {"HTTP_PORT", "0"},
                                            {"AUTH_ADDR", Address(auth_port)},
                                            {"CORE_ADDR", core_address}};
  for (const auto& [name, value] : options_.gateway_env) env[name] = value;
  gateway_ = std::make_unique<ServiceProcess>(BinaryPath("gateway"), env);
  http_ = std::make_unique<HttpClient>(gateway_->WaitForPort());
}

std::string PlatformStack::TokenFor(const std::string& username) {
  const HttpAnswer answer = http_->PostJson(
      "/auth/token", R"({"username": ")" + username + R"(", "password": "password"})");
  EXPECT_EQ(answer.status, 200u) << answer.body;
  const auto json = answer.Json();
  const auto it = json.fields().find("token");
  return it == json.fields().end() ? "" : it->second.string_value();
}

}  // namespace platform::testing
