#include "actors/connector/stream_trim.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace platform::connector {
namespace {

// "1700000000000-5" -> its (milliseconds, sequence) order.
std::pair<uint64_t, uint64_t> Split(const std::string& id) {
  uint64_t ms = 0, seq = 0;
  const size_t dash = id.find('-');
  (void)absl::SimpleAtoi(id.substr(0, dash), &ms);
  if (dash != std::string::npos) (void)absl::SimpleAtoi(id.substr(dash + 1), &seq);
  return {ms, seq};
}

// The smallest id after `id`: MINID keeps the id it is given.
std::string After(const std::string& id) {
  const auto [ms, seq] = Split(id);
  return absl::StrCat(ms, "-", seq + 1);
}

}  // namespace

bool TrimSettled(redis::Client& redis, ConnectorContext& context) {
  const ConnectorConfig& config = context.config;
  ConnectorMetrics& metrics = context.metrics;
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
  // Keep the oldest pending entry, and everything after the last one read.
  std::string floor = last_delivered.empty() ? "" : After(last_delivered);
  if (summary->elements.size() >= 2 && summary->elements[1].type == redis::Reply::Type::kString &&
      (floor.empty() || Split(summary->elements[1].text) < Split(floor))) {
    floor = summary->elements[1].text;
  }
  if (!floor.empty() && floor != "0-1") {
    (void)redis.Run({"XTRIM", config.stream, "MINID", floor});
  }
  return true;
}

}  // namespace platform::connector
