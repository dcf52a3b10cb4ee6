#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gateway/exchange.h"
#include "gateway/http_types.h"
#include "gateway/metrics.h"
#include "gateway/router.h"
#include "gateway/upstreams.h"

namespace platform::gateway {

struct HandlerSettings {
  absl::Duration upstream_deadline = absl::Seconds(2);
  absl::Duration health_deadline = absl::Seconds(1);
  bool access_log = true;
  // What GET /openapi.json answers (OpenApiDocument of the routes).
  std::string openapi_document;
};

// What the gateway does with one parsed HTTP request: routes it and hands
// it to the job its route names (an RPC, a health check, the OpenAPI document).
// The parts of the request become a gRPC call in upstream_request.h, JSON
// is mapped in transcoder.h, every health check is asked in
// health_checks.h, and the answer is written once by an Exchange
// (exchange.h). Knows nothing of sockets; answers through a callback, at
// once or later from a gRPC thread.
class RequestHandler {
 public:
  using Respond = Exchange::Respond;

  RequestHandler(const Router& router, const Upstreams& upstreams, Metrics& metrics,
                 HandlerSettings settings);

  // `client_address`: the peer's IP address, as the socket saw it.
  void Handle(HttpRequest request, const std::string& client_address, Respond respond) const;

  // Counts an answer the HTTP layer gave itself (400, 408, 413, 431).
  void CountRejected(unsigned status) const {
    metrics_.Record(Metrics::kUnrouted, status, absl::ZeroDuration());
  }

  // Requests being handled now (for a graceful stop).
  int in_flight() const { return in_flight_.load(); }

 private:
  void CallRpc(const std::shared_ptr<Exchange>& exchange, const RouteMatch& match,
               HttpRequest& request, const std::string& client_address) const;
  void CheckService(const std::shared_ptr<Exchange>& exchange, const Route& route) const;
  void CheckAll(const std::shared_ptr<Exchange>& exchange) const;

  const Router& router_;
  const Upstreams& upstreams_;
  Metrics& metrics_;
  HandlerSettings settings_;
  mutable std::atomic<int> in_flight_{0};
};

}  // namespace platform::gateway
