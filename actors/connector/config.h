#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/redis/redis_url.h"
#include "actors/shared/runtime/env_config.h"

namespace platform::connector {

struct ConnectorConfig {
  redis::Endpoint redis;
  std::string stream;
  std::string group;
  std::string consumer;  // unique per process
  std::string dead_letter_stream;
  int64_t dead_letter_max_length = 100000;  // the oldest dead letters go beyond
  absl::Duration transaction_retention;     // a settled hash expires after it
  std::string psp_address;
  int workers = 4;
  int actor_threads = 1;  // the scheduler's, for the charge workers
  int max_in_flight = 2048;
  int read_batch = 64;
  int max_attempts = 3;    // PSP calls per delivery before handing it back
  int max_deliveries = 5;  // deliveries before the dead-letter stream
  absl::Duration psp_deadline;
  absl::Duration backoff_base;
  absl::Duration backoff_max;
  int breaker_failures = 5;     // calls failing in a row that show the PSP is down
  absl::Duration breaker_open;  // the first wait before the PSP's health is probed
  absl::Duration breaker_open_max;
  absl::Duration reclaim_idle;  // pending this long: its consumer is presumed dead
  absl::Duration reclaim_interval;
  absl::Duration redis_timeout;
  metrics::MetricsEndpoint metrics;  // also GET /health
  absl::Duration shutdown_grace;
};

// Every setting of the connector, declared and validated in one place.
ConnectorConfig LoadConnectorConfig(config::Environment& env);

}  // namespace platform::connector
