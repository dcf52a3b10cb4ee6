#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "prometheus/metric_family.h"

namespace prometheus {
class Registry;
}

namespace platform::metrics {

// The process's one registry of metrics, which its metrics port serves.
// Components register their families here when they are made, as
// Prometheus client libraries do with their default registry, so that a
// Redis pipeline or a gRPC method needs no registry handed down to it.
prometheus::Registry& DefaultRegistry();

// Adds what every program exports: `platform_build_info{program,version}`
// (always 1) and the `process_*` basics (CPU seconds, resident and virtual
// memory, open and maximum file descriptors, threads, start time), read
// from /proc at each scrape. Once per process, at start.
void RegisterProcessMetrics(absl::string_view program);

// Families read at each scrape from values a component keeps for its own
// use anyway (the connector's atomic counters, /proc): cheaper on the hot
// path than a second count. Added once, kept for the life of the process;
// called on the metrics thread, so it must not block.
using Collector = std::function<std::vector<prometheus::MetricFamily>()>;
void AddCollector(Collector collector);

// One family of one sample, for a Collector.
prometheus::MetricFamily CounterFamily(const std::string& name, const std::string& help,
                                       double value);
prometheus::MetricFamily GaugeFamily(const std::string& name, const std::string& help,
                                     double value);

// Everything in the default registry and its collectors, in Prometheus' text format (0.0.4).
std::string RenderText();

// The Content-Type of that text.
inline constexpr absl::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// Latency buckets in seconds for requests, calls and commands: 100 µs to
// 10 s, so that both a Redis reply and a PSP's slow answer land in a bucket
// of their own size.
const std::vector<double>& LatencyBuckets();

}  // namespace platform::metrics
