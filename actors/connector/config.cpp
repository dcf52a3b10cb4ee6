#include "actors/connector/config.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/runtime/grpc_channel.h"
#include "actors/shared/runtime/request_id.h"

namespace platform::connector {

ConnectorConfig LoadConnectorConfig(config::Environment& env) {
  ConnectorConfig config;
  config.redis = redis::EndpointFromEnvironment(env);
  config.stream = env.String("STREAM_NAME", ledger::kDefaultStream, "the Redis stream core writes");
  config.group =
      env.String("CONSUMER_GROUP", ledger::kDefaultGroup, "the consumer group connectors share");
  char host[256] = "connector";
  gethostname(host, sizeof host - 1);
  config.consumer =
      env.String("CONSUMER_NAME", "",
                 "this process's name in the group (default: host, pid and a random suffix)");
  if (config.consumer.empty()) {
    config.consumer = absl::StrCat(host, "-", getpid(), "-", NewRequestId().substr(0, 8));
  }
  config.dead_letter_stream =
      env.String("DEAD_LETTER_STREAM", ledger::DefaultDeadLetterStream(config.stream),
                 "where entries go after too many deliveries (in the stream's Redis Cluster slot)");
  if (absl::Status slot = ledger::CheckKeysShareSlot(config.stream, config.dead_letter_stream);
      !slot.ok()) {
    env.Fail(std::string(slot.message()));
  }
  config.dead_letter_max_length =
      env.Integer("DEAD_LETTER_MAX_LENGTH", 100000, 1, 100000000,
                  "dead letters kept at most (the oldest are trimmed, roughly)");
  config.transaction_retention = absl::Seconds(
      env.Integer("TRANSACTION_RETENTION", 7 * 86400, 1, 3650 * 86400,
                  "seconds a settled transaction stays readable (GET answers 404 after)"));
  config.psp_address =
      env.String("PSP_ADDR", "127.0.0.1:50053", "gRPC address of the PSP", CheckServiceAddress);
  config.workers =
      static_cast<int>(env.Integer("WORKERS", 4, 1, 256, "charge workers in the pool"));
  config.actor_threads =
      env.Threads("ACTOR_THREADS", "threads of the actor scheduler that runs the charge workers");
  // Little's law: 10,000 charges a second at 50 ms of PSP latency are 500
  // in flight; the default leaves room for the PSP to slow down fourfold.
  config.max_in_flight = static_cast<int>(env.Integer(
      "MAX_IN_FLIGHT", 2048, 1, 100000, "entries being charged at once at most (back-pressure)"));
  config.read_batch = static_cast<int>(
      env.Integer("READ_BATCH", 64, 1, 10000, "entries one XREADGROUP asks for at most"));
  config.max_attempts = static_cast<int>(env.Integer(
      "MAX_ATTEMPTS", 3, 1, 100, "PSP calls per delivery before the entry is handed back"));
  config.max_deliveries = static_cast<int>(env.Integer(
      "MAX_DELIVERIES", 5, 1, 1000, "deliveries of an entry before it is dead-lettered"));
  config.psp_deadline =
      env.Milliseconds("PSP_DEADLINE_MS", 5000, 1, 600000, "deadline of each PSP call");
  config.backoff_base = env.Milliseconds("RETRY_BACKOFF_MS", 100, 1, 600000,
                                         "first retry delay (doubles, with jitter)");
  config.backoff_max =
      env.Milliseconds("RETRY_BACKOFF_MAX_MS", 2000, 1, 600000, "longest retry delay");
  config.breaker_failures = static_cast<int>(env.Integer(
      "BREAKER_FAILURES", 5, 1, 10000,
      "PSP calls failing in a row as an unreachable PSP fails before the connector holds "
      "every charge (the circuit opens)"));
  config.breaker_open = env.Milliseconds(
      "BREAKER_OPEN_MS", 1000, 10, 600000,
      "how long the circuit stays open before the PSP's health is probed (doubles per failed "
      "probe)");
  config.breaker_open_max = env.Milliseconds("BREAKER_OPEN_MAX_MS", 10000, 10, 3600000,
                                             "the longest wait between two probes");
  config.reclaim_idle =
      env.Milliseconds("RECLAIM_IDLE_MS", 30000, 10, 86400000,
                       "an entry pending this long is taken over (its connector is presumed dead)");
  config.reclaim_interval = env.Milliseconds("RECLAIM_INTERVAL_MS", 5000, 10, 3600000,
                                             "how often to look for such entries");
  config.redis_timeout =
      env.Milliseconds("REDIS_TIMEOUT_MS", 2000, 10, 60000, "bound on each Redis command");
  config.metrics = metrics::LoadMetricsEndpoint(env, 9405);
  config.shutdown_grace = env.Milliseconds("SHUTDOWN_GRACE_MS", 5000, 0, 60000,
                                           "how long charges in flight may finish after SIGTERM");
  if (config.backoff_max < config.backoff_base) {
    env.Fail("RETRY_BACKOFF_MAX_MS must not be below RETRY_BACKOFF_MS");
  }
  if (config.breaker_open_max < config.breaker_open) {
    env.Fail("BREAKER_OPEN_MAX_MS must not be below BREAKER_OPEN_MS");
  }
  // The reclaimer keeps held entries fresh every interval; they look
  // abandoned after RECLAIM_IDLE_MS, so it must come round well before.
  if (config.reclaim_interval * 2 > config.reclaim_idle) {
    env.Fail("RECLAIM_INTERVAL_MS must be at most half of RECLAIM_IDLE_MS");
  }
  return config;
}

}  // namespace platform::connector
