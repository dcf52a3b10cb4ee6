#include "actors/shared/metrics/rpc_metrics.h"

#include <string>

#include "actors/shared/metrics/registry.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace platform::metrics {
namespace {

// The names gRPC gives its status codes, as the interceptors label them.
constexpr std::array<const char*, 17> kCodeNames = {
    "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
    "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
    "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
    "DataLoss", "Unauthenticated"};

prometheus::Family<prometheus::Counter>& HandledFamily() {
  static auto& family = prometheus::BuildCounter()
                            .Name("grpc_server_handled_total")
                            .Help("Total number of RPCs completed on the server, by code.")
                            .Register(DefaultRegistry());
  return family;
}

prometheus::Family<prometheus::Histogram>& SecondsFamily() {
  static auto& family = prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Time from a call's arrival to its answer, as the server saw it.")
                            .Register(DefaultRegistry());
  return family;
}

}  // namespace

ServerMethodMetrics::ServerMethodMetrics(absl::string_view service, absl::string_view method) {
  const prometheus::Labels labels = {{"grpc_service", std::string(service)},
                                     {"grpc_method", std::string(method)},
                                     {"grpc_type", "unary"}};
  for (int code = 0; code < kCodes; ++code) {
    prometheus::Labels with_code = labels;
    with_code["grpc_code"] = kCodeNames[static_cast<size_t>(code)];
    handled_[static_cast<size_t>(code)] = &HandledFamily().Add(with_code);
  }
  seconds_ = &SecondsFamily().Add(labels, LatencyBuckets());
}

void ServerMethodMetrics::Record(int code, absl::Duration elapsed) const {
  const int known = code >= 0 && code < kCodes ? code : 2;  // anything else is Unknown
  handled_[static_cast<size_t>(known)]->Increment();
  seconds_->Observe(absl::ToDoubleSeconds(elapsed));
}

}  // namespace platform::metrics
