// GET /openapi.json: the gateway's own description of its HTTP API, made
// from the routes it serves, so that it cannot drift from them; checked
// against those routes and linted by Redocly's CLI (npm @redocly/cli, a
// linter no one here wrote, installed into tests/clients by ./deploy/test).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/route_table.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "tests/support/command.h"
#include "tests/support/http_client.h"
#include "tests/support/service_process.h"

namespace platform::gateway {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using testing::BinaryPath;
using testing::CommandResult;
using testing::HttpAnswer;
using testing::HttpClient;
using testing::RunCommand;
using testing::ServiceProcess;
using testing::SourcePath;

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Nothing behind it: the document is the gateway's own.
    gateway_ = std::make_unique<ServiceProcess>(
        BinaryPath("gateway"), std::map<std::string, std::string>{{"HTTP_HOST", "127.0.0.1"},
                                                                  {"HTTP_PORT", "0"},
                                                                  {"AUTH_ADDR", "127.0.0.1:1"},
                                                                  {"CORE_ADDR", "127.0.0.1:1"}});
    answer_ = HttpClient(gateway_->WaitForPort()).Send("GET", "/openapi.json");
    ASSERT_EQ(answer_.status, 200u) << answer_.body;
    document_ = answer_.Json();
  }

  // The member `name` of `parent` that is an object, or an empty one.
  static const Struct& Object(const Struct& parent, const std::string& name) {
    const auto found = parent.fields().find(name);
    return found == parent.fields().end() ? Struct::default_instance()
                                          : found->second.struct_value();
  }

  std::unique_ptr<ServiceProcess> gateway_;
  HttpAnswer answer_;
  Struct document_;
};

TEST_F(OpenApiTest, DescribesEveryRouteTheGatewayServes) {
  EXPECT_EQ(answer_.Header("content-type"), "application/json");
  EXPECT_EQ(document_.fields().at("openapi").string_value(), "3.0.3");
  const absl::StatusOr<std::vector<Route>> routes =
      BuildRoutes({"platform.auth.v1.AuthService", "platform.core.v1.TransactionService"},
                  *google::protobuf::DescriptorPool::generated_pool());
  ASSERT_TRUE(routes.ok()) << routes.status();
  const Struct& paths = Object(document_, "paths");
  std::set<std::string> served;
  for (const Route& route : *routes) {
    std::string path;
    for (const PathSegment& segment : route.path) {
      absl::StrAppend(
          &path, "/",
          segment.field ? absl::StrCat("{", segment.field->name(), "}") : segment.literal);
    }
    served.insert(path);
    const Struct& operation = Object(Object(paths, path), absl::AsciiStrToLower(route.http_method));
    EXPECT_TRUE(operation.fields().contains("responses")) << route.name << " is not described";
  }
  EXPECT_EQ(paths.fields().size(), served.size()) << "a path the gateway does not serve";
  EXPECT_TRUE(paths.fields().contains("/transaction/{id}"));
}

TEST_F(OpenApiTest, GivesTheBodiesAndStatusesOfTheSpec) {
  const Struct& paths = Object(document_, "paths");
  const Struct& token = Object(Object(paths, "/auth/token"), "post");
  EXPECT_EQ(token.fields().at("summary").string_value(),
            "Issue a 30-second token for a user's credentials");
  const Struct& responses = Object(token, "responses");
  for (const char* status : {"200", "400", "401", "404", "413", "415", "422", "429", "503"}) {
    EXPECT_TRUE(responses.fields().contains(status)) << "POST /auth/token lacks " << status;
  }
  EXPECT_TRUE(Object(Object(responses, "429"), "headers").fields().contains("Retry-After"));
  const Struct& schemas = Object(Object(document_, "components"), "schemas");
  EXPECT_TRUE(
      Object(Object(schemas, "IssueTokenRequest"), "properties").fields().contains("password"));
  EXPECT_TRUE(Object(Object(schemas, "Error"), "properties").fields().contains("error"));
  // The gateway's own field for unreadable members is not the client's business.
  EXPECT_FALSE(Object(Object(schemas, "CreateTransactionRequest"), "properties")
                   .fields()
                   .contains("unreadable_members"));
  // The id's form comes from its path_pattern option.
  const Struct& read = Object(Object(paths, "/transaction/{id}"), "get");
  const Value& id = read.fields().at("parameters").list_value().values(0);
  EXPECT_EQ(Object(id.struct_value(), "schema").fields().at("pattern").string_value(),
            "^tx_[0-9a-hjkmnp-tv-z]{26}$");
  EXPECT_TRUE(Object(Object(paths, "/transaction"), "post")
                  .fields()
                  .at("responses")
                  .struct_value()
                  .fields()
                  .contains("409"));
}

TEST_F(OpenApiTest, PassesRedoclysLint) {
  ASSERT_EQ(access(PLATFORM_REDOCLY_BINARY, X_OK), 0)
      << PLATFORM_REDOCLY_BINARY
      << " is missing: ./deploy/test installs it (npm ci in tests/clients)";
  const std::string file = absl::StrCat(::testing::TempDir(), "openapi-", getpid(), ".json");
  std::ofstream(file) << answer_.body;
  const CommandResult lint = RunCommand(absl::StrCat(PLATFORM_REDOCLY_BINARY, " lint --config ",
                                                     SourcePath("tests/clients/redocly.yaml"),
                                                     " --format stylish ", file));
  std::remove(file.c_str());
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  // Not even a warning.
  EXPECT_NE(lint.output.find("Woohoo! Your API description is valid."), std::string::npos)
      << lint.output;
  EXPECT_EQ(lint.output.find("warning"), std::string::npos) << lint.output;
}

}  // namespace
}  // namespace platform::gateway
