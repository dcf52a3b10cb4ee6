#pragma once

#include <utility>

#include "actors/connector/call_registry.h"
#include "actors/connector/config.h"
#include "actors/connector/connector_metrics.h"
#include "actors/connector/held_entries.h"
#include "actors/connector/psp_breaker.h"

namespace platform::connector {

// What every actor of one connector shares: its settings, its metrics, the
// PSP calls in flight, the circuit breaker in front of the PSP and the
// entries it holds. Each member is safe to use from any thread.
struct ConnectorContext {
  explicit ConnectorContext(ConnectorConfig settings)
      : config(std::move(settings)),
        breaker(PspBreaker::Options{config.breaker_failures, config.breaker_open,
                                    config.breaker_open_max, config.backoff_base}) {}

  const ConnectorConfig config;
  ConnectorMetrics metrics;
  CallRegistry calls;
  PspBreaker breaker;
  HeldEntries held;
};

}  // namespace platform::connector
