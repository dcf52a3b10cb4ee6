#include "gateway/exchange.h"

#include <utility>

#include "absl/time/clock.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"

namespace platform::gateway {

TraceContext TraceFor(const HttpRequest& request) {
  const auto given = request.find(kTraceparentKey.data());
  // Continued as the gateway's own span; an invalid header starts a new trace.
  if (given == request.end()) return NewTrace();
  return ContinueOrStartTrace(ToAbsl(given->value())).Child();
}

std::string RequestIdFor(const HttpRequest& request) {
  const auto given = request.find("X-Request-Id");
  if (given != request.end() && IsUsableRequestId(ToAbsl(given->value()))) {
    return std::string(ToAbsl(given->value()));
  }
  return NewRequestId();
}

Exchange::Exchange(const HttpRequest& request, Respond respond, Recorders recorders)
    : respond_(std::move(respond)),
      recorders_(recorders),
      request_id_(RequestIdFor(request)),
      trace_(TraceFor(request)),
      method_(ToAbsl(request.method_string())),
      path_(ToAbsl(request.target()).substr(0, ToAbsl(request.target()).find('?'))),
      version_(request.version()),
      keep_alive_(request.keep_alive()),
      start_(absl::Now()) {
  recorders_.in_flight.fetch_add(1);
}

void Exchange::Answer(unsigned status, std::string body, absl::string_view content_type) {
  Finish(MakeResponse(status, std::move(body), request_id_, version_, keep_alive_, content_type));
}

HttpResponse Exchange::Error(unsigned status, absl::string_view message) const {
  return MakeError(status, message, request_id_, version_, keep_alive_);
}

void Exchange::Finish(HttpResponse response) {
  const absl::Duration latency = absl::Now() - start_;
  const unsigned status = response.result_int();
  recorders_.metrics.Record(route_index_, status, latency);
  if (recorders_.access_log) {
    log::Info("request", {{"request_id", request_id_},
                          {"trace_id", trace_.trace_id},
                          {"method", method_},
                          {"path", path_},
                          {"status", static_cast<int>(status)},
                          {"micros", absl::ToInt64Microseconds(latency)}});
  }
  recorders_.in_flight.fetch_sub(1);
  respond_(std::move(response));
}

}  // namespace platform::gateway
