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
}  // namespace

void acker(caf::blocking_actor* self, std::shared_ptr<ConnectorContext> context) {
  const ConnectorConfig& config = context->config;
  ConnectorMetrics& metrics = context->metrics;
  redis::Client redis(config.redis, config.redis_timeout);
  stream_reader_actor reader;
  bool stopping = false;

  while (true) {
    std::vector<Settlement> settled;
    int32_t released = 0;
    size_t taken = 0;
    bool more = true;
    caf::duration wait{std::chrono::milliseconds(200)};
    while (more && taken < kMaxBatch) {
      more = false;
      self->receive(
          [&](settle_atom, Settlement& s) {
            Received(self);
            settled.push_back(std::move(s)), more = true;
          },
          [&](release_atom, const std::string& entry_id) {
            Received(self);
            context->held.Remove(entry_id), ++released, more = true;
          },
          [&](reader_atom, stream_reader_actor& r) {
            Received(self), reader = std::move(r), more = true;
          },
          [&](stop_atom) { Received(self), stopping = true; }, caf::after(wait) >> [] {});
      ++taken;
      wait = caf::duration{std::chrono::seconds(0)};
    }
    if (settled.empty() && released == 0) {
      if (stopping) break;
      continue;
    }

    const std::string now = absl::StrCat(absl::ToUnixMillis(absl::Now()));
    std::vector<std::vector<std::string>> commands;
    for (const Settlement& s : settled) {
      commands.push_back(s.entry.transaction_id.empty()
                             ? DeadLetterCommand(config, s.entry.entry_id, s.reason, now)
                             : SettleCommand(config, s, now));
    }
    // Redis may be away: keep the batch until it is written, so no outcome
    // is lost (the scripts may run twice; they are idempotent).
    while (true) {
      absl::StatusOr<std::vector<redis::Reply>> replies = redis.RunAll(commands);
      metrics.redis_ok.store(replies.ok());
      if (replies.ok()) {
        for (const redis::Reply& reply : *replies) {
          if (reply.is_error()) log::Error("settling failed", {{"error", reply.text}});
        }
        break;
      }
      log::Warn("redis unavailable to the acker; retrying",
                {{"error", replies.status().message()}});
      absl::SleepFor(absl::Milliseconds(200));
    }
    for (const Settlement& s : settled) {
      context->held.Remove(s.entry.entry_id);
      if (s.status == ledger::status::kApproved)
        metrics.approved.fetch_add(1);
      else if (s.status == ledger::status::kDeclined)
        metrics.declined.fetch_add(1);
      else
        metrics.failed.fetch_add(1);
      log::Info("transaction settled", {{"request_id", s.entry.request_id},
                                        {"transaction_id", s.entry.transaction_id},
                                        {"status", s.status},
                                        {"attempts", static_cast<int>(s.attempts)}});
    }
    metrics.released.fetch_add(static_cast<uint64_t>(released));
    const auto done = static_cast<int32_t>(settled.size()) + released;
    metrics.in_flight.fetch_sub(done);
    if (done > 0 && reader) Tell(self, reader, credit_atom::value, done);
    if (stopping && settled.empty() && released == 0) break;
  }
  // What was settled last leaves the stream now, not when a connector runs again.
  if (!TrimSettled(redis, *context)) log::Warn("could not trim the stream at exit", {});
}

}  // namespace platform::connector
