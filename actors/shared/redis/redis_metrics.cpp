#include "actors/shared/redis/redis_metrics.h"

#include "actors/shared/metrics/registry.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace platform::redis {
namespace {

struct RedisMetrics {
  prometheus::Histogram* round_trip;
  prometheus::Counter* ok;
  prometheus::Counter* unavailable;
};

const RedisMetrics& Metrics() {
  static const RedisMetrics metrics = [] {
    prometheus::Registry& registry = metrics::DefaultRegistry();
    auto& commands = prometheus::BuildCounter()
                         .Name("redis_commands_total")
                         .Help("Redis commands sent, by whether their reply arrived.")
                         .Register(registry);
    return RedisMetrics{
        &prometheus::BuildHistogram()
             .Name("redis_round_trip_seconds")
             .Help("Seconds from writing commands to Redis to reading their replies.")
             .Register(registry)
             .Add({}, metrics::LatencyBuckets()),
        &commands.Add({{"result", "ok"}}),
        &commands.Add({{"result", "unavailable"}}),
    };
  }();
  return metrics;
}

}  // namespace

void RecordRoundTrip(absl::Duration elapsed, size_t commands, bool ok) {
  const RedisMetrics& metrics = Metrics();
  metrics.round_trip->Observe(absl::ToDoubleSeconds(elapsed));
  (ok ? metrics.ok : metrics.unavailable)->Increment(static_cast<double>(commands));
}

}  // namespace platform::redis
