#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace platform::config {
class Environment;
}

namespace platform::metrics {

// Where a program serves its metrics: METRICS_HOST and METRICS_PORT.
struct MetricsEndpoint {
  std::string host;
  uint16_t port = 0;
};

// Declares METRICS_HOST (default 0.0.0.0, for the scraper) and METRICS_PORT
// (`default_port`: SPEC.md gives each program its own, 9401 to 9405).
MetricsEndpoint LoadMetricsEndpoint(config::Environment& env, uint16_t default_port);

// The checks GET /health reports, by name: OK or why not. Called on the
// metrics thread at each request; must not block.
using HealthChecks = std::function<std::map<std::string, absl::Status>()>;

// A program's operator port, apart from the port its clients use:
// GET /metrics (the default registry, Prometheus text) and GET /health
// (the health report; 503 when a check fails). One thread, one request
// per connection, each bounded by 5 s.
class MetricsServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const MetricsEndpoint& endpoint,
                                                              HealthChecks checks = {});
  ~MetricsServer();

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The port bound: METRICS_PORT, or the kernel's pick for 0.
  uint16_t port() const { return port_; }

 private:
  struct Impl;
  explicit MetricsServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::thread thread_;
};

// How each program starts it: registers build_info and process_* for
// `program`, starts the server, logs "serving metrics" with the port bound,
// and exits with one line when the port cannot be had.
std::unique_ptr<MetricsServer> StartOrExit(absl::string_view program,
                                           const MetricsEndpoint& endpoint,
                                           HealthChecks checks = {});

}  // namespace platform::metrics
