#include "actors/shared/runtime/grpc_server.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/termination.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace platform {
namespace {
// Requests are small JSON-sized messages; anything bigger is a mistake or an attack.
constexpr int kMaxReceiveMessageBytes = 1 << 20;
}  // namespace

absl::StatusOr<RunningServer> StartGrpcServer(
    absl::string_view host, uint16_t port,
    const std::vector<ServedService>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int bound_port = 0;
  const std::string address = absl::StrCat(host, ":", port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &bound_port);
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  // Channelz bookkeeping costs time on every call and nothing here reads it.
  builder.AddChannelArgument(GRPC_ARG_ENABLE_CHANNELZ, 0);
  for (const ServedService& served : services) {
    builder.RegisterService(served.service);
  }

  RunningServer running;
  running.server = builder.BuildAndStart();
  if (running.server == nullptr || bound_port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on ", address));
  }
  running.port = static_cast<uint16_t>(bound_port);
  // The default health service knows only the server ("") until told.
  for (const ServedService& served : services) {
    running.server->GetHealthCheckService()->SetServingStatus(served.name, true);
  }
  log::Info("listening", {{"protocol", "grpc"},
                          {"host", host},
                          {"port", running.port}});
  return running;
}

void StopGrpcServer(grpc::Server& server, absl::Duration grace) {
  if (auto* health = server.GetHealthCheckService()) {
    health->Shutdown();  // Probes see NOT_SERVING while calls drain.
  }
  server.Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

int ServeUntilTerminated(absl::string_view program, absl::string_view host, uint16_t port,
                         const std::vector<ServedService>& services, absl::Duration grace,
                         const std::function<void()>& on_hangup) {
  absl::StatusOr<RunningServer> running = StartGrpcServer(host, port, services);
  if (!running.ok()) config::ExitWithError(program, running.status());
  const int signal_number = WaitForTermination(on_hangup);
  log::Info("stopping", {{"signal", signal_number}});
  StopGrpcServer(*running->server, grace);
  return EXIT_SUCCESS;
}

}  // namespace platform
