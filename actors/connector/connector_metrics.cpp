#include "actors/connector/connector_metrics.h"

#include "absl/strings/str_cat.h"

namespace platform::connector {

std::string ConnectorMetrics::Render() const {
  std::string out;
  const auto counter = [&out](const char* name, const char* help, uint64_t value) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " counter\n", name, " ",
                    value, "\n");
  };
  const auto gauge = [&out](const char* name, const char* help, int64_t value) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " gauge\n", name, " ",
                    value, "\n");
  };
  counter("connector_entries_read_total", "Stream entries read or reclaimed.", read.load());
  counter("connector_charges_approved_total", "Transactions the PSP approved.", approved.load());
  counter("connector_charges_declined_total", "Transactions the PSP declined.", declined.load());
  counter("connector_charges_failed_total", "Transactions that ended failed.", failed.load());
  counter("connector_retries_total", "PSP attempts after the first.", retried.load());
  counter("connector_released_total", "Deliveries handed back unfinished.", released.load());
  counter("connector_reclaimed_total", "Entries taken over from idle consumers.", reclaimed.load());
  counter("connector_dead_lettered_total", "Entries moved to the dead-letter stream.",
          dead_lettered.load());
  counter("connector_psp_circuit_opened_total",
          "Times the PSP was found down and every charge held.", circuit_opened.load());
  gauge("connector_psp_circuit_open", "1 while charges are held because the PSP is down.",
        circuit_open.load() ? 1 : 0);
  gauge("connector_in_flight", "Entries being charged now.", in_flight.load());
  gauge("connector_lag", "Stream entries the group has not read yet.", lag.load());
  return out;
}

}  // namespace platform::connector
