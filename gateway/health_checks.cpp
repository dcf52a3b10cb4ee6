#include "gateway/health_checks.h"

#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "actors/shared/runtime/health_report.h"

namespace platform::gateway {

void CheckEveryUpstream(const Upstreams& upstreams, absl::Duration deadline,
                        std::function<void(unsigned status, std::string report)> done) {
  // The answers come on gRPC's threads, in any order.
  struct Tally {
    std::mutex mutex;
    std::map<std::string, absl::Status> results ABSL_GUARDED_BY(mutex);
    size_t waiting ABSL_GUARDED_BY(mutex) = 0;
    std::function<void(unsigned, std::string)> done;
  };
  const std::vector<std::string> names = upstreams.names();
  if (names.empty()) {
    done(200, HealthReport({}));
    return;
  }
  auto tally = std::make_shared<Tally>();
  tally->waiting = names.size();
  tally->done = std::move(done);
  for (const std::string& name : names) {
    upstreams.CheckHealth(name, "", deadline, [tally, name](const absl::Status& status) {
      std::map<std::string, absl::Status> results;
      {
        std::lock_guard lock(tally->mutex);
        tally->results[name] = status;
        if (--tally->waiting != 0) return;
        results = std::move(tally->results);
      }
      tally->done(HealthPasses(results) ? 200 : 503, HealthReport(results));
    });
  }
}

}  // namespace platform::gateway
