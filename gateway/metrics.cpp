#include "gateway/metrics.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace platform::gateway {

Metrics::Metrics(const std::vector<std::string>& route_names) {
  routes_.push_back(std::make_unique<PerRoute>());
  routes_.back()->name = "unrouted";
  for (const std::string& name : route_names) {
    routes_.push_back(std::make_unique<PerRoute>());
    routes_.back()->name = name;
  }
}

void Metrics::Record(size_t route, unsigned status, absl::Duration latency) {
  if (route >= routes_.size()) route = kUnrouted;
  PerRoute& counters = *routes_[route];
  size_t status_index = kStatuses.size() - 1;  // "other"
  for (size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) {
      status_index = i;
      break;
    }
  }
  counters.by_status[status_index].fetch_add(1, std::memory_order_relaxed);
  const double seconds = absl::ToDoubleSeconds(latency);
  size_t bucket = kBucketSeconds.size();  // +Inf
  for (size_t i = 0; i < kBucketSeconds.size(); ++i) {
    if (seconds <= kBucketSeconds[i]) {
      bucket = i;
      break;
    }
  }
  counters.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  counters.count.fetch_add(1, std::memory_order_relaxed);
  counters.sum_micros.fetch_add(static_cast<uint64_t>(absl::ToInt64Microseconds(latency)),
                                std::memory_order_relaxed);
}

std::vector<prometheus::MetricFamily> Metrics::Collect() const {
  prometheus::MetricFamily requests{"gateway_http_requests_total",
                                    "HTTP requests answered, by route and status code.",
                                    prometheus::MetricType::Counter,
                                    {}};
  prometheus::MetricFamily seconds{"gateway_http_request_duration_seconds",
                                   "Time from a request read to its answer written, by route.",
                                   prometheus::MetricType::Histogram,
                                   {}};
  for (const auto& route : routes_) {
    // Every listed code of every route from the start, at 0: a rate of
    // errors is then 0, not absent. "other" only once it happened.
    for (size_t i = 0; i < kStatuses.size(); ++i) {
      const uint64_t n = route->by_status[i].load(std::memory_order_relaxed);
      if (kStatuses[i] == 0 && n == 0) continue;
      prometheus::ClientMetric metric;
      metric.label = {{"code", kStatuses[i] == 0 ? "other" : absl::StrCat(kStatuses[i])},
                      {"route", route->name}};
      metric.counter.value = static_cast<double>(n);
      requests.metric.push_back(std::move(metric));
    }
    prometheus::ClientMetric histogram;
    histogram.label = {{"route", route->name}};
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBucketSeconds.size(); ++i) {
      cumulative += route->buckets[i].load(std::memory_order_relaxed);
      histogram.histogram.bucket.push_back(
          {cumulative, i < kBucketSeconds.size() ? kBucketSeconds[i]
                                                 : std::numeric_limits<double>::infinity()});
    }
    histogram.histogram.sample_count = route->count.load(std::memory_order_relaxed);
    histogram.histogram.sample_sum =
        static_cast<double>(route->sum_micros.load(std::memory_order_relaxed)) / 1e6;
    seconds.metric.push_back(std::move(histogram));
  }
  return {std::move(requests), std::move(seconds)};
}

}  // namespace platform::gateway
