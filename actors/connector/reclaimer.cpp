#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/connector/actors.h"
#include "actors/connector/mailbox_order.h"
#include "actors/connector/messages.h"
#include "actors/connector/settle_commands.h"
#include "actors/connector/stream_entries.h"
#include "actors/connector/stream_trim.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/redis/client.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/trace_context.h"
#include "caf/all.hpp"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "platform/psp/v1/psp.grpc.pb.h"

namespace platform::connector {
namespace {

constexpr int kPageSize = 100;

// An entry out of deliveries. Its outcome may still be unknown (the PSP may
// have charged it and then failed to answer), so ask the PSP to cancel the
// key: it answers the charge if there was one, and otherwise promises there
// never will be. Only then is the entry final. While the PSP cannot answer,
// the entry stays pending. False when Redis could not be reached.
bool GiveUp(redis::Client& redis, ConnectorContext& context, psp::v1::PspService::Stub& psp,
            const std::string& entry_id, int64_t deliveries) {
  const ConnectorConfig& config = context.config;
  ConnectorMetrics& metrics = context.metrics;
  absl::StatusOr<redis::Reply> range = redis.Run({"XRANGE", config.stream, entry_id, entry_id});
  if (!range.ok()) return false;
  const std::string now = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  StreamEntry entry;
  if (range->elements.size() == 1) entry = EntryOf(range->elements[0]);
  entry.entry_id = entry_id;  // also when the entry is gone or unreadable
  if (!entry.transaction_id.empty()) {
    grpc::ClientContext call;
    call.set_deadline(absl::ToChronoTime(absl::Now() + config.psp_deadline));
    if (std::optional<TraceContext> trace = ParseTraceparent(entry.traceparent)) {
      call.AddMetadata(std::string(kTraceparentKey), trace->Child().Header());
    }
    psp::v1::CancelRequest request;
    request.set_idempotency_key(entry.transaction_id);
    psp::v1::CancelResponse answer;
    const grpc::Status status = psp.Cancel(&call, request, &answer);
    if (!status.ok()) {
      log::Warn("entry out of deliveries, PSP unreachable: kept pending",
                {{"entry_id", entry_id},
                 {"trace_id", entry.trace_id()},
                 {"error", status.error_message()}});
      return true;
    }
    if (answer.charged()) {
      const bool approved = answer.response().outcome() == psp::v1::APPROVED;
      absl::StatusOr<redis::Reply> settled = redis.Run(SettleCommand(
          config,
          Settlement{entry,
                     std::string(approved ? ledger::status::kApproved : ledger::status::kDeclined),
                     answer.response().psp_reference(), answer.response().decline_reason(),
                     static_cast<int32_t>(deliveries)},
          now));
      if (!settled.ok()) return false;
      (approved ? metrics.approved : metrics.declined).fetch_add(1);
      log::Info("transaction settled from the PSP's ledger",
                {{"request_id", entry.request_id},
                 {"trace_id", entry.trace_id()},
                 {"transaction_id", entry.transaction_id}});
      return true;
    }
  }
  absl::StatusOr<redis::Reply> moved = redis.Run(DeadLetterCommand(
      config, entry, absl::StrCat("delivered ", deliveries, " times without an outcome"), now));
  if (!moved.ok()) return false;
  metrics.dead_lettered.fetch_add(1);
  log::Warn("entry dead-lettered", {{"entry_id", entry_id},
                                    {"trace_id", entry.trace_id()},
                                    {"transaction_id", entry.transaction_id},
                                    {"deliveries", deliveries}});
  return true;
}

// One round of the reclaimer's duties; false when Redis could not be reached.
bool Reclaim(redis::Client& redis, ConnectorContext& context, psp::v1::PspService::Stub& psp,
             caf::blocking_actor* self, const stream_reader_actor& reader) {
  const ConnectorConfig& config = context.config;
  ConnectorMetrics& metrics = context.metrics;
  const std::string idle = absl::StrCat(absl::ToInt64Milliseconds(config.reclaim_idle));

  // 0. The entries this connector holds (the PSP slow or down, Redis slow to
  //    settle) are not abandoned: reset their idle time so that no one takes
  //    them over. JUSTID leaves their delivery count as it is; the minimum
  //    idle time keeps an entry another connector has just taken where it is.
  const std::string half_idle = absl::StrCat(absl::ToInt64Milliseconds(config.reclaim_idle / 2));
  const std::vector<std::string> held = context.held.List();
  for (size_t from = 0; from < held.size(); from += kPageSize) {
    std::vector<std::string> claim = {"XCLAIM", config.stream, config.group, config.consumer,
                                      half_idle};
    for (size_t i = from; i < std::min(held.size(), from + kPageSize); ++i) {
      claim.emplace_back(held[i]);
    }
    claim.emplace_back("JUSTID");
    if (!redis.Run(claim).ok()) return false;
  }

  // 1. Entries delivered too often (Redis counts), idle now: give up on
  //    them, but only on a PSP that is up: an outage is no entry's fault.
  absl::StatusOr<redis::Reply> pending = redis.Run(
      {"XPENDING", config.stream, config.group, "IDLE", idle, "-", "+", absl::StrCat(kPageSize)});
  if (!pending.ok()) return false;
  for (const redis::Reply& row : pending->elements) {
    if (context.breaker.open()) break;
    if (row.elements.size() < 4 || row.elements[3].integer < config.max_deliveries) continue;
    if (context.held.Contains(row.elements[0].text)) continue;
    if (!GiveUp(redis, context, psp, row.elements[0].text, row.elements[3].integer)) return false;
  }

  // 2. Entries idle too long: their connector is presumed dead; take them over.
  std::string cursor = "0-0";
  for (int page = 0; page < 10; ++page) {
    absl::StatusOr<redis::Reply> claimed =
        redis.Run({"XAUTOCLAIM", config.stream, config.group, config.consumer, idle, cursor,
                   "COUNT", absl::StrCat(kPageSize)});
    if (!claimed.ok()) return false;
    if (claimed->is_error()) break;  // NOGROUP: the reader creates it
    std::vector<StreamEntry> entries = EntriesOfAutoClaim(*claimed, &cursor);
    // One this connector still holds (its idle time could not be reset in
    // time) is being charged already: it must not be handed out twice.
    entries.erase(
        std::remove_if(entries.begin(), entries.end(),
                       [&](const StreamEntry& e) { return context.held.Contains(e.entry_id); }),
        entries.end());
    // Held from now: the reader may keep them a while, waiting for credit,
    // and they must not be taken over again (a delivery each time) meanwhile.
    for (const StreamEntry& entry : entries) context.held.Add(entry.entry_id);
    if (!entries.empty()) {
      metrics.reclaimed.fetch_add(entries.size());
      log::Info("entries reclaimed", {{"count", static_cast<uint64_t>(entries.size())}});
      Tell(self, reader, reclaimed_atom::value, std::move(entries));
    }
    if (cursor == "0-0") break;
  }

  // 3. Trim what is settled, and measure the lag.
  return TrimSettled(redis, context);
}

}  // namespace

void reclaimer(caf::blocking_actor* self, std::shared_ptr<ConnectorContext> context,
               stream_reader_actor reader, const std::shared_ptr<grpc::Channel>& channel) {
  const DetachedRun run;
  redis::Client redis(context->config.redis, context->config.redis_timeout);
  // Blocking calls are fine here: the reclaimer is a detached actor.
  std::unique_ptr<psp::v1::PspService::Stub> psp = psp::v1::PspService::NewStub(channel);
  bool stopping = false;
  while (!stopping) {
    self->receive(
        [&](stop_atom) { Received(self), stopping = true; },
        caf::after(caf::duration{absl::ToChronoMilliseconds(context->config.reclaim_interval)}) >>
            [&] {
              if (!Reclaim(redis, *context, *psp, self, reader)) {
                log::Warn("reclaimer could not reach redis", {});
              }
            });
  }
}

}  // namespace platform::connector
