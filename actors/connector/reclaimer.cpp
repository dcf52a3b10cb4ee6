#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/connector/actors.h"
#include "actors/connector/messages.h"
#include "actors/connector/redis_scripts.h"
#include "actors/connector/stream_entries.h"
#include "actors/shared/redis/client.h"
#include "actors/shared/runtime/logger.h"
#include "caf/all.hpp"

namespace platform::connector {
namespace {

constexpr int kPageSize = 100;

// "1700000000000-5" -> its (milliseconds, sequence) order.
bool IdBefore(const std::string& a, const std::string& b) {
  const auto split = [](const std::string& id) {
    uint64_t ms = 0, seq = 0;
    const size_t dash = id.find('-');
    (void)absl::SimpleAtoi(id.substr(0, dash), &ms);
    if (dash != std::string::npos) (void)absl::SimpleAtoi(id.substr(dash + 1), &seq);
    return std::make_pair(ms, seq);
  };
  return split(a) < split(b);
}

// One round of the reclaimer's duties; false when Redis could not be reached.
bool Reclaim(redis::Client& redis, Shared& shared, caf::blocking_actor* self,
             const caf::actor& reader) {
  const ConnectorConfig& config = shared.config;
  ConnectorMetrics& metrics = shared.metrics;
  const std::string idle = absl::StrCat(absl::ToInt64Milliseconds(config.reclaim_idle));

  // 1. Entries delivered too often, idle now: the dead-letter stream.
  absl::StatusOr<redis::Reply> pending = redis.Run(
      {"XPENDING", config.stream, config.group, "IDLE", idle, "-", "+", absl::StrCat(kPageSize)});
  if (!pending.ok()) return false;
  for (const redis::Reply& row : pending->elements) {
    if (row.elements.size() < 4 || row.elements[3].integer < config.max_deliveries) continue;
    const std::string& id = row.elements[0].text;
    absl::StatusOr<redis::Reply> moved = redis.Run(
        {"EVAL", kDeadLetterScript, "2", config.stream, config.dead_letter_stream, config.group,
         id, absl::StrCat(absl::ToUnixMillis(absl::Now())),
         absl::StrCat("delivered ", row.elements[3].integer, " times without an outcome")});
    if (!moved.ok()) return false;
    metrics.dead_lettered.fetch_add(1);
    log::Warn("entry dead-lettered", {{"entry_id", id},
                                      {"deliveries", row.elements[3].integer}});
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
    if (!entries.empty()) {
      metrics.reclaimed.fetch_add(entries.size());
      log::Info("entries reclaimed", {{"count", static_cast<uint64_t>(entries.size())}});
      self->send(reader, reclaimed_atom::value, std::move(entries));
    }
    if (cursor == "0-0") break;
  }

  // 3. Trim below the oldest entry still pending (MAXLEN would delete
  //    entries not yet charged), and measure the lag.
  absl::StatusOr<redis::Reply> groups = redis.Run({"XINFO", "GROUPS", config.stream});
  if (!groups.ok()) return false;
  std::string last_delivered;
  for (const redis::Reply& group : groups->elements) {
    std::string name;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      const std::string& key = group.elements[i].text;
      if (key == "name") name = group.elements[i + 1].text;
    }
    if (name != config.group) continue;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      const std::string& key = group.elements[i].text;
      if (key == "last-delivered-id") last_delivered = group.elements[i + 1].text;
      if (key == "lag") metrics.lag.store(group.elements[i + 1].integer);
    }
  }
  absl::StatusOr<redis::Reply> summary = redis.Run({"XPENDING", config.stream, config.group});
  if (!summary.ok()) return false;
  std::string floor = last_delivered;
  if (summary->elements.size() >= 2 && summary->elements[1].type == redis::Reply::Type::kString &&
      (floor.empty() || IdBefore(summary->elements[1].text, floor))) {
    floor = summary->elements[1].text;
  }
  if (!floor.empty() && floor != "0-0") {
    (void)redis.Run({"XTRIM", config.stream, "MINID", floor});
  }
  return true;
}

}  // namespace

void reclaimer(caf::blocking_actor* self, std::shared_ptr<Shared> shared, caf::actor reader) {
  redis::Client redis(shared->config.redis, shared->config.redis_timeout);
  bool stopping = false;
  while (!stopping) {
    self->receive([&](stop_atom) { stopping = true; },
                  caf::after(caf::duration{absl::ToChronoMilliseconds(
                      shared->config.reclaim_interval)}) >>
                      [&] {
                        if (!Reclaim(redis, *shared, self, reader)) {
                          log::Warn("reclaimer could not reach redis", {});
                        }
                      });
  }
}

}  // namespace platform::connector
