// The gRPC services as grpcurl's users meet them, driven by `buf curl`: a
// reflection client no one here wrote (npm @bufbuild/buf, installed into
// tests/clients by ./deploy/test). It knows nothing of our protos: it lists,
// describes and calls from what each server's reflection serves, the
// standard grpc.health.v1 service included.
#include <unistd.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/command.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace platform {
namespace {

using testing::BinaryPath;
using testing::CommandResult;
using testing::RedisServer;
using testing::RunCommand;
using testing::ServiceProcess;
using testing::SourcePath;

constexpr char kSecret[] = "buf-curl-secret-of-at-least-32-bytes";

// `buf curl` over plaintext HTTP/2 (gRPC) with `args`.
CommandResult BufCurl(const std::string& args) {
  return RunCommand(absl::StrCat(
      PLATFORM_BUF_BINARY, " curl --protocol grpc --http2-prior-knowledge --timeout 10s ", args));
}

struct Program {
  const char* binary;
  const char* service;  // its own service's full name
  const char* method;   // one of its methods
};

void PrintTo(const Program& program, std::ostream* out) { *out << program.binary; }

class BufCurlTest : public ::testing::TestWithParam<Program> {
 protected:
  void SetUp() override {
    ASSERT_EQ(access(PLATFORM_BUF_BINARY, X_OK), 0)
        << PLATFORM_BUF_BINARY
        << " is missing: ./deploy/test installs it (npm ci in tests/clients)";
    process_ = std::make_unique<ServiceProcess>(
        BinaryPath(GetParam().binary),
        std::map<std::string, std::string>{{"GRPC_HOST", "127.0.0.1"},
                                           {"GRPC_PORT", "0"},
                                           {"JWT_SECRET", kSecret},
                                           {"REDIS_URL", redis_.Url()},
                                           {"USERS_FILE", SourcePath("actors/auth/users.json")}});
    url_ = absl::StrCat("http://127.0.0.1:", process_->WaitForPort());
  }

  RedisServer redis_;
  std::unique_ptr<ServiceProcess> process_;
  std::string url_;
};

TEST_P(BufCurlTest, ListsEveryMethodHealthIncluded) {
  const CommandResult ran = BufCurl("--list-methods " + url_);
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  for (const std::string& method :
       {absl::StrCat(GetParam().service, "/", GetParam().method),
        std::string("grpc.health.v1.Health/Check"), std::string("grpc.health.v1.Health/Watch")}) {
    EXPECT_NE(ran.output.find(method + "\n"), std::string::npos) << method << "\n" << ran.output;
  }
}

// What grpcurl's describe asks reflection: the file declaring a symbol,
// for the health service as for the program's own.
TEST_P(BufCurlTest, DescribesHealthAndItsOwnServiceByReflection) {
  for (const std::string& symbol :
       {std::string("grpc.health.v1.Health"), std::string(GetParam().service)}) {
    const CommandResult ran =
        BufCurl(absl::StrCat("-d '{\"file_containing_symbol\": \"", symbol, "\"}' ", url_,
                             "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"));
    ASSERT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_NE(ran.output.find("\"fileDescriptorProto\""), std::string::npos) << ran.output;
    EXPECT_EQ(ran.output.find("errorResponse"), std::string::npos) << symbol << "\n" << ran.output;
  }
}

TEST_P(BufCurlTest, HealthCheckByReflectionSaysServing) {
  for (const std::string& service : {std::string(), std::string(GetParam().service)}) {
    const CommandResult ran = BufCurl(absl::StrCat("-d '{\"service\": \"", service, "\"}' ", url_,
                                                   "/grpc.health.v1.Health/Check"));
    ASSERT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_NE(ran.output.find("\"status\": \"SERVING\""), std::string::npos) << service << "\n"
                                                                             << ran.output;
  }
  const CommandResult unknown = BufCurl(absl::StrCat("-d '{\"service\": \"no.such.Service\"}' ",
                                                     url_, "/grpc.health.v1.Health/Check"));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("not_found"), std::string::npos) << unknown.output;
}

INSTANTIATE_TEST_SUITE_P(
    EveryGrpcProgram, BufCurlTest,
    ::testing::Values(Program{"auth", "platform.auth.v1.AuthService", "IssueToken"},
                      Program{"core", "platform.core.v1.TransactionService", "CreateTransaction"},
                      Program{"psp_mock", "platform.psp.v1.PspService", "Charge"}),
    [](const ::testing::TestParamInfo<Program>& param) { return std::string(param.param.binary); });

}  // namespace
}  // namespace platform
