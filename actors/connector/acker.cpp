#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/connector/actors.h"
#include "actors/connector/mailbox_order.h"
#include "actors/connector/messages.h"
#include "actors/connector/settle_commands.h"
#include "actors/connector/stream_trim.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/redis/client.h"
#include "actors/shared/runtime/logger.h"
#include "caf/all.hpp"

namespace platform::connector {
namespace {
constexpr size_t kMaxBatch = 512;

// What the acker holds between two writes.
struct AckerState {
  stream_reader_actor reader;  // to give credit back to
  bool stopping = false;
};

// What came in since the last write: outcomes to record, deliveries given up.
struct Batch {
  std::vector<Settlement> settled;
  int32_t released = 0;

  bool empty() const { return settled.empty() && released == 0; }
  int32_t size() const { return static_cast<int32_t>(settled.size()) + released; }
};

// Waits up to 200 ms for the first message, then takes what is already
// there, up to kMaxBatch messages.
Batch TakeBatch(caf::blocking_actor* self, ConnectorContext& context, AckerState& state) {
  Batch batch;
  bool more = true;
  caf::duration wait{std::chrono::milliseconds(200)};
  for (size_t taken = 0; more && taken < kMaxBatch; ++taken) {
    more = false;
    self->receive(
        [&](settle_atom, Settlement& s) {
          Received(self);
          batch.settled.push_back(std::move(s)), more = true;
        },
        [&](release_atom, const std::string& entry_id) {
          Received(self);
          context.held.Remove(entry_id), ++batch.released, more = true;
        },
        [&](reader_atom, stream_reader_actor& r) {
          Received(self), state.reader = std::move(r), more = true;
        },
        [&](stop_atom) { Received(self), state.stopping = true; }, caf::after(wait) >> [] {});
    wait = caf::duration{std::chrono::seconds(0)};
  }
  return batch;
}

// Every outcome into Redis in one pipelined round trip. Redis may be away:
// the batch is kept and written again until it is taken, so no outcome is
// lost (the scripts may run twice; they are idempotent).
void WriteOutcomes(redis::Client& redis, ConnectorContext& context,
                   const std::vector<Settlement>& settled) {
  const ConnectorConfig& config = context.config;
  const std::string now = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  std::vector<std::vector<std::string>> commands;
  commands.reserve(settled.size());
  for (const Settlement& s : settled) {
    commands.push_back(s.entry.transaction_id.empty()
                           ? DeadLetterCommand(config, s.entry, s.reason, now)
                           : SettleCommand(config, s, now));
  }
  while (true) {
    absl::StatusOr<std::vector<redis::Reply>> replies = redis.RunAll(commands);
    context.metrics.redis_ok.store(replies.ok());
    if (replies.ok()) {
      for (const redis::Reply& reply : *replies) {
        if (reply.is_error()) log::Error("settling failed", {{"error", reply.text}});
      }
      return;
    }
    log::Warn("redis unavailable to the acker; retrying", {{"error", replies.status().message()}});
    absl::SleepFor(absl::Milliseconds(200));
  }
}

// Once written: the entries are no longer held, counted, logged.
void RecordSettled(ConnectorContext& context, const Batch& batch) {
  ConnectorMetrics& metrics = context.metrics;
  for (const Settlement& s : batch.settled) {
    context.held.Remove(s.entry.entry_id);
    if (s.status == ledger::status::kApproved) {
      metrics.approved.fetch_add(1);
    } else if (s.status == ledger::status::kDeclined) {
      metrics.declined.fetch_add(1);
    } else {
      metrics.failed.fetch_add(1);
    }
    log::Info("transaction settled", {{"request_id", s.entry.request_id},
                                      {"trace_id", s.entry.trace_id()},
                                      {"transaction_id", s.entry.transaction_id},
                                      {"status", s.status},
                                      {"attempts", static_cast<int>(s.attempts)}});
  }
  metrics.released.fetch_add(static_cast<uint64_t>(batch.released));
  metrics.in_flight.fetch_sub(batch.size());
}

}  // namespace

void acker(caf::blocking_actor* self, const std::shared_ptr<ConnectorContext>& context) {
  const DetachedRun run;
  redis::Client redis(context->config.redis, context->config.redis_timeout);
  AckerState state;
  while (true) {
    const Batch batch = TakeBatch(self, *context, state);
    if (batch.empty()) {
      if (state.stopping) break;
      continue;
    }
    WriteOutcomes(redis, *context, batch.settled);
    RecordSettled(*context, batch);
    // The pipeline has room again: the reader may read as many more.
    if (state.reader) Tell(self, state.reader, credit_atom::value, batch.size());
  }
  // What was settled last leaves the stream now, not when a connector runs again.
  if (!TrimSettled(redis, *context)) log::Warn("could not trim the stream at exit", {});
}

}  // namespace platform::connector
