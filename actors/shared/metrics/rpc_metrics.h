#pragma once

#include <array>
#include <memory>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace prometheus {
class Counter;
class Histogram;
}  // namespace prometheus

namespace platform::metrics {

// One gRPC method's server-side metrics, in the names of the gRPC
// ecosystem's Prometheus interceptors (go-grpc-prometheus):
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type}
// Every code's series exists from the start at 0, so that a rate of errors
// is 0 rather than absent. Made once per method; Record is lock-free but
// for the histogram's own short lock, and may be called from any thread.
class ServerMethodMetrics {
 public:
  // `service` is the full name ("platform.auth.v1.AuthService").
  ServerMethodMetrics(absl::string_view service, absl::string_view method);

  // A call answered with `code` (a grpc::StatusCode), `elapsed` after it came in.
  void Record(int code, absl::Duration elapsed) const;

 private:
  static constexpr int kCodes = 17;  // OK (0) to UNAUTHENTICATED (16)
  std::array<prometheus::Counter*, kCodes> handled_{};
  prometheus::Histogram* seconds_ = nullptr;
};

// The metrics of `service`'s `method`, for a UnaryCall::Method.
inline std::shared_ptr<const ServerMethodMetrics> ServerMetrics(absl::string_view service,
                                                                absl::string_view method) {
  return std::make_shared<const ServerMethodMetrics>(service, method);
}

}  // namespace platform::metrics
