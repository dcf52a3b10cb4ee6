#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Server;
class ServerCompletionQueue;
class Service;
}  // namespace grpc

namespace platform {
namespace config {
class Environment;
}  // namespace config

// How a program's gRPC server runs, from its environment.
struct GrpcServerOptions {
  // GRPC_THREADS: the threads that serve gRPC calls, a completion queue
  // each. One by default: in the gRPC ladder (tests/bench/grpc_ladder) one
  // queue served by one thread cost the server least per call, both under
  // load and one call at a time.
  int threads = 1;
  // GRPC_MAX_CONNECTION_AGE_MS: a client connection is asked to go away
  // (GOAWAY) after this long, so that clients resolve the service's name
  // again and spread their calls over replicas started since. Calls in
  // flight then have GRPC_MAX_CONNECTION_AGE_GRACE_MS to finish.
  absl::Duration max_connection_age = absl::Seconds(10);
  absl::Duration max_connection_age_grace = absl::Seconds(5);
  // GRPC_DRAIN_DELAY_MS: after SIGTERM, how long the server goes on
  // serving while its health says NOT_SERVING, so that the clients
  // watching it (grpc_channel.h) send their calls to other replicas before
  // it stops taking new ones. 0 by default: a lone server has no other
  // replica to send them to; the swarm and Kubernetes set 1000.
  absl::Duration drain_delay = absl::ZeroDuration();
};
GrpcServerOptions LoadGrpcServerOptions(config::Environment& env);

struct RunningServer {
  RunningServer();
  RunningServer(RunningServer&&) noexcept;
  ~RunningServer();

  std::unique_ptr<grpc::Server> server;
  // The port actually bound: the requested one, or the kernel's pick for 0.
  uint16_t port = 0;
  // Services served with gRPC's async API: their completion queues, each
  // with the one thread that serves it.
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
  std::vector<std::thread> threads;
};

// A service to serve and its full name ("platform.auth.v1.AuthService"),
// under which grpc.health.v1 reports it. A service of gRPC's async API
// also says how to ask a completion queue for its first calls
// (UnaryCall::AwaitNext for each of its methods).
struct ServedService {
  grpc::Service* service;
  std::string name;
  std::function<void(grpc::ServerCompletionQueue*)> await_calls = {};
};

// Starts a gRPC server on host:port serving `services`, with the standard
// grpc.health.v1 service (the server and each service SERVING) and server
// reflection on, so that grpcurl can list, describe and call it; services
// of the async API are served by `options.threads` completion queues, a
// thread each. Logs "listening" with the bound port.
absl::StatusOr<RunningServer> StartGrpcServer(absl::string_view host, uint16_t port,
                                              const std::vector<ServedService>& services,
                                              const GrpcServerOptions& options = {});

// Marks the server NOT_SERVING, serves on for `drain_delay` (clients that
// watch its health move away meanwhile), then takes no new calls, lets
// calls in flight finish for up to `grace`, cancels the rest, and ends the
// queues' threads.
void StopGrpcServer(RunningServer& running, absl::Duration grace,
                    absl::Duration drain_delay = absl::ZeroDuration());

// The life of a gRPC service process after its configuration: starts the
// server (exiting with one line if it cannot), waits for SIGTERM or SIGINT
// (running `on_hangup` for each SIGHUP meanwhile), stops gracefully, and
// returns the exit code for main().
int ServeUntilTerminated(absl::string_view program, absl::string_view host, uint16_t port,
                         const std::vector<ServedService>& services, absl::Duration grace,
                         const std::function<void()>& on_hangup = {},
                         const GrpcServerOptions& options = {});

}  // namespace platform
