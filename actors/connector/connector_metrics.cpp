#include "actors/connector/connector_metrics.h"

#include <string>

#include "actors/shared/metrics/registry.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace platform::connector {

std::vector<prometheus::MetricFamily> ConnectorMetrics::Collect() const {
  using metrics::CounterFamily;
  using metrics::GaugeFamily;
  prometheus::MetricFamily charges{"connector_charges_total",
                                   "Transactions settled, by outcome.",
                                   prometheus::MetricType::Counter,
                                   {}};
  for (const auto& [outcome, count] :
       {std::pair{"approved", &approved}, std::pair{"declined", &declined},
        std::pair{"failed", &failed}}) {
    prometheus::ClientMetric metric;
    metric.label.push_back({"outcome", outcome});
    metric.counter.value = static_cast<double>(count->load());
    charges.metric.push_back(metric);
  }
  const auto value = [](const auto& atomic) { return static_cast<double>(atomic.load()); };
  return {
      charges,
      CounterFamily("connector_entries_read_total", "Stream entries read or reclaimed.",
                    value(read)),
      CounterFamily("connector_retries_total", "PSP attempts after the first.", value(retried)),
      CounterFamily("connector_released_total", "Deliveries handed back unfinished.",
                    value(released)),
      CounterFamily("connector_reclaimed_total", "Entries taken over from idle consumers.",
                    value(reclaimed)),
      CounterFamily("connector_dead_lettered_total", "Entries moved to the dead-letter stream.",
                    value(dead_lettered)),
      CounterFamily("connector_psp_circuit_opened_total",
                    "Times the PSP was found down and every charge held.", value(circuit_opened)),
      GaugeFamily("connector_psp_circuit_open", "1 while charges are held because the PSP is down.",
                  circuit_open.load() ? 1 : 0),
      GaugeFamily("connector_in_flight", "Entries read and not yet settled (pending in the group).",
                  value(in_flight)),
      GaugeFamily("connector_lag", "Stream entries the group has not read yet (queue depth).",
                  value(lag)),
      GaugeFamily("connector_redis_up", "1 while the last Redis call succeeded.",
                  redis_ok.load() ? 1 : 0),
  };
}

prometheus::Histogram& PspCallSeconds() {
  static prometheus::Histogram& histogram =
      prometheus::BuildHistogram()
          .Name("connector_psp_call_seconds")
          .Help("Seconds from sending a charge to the PSP to its answer.")
          .Register(metrics::DefaultRegistry())
          .Add({}, metrics::LatencyBuckets());
  return histogram;
}

}  // namespace platform::connector
