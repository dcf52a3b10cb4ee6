#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"

namespace platform {

// A health answer as the reference platform writes it (Python's json.dumps
// separators): {"checks": {"<name>": {"status": "pass"}, "<name>":
// {"status": "fail", "output": "<why>"}}, "status": "pass"}. The overall
// status is "pass" when `serving` and every check passes; a failed check's
// message, when it has one, is its "output".
std::string HealthReport(const std::map<std::string, absl::Status>& checks, bool serving = true);

// Whether that report says "pass".
bool HealthPasses(const std::map<std::string, absl::Status>& checks, bool serving = true);

}  // namespace platform
