#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "actors/shared/runtime/trace_context.h"
#include "gateway/http_types.h"
#include "gateway/metrics.h"

namespace platform::gateway {

// The request id to use: the client's X-Request-Id when usable, else new.
std::string RequestIdFor(const HttpRequest& request);
// The request's traceparent continued, or a new trace.
TraceContext TraceFor(const HttpRequest& request);

// One request on its way through the gateway, answered exactly once: it
// carries the request's id and trace, counts itself in flight, and on its answer
// records the route's metrics and writes the access log line.
class Exchange {
 public:
  using Respond = std::function<void(HttpResponse)>;

  struct Recorders {
    Metrics& metrics;
    std::atomic<int>& in_flight;
    bool access_log = true;
  };

  Exchange(const HttpRequest& request, Respond respond, Recorders recorders);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  const std::string& request_id() const { return request_id_; }
  // The client's trace (a valid traceparent header) or one started here;
  // the gateway's own span in it.
  const TraceContext& trace() const { return trace_; }
  // The route, as Metrics numbers them (1 + its index in the router).
  void set_route(size_t index) { route_index_ = index; }

  void Answer(unsigned status, std::string body,
              absl::string_view content_type = "application/json");
  void Fail(unsigned status, absl::string_view message) { Finish(Error(status, message)); }
  // An error answer, to add headers to before Finish.
  HttpResponse Error(unsigned status, absl::string_view message) const;
  void Finish(HttpResponse response);

 private:
  Respond respond_;
  Recorders recorders_;
  std::string request_id_;
  TraceContext trace_;
  std::string method_;
  std::string path_;  // without the query: a query may carry a token
  unsigned version_;
  bool keep_alive_;
  absl::Time start_;
  size_t route_index_ = Metrics::kUnrouted;
};

}  // namespace platform::gateway
