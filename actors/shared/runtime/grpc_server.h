#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace platform {

struct RunningServer {
  std::unique_ptr<grpc::Server> server;
  // The port actually bound: the requested one, or the kernel's pick for 0.
  uint16_t port = 0;
};

// A service to serve and its full name ("platform.auth.v1.AuthService"),
// under which grpc.health.v1 reports it.
struct ServedService {
  grpc::Service* service;
  std::string name;
};

// Starts a gRPC server on host:port serving `services`, with the standard
// grpc.health.v1 service (the server and each service SERVING) and server
// reflection on, so that grpcurl can list, describe and call it. Logs
// "listening" with the bound port.
absl::StatusOr<RunningServer> StartGrpcServer(
    absl::string_view host, uint16_t port,
    const std::vector<ServedService>& services);

// Marks the server NOT_SERVING, lets calls in flight finish for up to
// `grace`, then cancels the rest.
void StopGrpcServer(grpc::Server& server, absl::Duration grace);

// The life of a gRPC service process after its configuration: starts the
// server (exiting with one line if it cannot), waits for SIGTERM or SIGINT
// (running `on_hangup` for each SIGHUP meanwhile), stops gracefully, and
// returns the exit code for main().
int ServeUntilTerminated(absl::string_view program, absl::string_view host, uint16_t port,
                         const std::vector<ServedService>& services, absl::Duration grace,
                         const std::function<void()>& on_hangup = {});

}  // namespace platform
