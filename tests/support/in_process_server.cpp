#include "tests/support/in_process_server.h"

#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "gtest/gtest.h"

namespace platform::testing {

InProcessServer::InProcessServer(const std::vector<ServedService>& services) {
  absl::StatusOr<RunningServer> started = StartGrpcServer("127.0.0.1", 0, services);
  if (!started.ok()) {
    ADD_FAILURE() << "could not serve in process: " << started.status();
    return;
  }
  running_.emplace(*std::move(started));
}

InProcessServer::~InProcessServer() {
  if (running_.has_value()) StopGrpcServer(*running_, absl::Seconds(1));
}

std::shared_ptr<grpc::Channel> InProcessServer::Channel() const {
  return grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(running_.has_value() ? running_->port : 0),
      grpc::InsecureChannelCredentials());
}

}  // namespace platform::testing
