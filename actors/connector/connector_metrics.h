#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "prometheus/metric_family.h"

namespace prometheus {
class Histogram;
}

namespace platform::connector {

// Counters the actors update (lock-free, and some of them steer the
// connector: in flight, Redis up) and the metrics port reads at each
// scrape (metrics::AddCollector).
struct ConnectorMetrics {
  std::atomic<uint64_t> read{0};  // entries read or reclaimed
  std::atomic<uint64_t> approved{0};
  std::atomic<uint64_t> declined{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> retried{0};   // PSP attempts after the first
  std::atomic<uint64_t> released{0};  // deliveries handed back unfinished
  std::atomic<uint64_t> reclaimed{0};
  std::atomic<uint64_t> dead_lettered{0};
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> lag{0};              // entries not yet read by the group
  std::atomic<uint64_t> circuit_opened{0};  // times the PSP was found down
  std::atomic<bool> circuit_open{false};    // charges held: the PSP is down
  std::atomic<bool> redis_ok{false};

  // The families Prometheus scrapes: connector_charges_total{outcome},
  // connector_in_flight, connector_lag, and the rest, with help text.
  std::vector<prometheus::MetricFamily> Collect() const;
};

// Seconds from sending a charge to the PSP to its answer, whatever it was.
prometheus::Histogram& PspCallSeconds();

}  // namespace platform::connector
