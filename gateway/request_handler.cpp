#include "gateway/request_handler.h"

#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/health_report.h"
#include "actors/shared/runtime/logger.h"
#include "boost/beast/http/field.hpp"
#include "gateway/health_checks.h"
#include "gateway/status_map.h"
#include "gateway/transcoder.h"
#include "gateway/upstream_request.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace platform::gateway {
namespace {

// The HTTP answer to a failed call: the status the table maps it to, the
// client's message, and Retry-After when the service said how long it
// refuses (429, 503).
HttpResponse FailedCall(const Exchange& exchange, const grpc::Status& status,
                        const std::string& upstream, const std::string& retry_after) {
  const unsigned http_status = HttpStatusFor(status.error_code());
  if (http_status >= 500) {
    log::Warn("upstream call failed", {{"request_id", exchange.request_id()},
                                       {"trace_id", exchange.trace().trace_id},
                                       {"upstream", upstream},
                                       {"code", static_cast<int>(status.error_code())},
                                       {"error", status.error_message()}});
  }
  HttpResponse response = exchange.Error(http_status, ClientMessageFor(status, upstream));
  if (!retry_after.empty() && retry_after.size() <= 6 &&
      absl::c_all_of(retry_after, absl::ascii_isdigit)) {
    response.set(http::field::retry_after, retry_after);
  }
  return response;
}

}  // namespace

RequestHandler::RequestHandler(const Router& router, const Upstreams& upstreams, Metrics& metrics,
                               HandlerSettings settings)
    : router_(router), upstreams_(upstreams), metrics_(metrics), settings_(std::move(settings)) {}

void RequestHandler::Handle(HttpRequest request, const std::string& client_address,
                            Respond respond) const {
  auto exchange = std::make_shared<Exchange>(
      request, std::move(respond), Exchange::Recorders{metrics_, in_flight_, settings_.access_log});
  const absl::string_view target = ToAbsl(request.target());
  const RouteMatch match =
      router_.Match(ToAbsl(request.method_string()), target.substr(0, target.find('?')));
  switch (match.outcome) {
    case RouteMatch::Outcome::kNotFound:
      exchange->Fail(404, "Not found");
      return;
    case RouteMatch::Outcome::kMethodNotAllowed: {
      HttpResponse response = exchange->Error(405, "Method not allowed");
      response.set(http::field::allow, match.allow);
      exchange->Finish(std::move(response));
      return;
    }
    case RouteMatch::Outcome::kFound:
      break;
  }
  const Route& route = *match.route;
  exchange->set_route(static_cast<size_t>(&route - router_.routes().data()) + 1);
  switch (route.kind) {
    case RouteKind::kGatewayHealth:
      CheckAll(exchange);
      return;
    case RouteKind::kServiceHealth:
      CheckService(exchange, route);
      return;
    case RouteKind::kRpc:
      CallRpc(exchange, match, request, client_address);
      return;
    case RouteKind::kOpenApi:
      exchange->Answer(200, settings_.openapi_document);
      return;
  }
}

void RequestHandler::CallRpc(const std::shared_ptr<Exchange>& exchange, const RouteMatch& match,
                             HttpRequest& request, const std::string& client_address) const {
  const Route& route = *match.route;
  UpstreamRequest call = BuildUpstreamRequest(match, request, exchange->request_id(),
                                              exchange->trace(), client_address);
  if (!call.ok()) {
    exchange->Fail(call.error_status, call.error);
    return;
  }
  const google::protobuf::Descriptor* answer_type = route.method->output_type();
  upstreams_.Call(
      route.upstream, route.grpc_target, call.message, call.metadata, settings_.upstream_deadline,
      [exchange, answer_type, upstream = route.upstream](
          const grpc::Status& status, const std::string& bytes, const std::string& retry_after) {
        if (!status.ok()) {
          exchange->Finish(FailedCall(*exchange, status, upstream, retry_after));
          return;
        }
        std::unique_ptr<google::protobuf::Message> answer = NewMessage(*answer_type);
        if (!answer->ParseFromString(bytes)) {
          exchange->Fail(502, absl::StrCat("The ", upstream, " service sent an unreadable answer"));
          return;
        }
        exchange->Answer(200, MessageToJson(*answer));
      });
}

void RequestHandler::CheckService(const std::shared_ptr<Exchange>& exchange,
                                  const Route& route) const {
  upstreams_.CheckHealth(route.upstream, route.grpc_target, settings_.health_deadline,
                         [exchange](const absl::Status& status) {
                           // The reference's body: no checks, "fail" and 503 when not serving.
                           exchange->Answer(status.ok() ? 200 : 503,
                                            HealthReport({}, /*serving=*/status.ok()));
                         });
}

void RequestHandler::CheckAll(const std::shared_ptr<Exchange>& exchange) const {
  CheckEveryUpstream(upstreams_, settings_.health_deadline,
                     [exchange](unsigned status, std::string report) {
                       exchange->Answer(status, std::move(report));
                     });
}

}  // namespace platform::gateway
