#include "actors/shared/runtime/health_report.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/json_text.h"

namespace platform {

bool HealthPasses(const std::map<std::string, absl::Status>& checks, bool serving) {
  if (!serving) return false;
  for (const auto& [name, status] : checks) {
    if (!status.ok()) return false;
  }
  return true;
}

std::string HealthReport(const std::map<std::string, absl::Status>& checks, bool serving) {
  std::string out = "{\"checks\": {";
  bool first = true;
  for (const auto& [name, status] : checks) {
    if (!first) out += ", ";
    first = false;
    json::AppendQuoted(out, name);
    absl::StrAppend(&out, ": {\"status\": ", status.ok() ? "\"pass\"" : "\"fail\"");
    if (!status.ok() && !status.message().empty()) {
      out += ", \"output\": ";
      json::AppendQuoted(out, status.message());
    }
    out += '}';
  }
  absl::StrAppend(&out, "}, \"status\": ", HealthPasses(checks, serving) ? "\"pass\"" : "\"fail\"",
                  "}");
  return out;
}

}  // namespace platform
