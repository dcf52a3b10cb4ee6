#include "actors/shared/runtime/grpc_server.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/termination.h"
#include "actors/shared/runtime/unary_call.h"
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

GrpcServerOptions LoadGrpcServerOptions(config::Environment& env) {
  GrpcServerOptions options;
  options.threads = static_cast<int>(env.Integer(
      "GRPC_THREADS", 1, 1, 256, "threads serving gRPC calls, a completion queue each"));
  options.max_connection_age =
      env.Milliseconds("GRPC_MAX_CONNECTION_AGE_MS", 10000, 1000, 24 * 3600 * 1000,
                       "a client's connection is closed (GOAWAY) after this long, so that clients "
                       "re-resolve and spread calls over new replicas");
  options.max_connection_age_grace =
      env.Milliseconds("GRPC_MAX_CONNECTION_AGE_GRACE_MS", 5000, 0, 600000,
                       "how long calls in flight on such a connection may finish");
  options.drain_delay = env.Milliseconds(
      "GRPC_DRAIN_DELAY_MS", 0, 0, 60000,
      "after SIGTERM, how long calls are still taken while health says NOT_SERVING, so that "
      "clients move to other replicas first");
  return options;
}

RunningServer::RunningServer() = default;
RunningServer::RunningServer(RunningServer&&) noexcept = default;
RunningServer::~RunningServer() = default;

absl::StatusOr<RunningServer> StartGrpcServer(absl::string_view host, uint16_t port,
                                              const std::vector<ServedService>& services,
                                              const GrpcServerOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int bound_port = 0;
  const std::string address = absl::StrCat(host, ":", port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound_port);
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  // Channelz bookkeeping costs time on every call and nothing here reads it.
  builder.AddChannelArgument(GRPC_ARG_ENABLE_CHANNELZ, 0);
  // gRPC adds +/-10 % of jitter to the age, so that clients of replicas
  // started together do not all reconnect at once.
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.max_connection_age)));
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.max_connection_age_grace)));
  bool async = false;
  for (const ServedService& served : services) {
    builder.RegisterService(served.service);
    async = async || served.await_calls != nullptr;
  }

  RunningServer running;
  for (int i = 0; async && i < options.threads; ++i) {
    running.queues.push_back(builder.AddCompletionQueue());
  }
  running.server = builder.BuildAndStart();
  if (running.server == nullptr || bound_port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", address));
  }
  running.port = static_cast<uint16_t>(bound_port);
  for (const std::unique_ptr<grpc::ServerCompletionQueue>& queue : running.queues) {
    for (const ServedService& served : services) {
      if (served.await_calls) served.await_calls(queue.get());
    }
    running.threads.emplace_back([queue = queue.get()] {
      void* tag = nullptr;
      bool ok = false;
      while (queue->Next(&tag, &ok)) static_cast<CompletionTag*>(tag)->Proceed(ok);
    });
  }
  // The default health service knows only the server ("") until told.
  for (const ServedService& served : services) {
    running.server->GetHealthCheckService()->SetServingStatus(served.name, true);
  }
  log::Info("listening", {{"protocol", "grpc"}, {"host", host}, {"port", running.port}});
  return running;
}

void StopGrpcServer(RunningServer& running, absl::Duration grace, absl::Duration drain_delay) {
  if (auto* health = running.server->GetHealthCheckService()) {
    health->Shutdown();  // Probes see NOT_SERVING while calls drain.
  }
  if (drain_delay > absl::ZeroDuration()) absl::SleepFor(drain_delay);
  // The queues' threads keep answering while the calls in flight finish.
  running.server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  for (auto& queue : running.queues) queue->Shutdown();
  for (std::thread& thread : running.threads) thread.join();
}

int ServeUntilTerminated(absl::string_view program, absl::string_view host, uint16_t port,
                         const std::vector<ServedService>& services, absl::Duration grace,
                         const std::function<void()>& on_hangup, const GrpcServerOptions& options) {
  absl::StatusOr<RunningServer> running = StartGrpcServer(host, port, services, options);
  if (!running.ok()) config::ExitWithError(program, running.status());
  const int signal_number = WaitForTermination(on_hangup);
  log::Info("stopping", {{"signal", signal_number}});
  StopGrpcServer(*running, grace, options.drain_delay);
  return EXIT_SUCCESS;
}

}  // namespace platform
