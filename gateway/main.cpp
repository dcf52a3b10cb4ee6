// gateway: the public HTTP/JSON face of the platform. Routes by path prefix
// and turns each request into a gRPC call on the service behind it.
#include <algorithm>
#include <cstdlib>
#include <thread>
#include <vector>

#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/metrics/registry.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/open_files.h"
#include "actors/shared/runtime/termination.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "gateway/config.h"
#include "gateway/listener.h"
#include "gateway/metrics.h"
#include "gateway/openapi.h"
#include "gateway/request_handler.h"
#include "gateway/route_table.h"
#include "gateway/router.h"
#include "gateway/upstreams.h"
#include "google/protobuf/descriptor.h"

namespace {
// Descriptors kept for what is not a client connection.
constexpr long kReservedDescriptors = 64;
}  // namespace

int main(int argc, char** argv) {
  using namespace platform;
  using namespace platform::gateway;
  BlockTerminationSignals();
  log::SetService("gateway");
  const GatewayConfig config = config::LoadOrExit<GatewayConfig>(
      "gateway",
      "The HTTP/JSON gateway: /auth/* goes to auth, /transaction/* to core, "
      "as gRPC calls.",
      argc, argv, LoadGatewayConfig);

  absl::StatusOr<std::vector<Route>> routes =
      BuildRoutes(config.published_services, *google::protobuf::DescriptorPool::generated_pool());
  if (!routes.ok()) config::ExitWithError("gateway", routes.status());
  for (const Route& route : *routes) {
    if (!route.upstream.empty() && config.upstreams.count(route.upstream) == 0) {
      config::ExitWithError(
          "gateway", absl::FailedPreconditionError("route " + route.name +
                                                   " needs unknown upstream " + route.upstream));
    }
  }
  std::vector<std::string> route_names;
  for (const Route& route : *routes) route_names.push_back(route.name);
  HandlerSettings handler_settings = config.handler;
  handler_settings.openapi_document = OpenApiDocument(*routes);
  const Router router(*std::move(routes));
  const Upstreams upstreams(config.upstreams);
  Metrics metrics(route_names);
  metrics::AddCollector([&metrics] { return metrics.Collect(); });
  const auto metrics_server = metrics::StartOrExit("gateway", config.metrics);
  const RequestHandler handler(router, upstreams, metrics, handler_settings);

  // A connection is a descriptor: the ceiling must leave room for gRPC's
  // channels, epoll and the logs, or accepting fails (EMFILE) instead.
  const long descriptors = RaiseOpenFileLimit();
  const int max_connections = static_cast<int>(
      std::clamp<long>(descriptors - kReservedDescriptors, 1, config.max_connections));
  if (max_connections < config.max_connections) {
    log::Warn("HTTP_MAX_CONNECTIONS lowered to what the open-file limit allows",
              {{"configured", config.max_connections},
               {"open_file_limit", static_cast<int64_t>(descriptors)},
               {"max_connections", max_connections}});
  }
  boost::asio::io_context io(config.threads);
  absl::StatusOr<std::shared_ptr<Listener>> listener = Listener::Bind(
      io, config.http_host, config.http_port, handler, config.limits, max_connections);
  if (!listener.ok()) config::ExitWithError("gateway", listener.status());
  (*listener)->Start();
  log::Info("listening",
            {{"protocol", "http"}, {"host", config.http_host}, {"port", (*listener)->port()}});

  // A request waiting for its upstream holds no asio operation, and neither
  // does a stopped listener: without this, the threads would return from
  // run() as soon as every connection waits for gRPC, and the answers
  // posted afterwards would never be written.
  auto keep_running = boost::asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (int i = 0; i < config.threads; ++i) threads.emplace_back([&io] { io.run(); });

  const int signal_number = WaitForTermination();
  log::Info("stopping", {{"signal", signal_number}});
  // Take no more connections and no more requests: each connection closes
  // after the answer it owes, idle ones at once. Stop when all are closed,
  // or at the end of the grace period.
  (*listener)->Stop();
  (*listener)->Drain();
  const absl::Time give_up = absl::Now() + config.shutdown_grace;
  while ((*listener)->open_connections() > 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  log::Info("stopped", {{"open_connections", (*listener)->open_connections()},
                        {"in_flight", handler.in_flight()}});
  io.stop();
  for (std::thread& thread : threads) thread.join();
  return EXIT_SUCCESS;
}
