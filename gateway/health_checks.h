#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "gateway/upstreams.h"

namespace platform::gateway {

// GET /health: asks every upstream's gRPC health at once (each within
// `deadline`) and calls `done` once, when the last has answered, with 200
// and a passing report, or 503 and the report of what failed
// (actors/shared/runtime/health_report.h).
void CheckEveryUpstream(const Upstreams& upstreams, absl::Duration deadline,
                        std::function<void(unsigned status, std::string report)> done);

}  // namespace platform::gateway
