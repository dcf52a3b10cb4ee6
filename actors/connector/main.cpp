// connector: a CAF actor system that drains the transactions stream and
// charges the PSP: nothing lost, nothing charged twice.
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "actors/connector/actors.h"
#include "actors/connector/config.h"
#include "actors/connector/mailbox_order.h"
#include "actors/connector/messages.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/metrics/registry.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/termination.h"
#include "caf/all.hpp"
#include "grpc/grpc.h"
#include "grpcpp/channel.h"

int main(int argc, char** argv) {
  using namespace platform;
  using namespace platform::connector;
  BlockTerminationSignals();
  log::SetService("connector");
  auto context = std::make_shared<ConnectorContext>(config::LoadOrExit<ConnectorConfig>(
      "connector",
      "The connector: consumes the transactions stream in a consumer group and charges the "
      "PSP from a pool of actors.",
      argc, argv, LoadConnectorConfig));
  const ConnectorConfig& config = context->config;

  metrics::AddCollector([weak = std::weak_ptr<ConnectorContext>(context)] {
    const std::shared_ptr<ConnectorContext> alive = weak.lock();
    return alive ? alive->metrics.Collect() : std::vector<prometheus::MetricFamily>{};
  });
  // The metrics port, with the health check, is up first so that a probe sees the start.
  const std::unique_ptr<metrics::MetricsServer> metrics_server =
      metrics::StartOrExit("connector", config.metrics, [context] {
        std::map<std::string, absl::Status> checks;
        if (!context->metrics.redis_ok.load()) checks["redis"] = absl::UnavailableError("");
        return checks;
      });
  log::Info("consuming",
            {{"stream", config.stream}, {"group", config.group}, {"consumer", config.consumer}});

  // The process holds gRPC up itself, so that the last channel going away
  // with a worker on some actor thread does not shut gRPC down under its own
  // callback threads; it is shut down below, once every actor is gone.
  grpc_init();
  std::vector<std::shared_ptr<grpc::Channel>> psp_channels;
  // One per worker, one for the reclaimer, one for the watcher.
  for (int i = 0; i < config.workers + 2; ++i) psp_channels.push_back(NewPspChannel(config, i));
  {
    caf::actor_system_config caf_config;
    caf_config.add_message_type<StreamEntry>("stream_entry");
    caf_config.add_message_type<Settlement>("settlement");
    caf_config.add_message_type<ChargeAnswer>("charge_answer");
    // Work stealing keeps idle scheduler threads polling for work to steal
    // (and CAF starts at least four): with charge workers that each run for
    // microseconds, that polling was most of the connector's CPU. One shared
    // queue that idle threads sleep on, one thread per core, halved its CPU
    // per transaction (tests/bench/cost: 226 -> 98 µs) and drains as fast.
    caf_config.set("scheduler.policy", caf::atom("sharing"));
    caf_config.set("scheduler.max-threads", static_cast<size_t>(config.actor_threads));
    caf::actor_system system{caf_config};
    {
      caf::scoped_actor self{system};
      const auto ack = caf::actor_cast<acker_actor>(system.spawn<caf::detached>(acker, context));
      caf::scoped_execution_unit pool_unit{&system};
      const caf::actor pool = caf::actor_pool::make(
          &pool_unit, static_cast<size_t>(config.workers),
          [&, next = size_t{0}]() mutable {
            auto psp = std::shared_ptr<PspClient>(
                NewGrpcPspClient(psp_channels[next++], config, context->calls));
            return caf::actor_cast<caf::actor>(
                system.spawn(charge_worker, context, ack, std::move(psp)));
          },
          caf::actor_pool::round_robin());
      const auto reader = caf::actor_cast<stream_reader_actor>(
          system.spawn<caf::detached>(stream_reader, context, pool));
      Tell(self.ptr(), ack, reader_atom::value, reader);
      const auto reclaim = caf::actor_cast<stoppable_actor>(system.spawn<caf::detached>(
          reclaimer, context, reader, psp_channels[static_cast<size_t>(config.workers)]));
      const auto watch = caf::actor_cast<stoppable_actor>(
          system.spawn<caf::detached>(psp_watch, context, psp_channels.back()));

      const int signal_number = WaitForTermination();
      log::Info("stopping",
                {{"signal", signal_number}, {"in_flight", context->metrics.in_flight.load()}});
      // Stop reading; let what is in flight settle, up to the grace period.
      // What does not settle stays pending in Redis for another connector.
      Tell(self.ptr(), reclaim, stop_atom::value);
      Tell(self.ptr(), watch, stop_atom::value);
      Tell(self.ptr(), reader, drain_atom::value);
      const absl::Time give_up = absl::Now() + config.shutdown_grace;
      while (context->metrics.in_flight.load() > 0 && absl::Now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      // Then stop the workers first, so that no new call starts; cancel the
      // calls still at the PSP (their entries stay pending, for another
      // connector) and let their callbacks run before anything is torn down.
      TsanRelease(&kPoolMailbox);
      self->send_exit(pool, caf::exit_reason::user_shutdown);
      context->calls.CancelAll(absl::Seconds(2));
      Tell(self.ptr(), reader, stop_atom::value);
      Tell(self.ptr(), ack, stop_atom::value);
    }
    // The actor system's destructor waits for every actor to end.
  }
  ActorsEnded();
  psp_channels.clear();
  grpc_shutdown_blocking();
  return EXIT_SUCCESS;
}
