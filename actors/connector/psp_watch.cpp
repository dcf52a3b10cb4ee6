#include <algorithm>

#include "absl/time/clock.h"
#include "actors/connector/actors.h"
#include "actors/connector/mailbox_order.h"
#include "actors/connector/messages.h"
#include "actors/shared/runtime/grpc_call.h"
#include "actors/shared/runtime/logger.h"
#include "caf/all.hpp"
#include "grpc/health/v1/health.pb.h"

namespace platform::connector {
namespace {

// How long the watcher sleeps while the breaker is closed: a breaker that
// opens is looked at within this, on top of its own wait.
constexpr absl::Duration kIdleLook = absl::Milliseconds(200);

// The PSP's own word on its health: SERVING within the deadline, or not.
bool PspServing(const std::shared_ptr<grpc::Channel>& channel, absl::Duration deadline) {
  grpc::health::v1::HealthCheckRequest request;
  std::string answer;
  const grpc::Status status =
      runtime::CallByName(channel, "/grpc.health.v1.Health/Check", request.SerializeAsString(),
                          &answer, absl::ToChronoMilliseconds(deadline));
  grpc::health::v1::HealthCheckResponse response;
  return status.ok() && response.ParseFromString(answer) &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

}  // namespace

void psp_watch(caf::blocking_actor* self, const std::shared_ptr<ConnectorContext>& context,
               const std::shared_ptr<grpc::Channel>& channel) {
  const DetachedRun run;
  PspBreaker& breaker = context->breaker;
  const absl::Duration deadline = context->config.psp_deadline;
  bool stopping = false;
  uint64_t opened = 0;
  while (!stopping) {
    context->metrics.circuit_open.store(breaker.open());
    if (breaker.times_opened() != opened) {
      opened = breaker.times_opened();
      context->metrics.circuit_opened.store(opened);
      log::Warn("PSP unavailable: circuit open, charges held",
                {{"failures_in_a_row", context->config.breaker_failures}});
    }
    const absl::Duration until_probe = breaker.NextProbe() - absl::Now();
    const absl::Duration wait = std::clamp(until_probe, absl::ZeroDuration(), kIdleLook);
    self->receive([&](stop_atom) { Received(self), stopping = true; },
                  caf::after(caf::duration{absl::ToChronoMilliseconds(wait)}) >> [] {});
    if (stopping || absl::Now() < breaker.NextProbe()) continue;
    breaker.ProbeStarted(absl::Now(), deadline);
    if (PspServing(channel, deadline)) {
      breaker.ProbeSucceeded();
      log::Info("PSP serving again: circuit closed", {});
    } else {
      breaker.ProbeFailed(absl::Now());
      log::Warn("PSP still unavailable: circuit stays open", {});
    }
  }
}

}  // namespace platform::connector
