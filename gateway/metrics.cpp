#include "gateway/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

std::string Metrics::Render() const {
  std::string out =
      "# HELP gateway_http_requests_total HTTP requests answered, by route "
      "and status.\n"
      "# TYPE gateway_http_requests_total counter\n";
  for (const auto& route : routes_) {
    for (size_t i = 0; i < kStatuses.size(); ++i) {
      const uint64_t n = route->by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      absl::StrAppend(&out, "gateway_http_requests_total{route=\"", route->name, "\",status=\"",
                      kStatuses[i] == 0 ? std::string("other") : absl::StrCat(kStatuses[i]), "\"} ",
                      n, "\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP gateway_http_request_duration_seconds Time from a "
                  "request read to its answer written, by route.\n"
                  "# TYPE gateway_http_request_duration_seconds histogram\n");
  for (const auto& route : routes_) {
    const uint64_t count = route->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBucketSeconds.size(); ++i) {
      cumulative += route->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < kBucketSeconds.size() ? absl::StrFormat("%g", kBucketSeconds[i])
                                                       : std::string("+Inf");
      absl::StrAppend(&out, "gateway_http_request_duration_seconds_bucket{route=\"", route->name,
                      "\",le=\"", le, "\"} ", cumulative, "\n");
    }
    absl::StrAppend(
        &out, "gateway_http_request_duration_seconds_sum{route=\"", route->name, "\"} ",
        absl::StrFormat(
            "%.6f", static_cast<double>(route->sum_micros.load(std::memory_order_relaxed)) / 1e6),
        "\n", "gateway_http_request_duration_seconds_count{route=\"", route->name, "\"} ", count,
        "\n");
  }
  return out;
}

}  // namespace platform::gateway
