// What grpcurl does against a platform server, done the way grpcurl does it:
// `list` and `describe` through the server reflection protocol, then a call
// whose request is built from JSON with nothing but the reflected
// descriptors (no generated code for the service in this test).
#include <set>

#include "actors/shared/runtime/grpc_call.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/descriptor_database.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "reflection_v1alpha.grpc.pb.h"
#include "tests/support/service_process.h"

namespace platform {
namespace {

namespace reflection = grpc::reflection::v1alpha;
using google::protobuf::FileDescriptorProto;
using testing::BinaryPath;
using testing::ServiceProcess;

// A reflection client as grpcurl has one: one stream, one question at a time.
class ReflectionClient {
 public:
  explicit ReflectionClient(const std::shared_ptr<grpc::Channel>& channel)
      : stub_(reflection::ServerReflection::NewStub(channel)),
        stream_(stub_->ServerReflectionInfo(&context_)) {}

  ~ReflectionClient() {
    stream_->WritesDone();
    (void)stream_->Finish();
  }

  reflection::ServerReflectionResponse Ask(const reflection::ServerReflectionRequest& request) {
    reflection::ServerReflectionResponse response;
    EXPECT_TRUE(stream_->Write(request));
    EXPECT_TRUE(stream_->Read(&response));
    return response;
  }

  std::set<std::string> ListServices() {
    reflection::ServerReflectionRequest request;
    request.set_list_services("");
    std::set<std::string> names;
    const reflection::ServerReflectionResponse response = Ask(request);
    for (const auto& service : response.list_services_response().service()) {
      names.insert(service.name());
    }
    return names;
  }

  // The file declaring `symbol` and, transitively, the files it imports.
  bool LoadSymbol(const std::string& symbol) {
    reflection::ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    return AddFiles(Ask(request));
  }

  google::protobuf::DescriptorPool& pool() { return pool_; }

 private:
  bool AddFiles(const reflection::ServerReflectionResponse& response) {
    if (!response.has_file_descriptor_response()) return false;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      FileDescriptorProto file;
      if (!file.ParseFromString(bytes)) return false;
      if (!known_.insert(file.name()).second) continue;
      for (const std::string& dependency : file.dependency()) {
        if (known_.count(dependency) != 0) continue;
        reflection::ServerReflectionRequest request;
        request.set_file_by_filename(dependency);
        if (!AddFiles(Ask(request))) return false;
      }
      database_.Add(file);
    }
    return true;
  }

  grpc::ClientContext context_;
  std::unique_ptr<reflection::ServerReflection::Stub> stub_;
  std::unique_ptr<grpc::ClientReaderWriter<reflection::ServerReflectionRequest,
                                           reflection::ServerReflectionResponse>>
      stream_;
  std::set<std::string> known_;
  google::protobuf::SimpleDescriptorDatabase database_;
  google::protobuf::DescriptorPool pool_{&database_};
};

class GrpcurlStyleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth_ = std::make_unique<ServiceProcess>(
        BinaryPath("auth"), std::map<std::string, std::string>{
                                {"JWT_SECRET", "reflection-test-secret-of-32-bytes-or-more"},
                                {"GRPC_HOST", "127.0.0.1"},
                                {"GRPC_PORT", "0"},
                                {"USERS_FILE", testing::SourcePath("actors/auth/users.json")}});
    const uint16_t port = auth_->WaitForPort();
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }

  std::unique_ptr<ServiceProcess> auth_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcurlStyleTest, ListShowsTheServiceHealthAndReflection) {
  // grpcurl -plaintext localhost:50051 list
  ReflectionClient client(channel_);
  const std::set<std::string> services = client.ListServices();
  EXPECT_EQ(services.count("platform.auth.v1.AuthService"), 1u);
  EXPECT_EQ(services.count("grpc.health.v1.Health"), 1u);
  EXPECT_EQ(services.count("grpc.reflection.v1alpha.ServerReflection"), 1u);
}

TEST_F(GrpcurlStyleTest, DescribeShowsTheMethodAndItsMessages) {
  // grpcurl -plaintext localhost:50051 describe platform.auth.v1.AuthService
  ReflectionClient client(channel_);
  ASSERT_TRUE(client.LoadSymbol("platform.auth.v1.AuthService"));
  const auto* service = client.pool().FindServiceByName("platform.auth.v1.AuthService");
  ASSERT_NE(service, nullptr);
  const auto* method = service->FindMethodByName("IssueToken");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->input_type()->full_name(), "platform.auth.v1.IssueTokenRequest");
  EXPECT_NE(method->input_type()->FindFieldByName("username"), nullptr);
  EXPECT_NE(method->input_type()->FindFieldByName("password"), nullptr);
  EXPECT_NE(method->output_type()->FindFieldByName("token"), nullptr);
  // The HTTP route option travels with the descriptor, as grpcurl shows it.
  EXPECT_NE(method->DebugString().find("/token"), std::string::npos) << method->DebugString();
}

TEST_F(GrpcurlStyleTest, CallBuildsTheRequestFromJsonWithReflectedTypes) {
  // grpcurl -plaintext -d '{"username":"alice","password":"password"}'
  //   localhost:50051 platform.auth.v1.AuthService/IssueToken
  ReflectionClient client(channel_);
  ASSERT_TRUE(client.LoadSymbol("platform.auth.v1.AuthService"));
  const auto* method = client.pool()
                           .FindServiceByName("platform.auth.v1.AuthService")
                           ->FindMethodByName("IssueToken");
  google::protobuf::DynamicMessageFactory factory(&client.pool());
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(method->input_type())->New());
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  R"({"username":"alice","password":"password"})", request.get())
                  .ok());
  std::string bytes;
  const grpc::Status status = runtime::CallByName(
      channel_, "/platform.auth.v1.AuthService/IssueToken", request->SerializeAsString(), &bytes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::unique_ptr<google::protobuf::Message> response(
      factory.GetPrototype(method->output_type())->New());
  ASSERT_TRUE(response->ParseFromString(bytes));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*response, &json).ok());
  EXPECT_EQ(json.rfind(R"({"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.)", 0), 0u) << json;

  request->Clear();
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(R"({"username":"nobody","password":"x"})",
                                                          request.get())
                  .ok());
  const grpc::Status missing = runtime::CallByName(
      channel_, "/platform.auth.v1.AuthService/IssueToken", request->SerializeAsString(), &bytes);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(), "User not found");
}

}  // namespace
}  // namespace platform
