#include <deque>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "actors/connector/actors.h"
#include "actors/connector/mailbox_order.h"
#include "actors/connector/messages.h"
#include "actors/connector/stream_entries.h"
#include "actors/shared/redis/client.h"
#include "actors/shared/runtime/logger.h"
#include "caf/all.hpp"

namespace platform::connector {

void stream_reader(caf::blocking_actor* self, std::shared_ptr<ConnectorContext> context,
                   caf::actor pool) {
  const DetachedRun run;
  const ConnectorConfig& config = context->config;
  ConnectorMetrics& metrics = context->metrics;
  redis::Client redis(config.redis, config.redis_timeout);
  int credit = config.max_in_flight;
  bool draining = false;
  bool stopped = false;  // the grace period is over: end now
  bool group_ready = false;
  std::deque<StreamEntry> backlog;  // reclaimed entries waiting for credit

  const auto handle = [&](caf::duration wait) {
    bool got = false;
    self->receive(
        [&](credit_atom, int32_t returned) { Received(self), credit += returned, got = true; },
        [&](reclaimed_atom, std::vector<StreamEntry> entries) {
          Received(self);
          for (StreamEntry& entry : entries) backlog.push_back(std::move(entry));
          got = true;
        },
        [&](drain_atom) { Received(self), draining = true, got = true; },
        [&](stop_atom) { Received(self), stopped = true, got = true; }, caf::after(wait) >> [] {});
    return got;
  };
  const auto dispatch = [&](StreamEntry entry) {
    --credit;
    metrics.in_flight.fetch_add(1);
    metrics.read.fetch_add(1);
    context->held.Add(entry.entry_id);
    self->send(pool, MessageFor(&kPoolMailbox, charge_atom::value, std::move(entry)));
  };

  while (true) {
    while (handle(caf::duration{std::chrono::seconds(0)})) {
    }
    if (stopped) break;
    if (draining) {
      if (credit >= config.max_in_flight) break;  // everything handed out came back
      handle(caf::duration{std::chrono::milliseconds(100)});
      continue;
    }
    while (credit > 0 && !backlog.empty()) {
      dispatch(std::move(backlog.front()));
      backlog.pop_front();
    }
    if (credit <= 0) {
      handle(caf::duration{std::chrono::seconds(1)});  // back-pressure: wait for the acker
      continue;
    }
    if (!group_ready) {
      // Start from the beginning: entries core wrote before any connector ran count too.
      absl::StatusOr<redis::Reply> created =
          redis.Run({"XGROUP", "CREATE", config.stream, config.group, "0", "MKSTREAM"});
      group_ready =
          created.ok() && (!created->is_error() || absl::StartsWith(created->text, "BUSYGROUP"));
      metrics.redis_ok.store(created.ok());
      if (!group_ready) {
        handle(caf::duration{std::chrono::milliseconds(200)});
        continue;
      }
    }
    const int count = std::min(credit, config.read_batch);
    absl::StatusOr<redis::Reply> read =
        redis.Run({"XREADGROUP", "GROUP", config.group, config.consumer, "COUNT",
                   absl::StrCat(count), "BLOCK", "200", "STREAMS", config.stream, ">"});
    metrics.redis_ok.store(read.ok());
    if (!read.ok() || read->is_error()) {
      if (read.ok() && absl::StartsWith(read->text, "NOGROUP")) group_ready = false;
      log::Warn("stream read failed",
                {{"error", read.ok() ? read->text : std::string(read.status().message())}});
      handle(caf::duration{std::chrono::milliseconds(200)});
      continue;
    }
    for (StreamEntry& entry : EntriesOfRead(*read)) dispatch(std::move(entry));
  }
  log::Info("reader drained", {{"consumer", config.consumer}});
}

}  // namespace platform::connector
