#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "prometheus/metric_family.h"

namespace platform::gateway {

// Requests by route and status, and a latency histogram by route, for the
// metrics port (metrics::AddCollector). Lock-free on the request path: one
// set of atomic counters per route, fixed when the gateway starts, read
// only when Prometheus scrapes.
class Metrics {
 public:
  // Route index kUnrouted counts requests that matched no route (404, 405,
  // and requests rejected before routing).
  static constexpr size_t kUnrouted = 0;

  // `route_names[i]` labels route index i + 1.
  explicit Metrics(const std::vector<std::string>& route_names);

  void Record(size_t route, unsigned status, absl::Duration latency);

  std::vector<prometheus::MetricFamily> Collect() const;

 private:
  static constexpr std::array<double, 12> kBucketSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  // The status codes the gateway answers; anything else counts as "other".
  static constexpr std::array<unsigned, 20> kStatuses = {200, 400, 401, 403, 404, 405, 408,
                                                         409, 413, 415, 422, 429, 431, 499,
                                                         500, 501, 502, 503, 504, 0};

  struct PerRoute {
    std::string name;
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<uint64_t>, kBucketSeconds.size() + 1> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micros{0};
  };

  std::vector<std::unique_ptr<PerRoute>> routes_;
};

}  // namespace platform::gateway
