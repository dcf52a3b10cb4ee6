#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "actors/shared/runtime/grpc_server.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace platform::testing {

// Services of ours served inside the test's own process, by the code the
// programs serve them with (StartGrpcServer: completion queues, health,
// reflection), on 127.0.0.1 and a port the kernel picks; stopped when this
// goes away. For tests of a service's logic that want to set its clock or
// hold its store, without spawning its binary.
class InProcessServer {
 public:
  explicit InProcessServer(const std::vector<ServedService>& services);
  ~InProcessServer();
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  // A new channel to the server.
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  std::optional<RunningServer> running_;
};

}  // namespace platform::testing
