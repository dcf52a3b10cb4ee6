#include "gateway/request_handler.h"

#include <memory>
#include <mutex>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/json_text.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"
#include "boost/beast/http/field.hpp"
#include "gateway/status_map.h"
#include "gateway/transcoder.h"
#include "gateway/upstream_request.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace platform::gateway {
namespace {

using google::protobuf::Message;

// The message a client sees for a failed call: the service's own words for
// the errors it answers on purpose (4xx), never gRPC's transport details.
std::string ClientMessage(const grpc::Status& status, const std::string& upstream) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return absl::StrCat("The ", upstream, " service is unavailable");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat("The ", upstream, " service did not answer in time");
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::UNIMPLEMENTED:
      return absl::StrCat("The ", upstream, " service failed");
    default:
      return status.error_message();
  }
}

}  // namespace

// One request on its way through the gateway, answered exactly once.
class RequestHandler::Exchange {
 public:
  Exchange(const RequestHandler& handler, const HttpRequest& request, Respond respond)
      : handler_(handler),
        respond_(std::move(respond)),
        request_id_(RequestIdFor(request)),
        method_(ToAbsl(request.method_string())),
        // The path only: a query may carry a token (GET ...?token=).
        path_(ToAbsl(request.target()).substr(0, ToAbsl(request.target()).find('?'))),
        version_(request.version()),
        keep_alive_(request.keep_alive()),
        start_(absl::Now()) {
    handler_.in_flight_.fetch_add(1);
  }

  const std::string& request_id() const { return request_id_; }
  void set_route(size_t index) { route_index_ = index; }

  void Answer(unsigned status, std::string body,
              absl::string_view content_type = "application/json") {
    Finish(MakeResponse(status, std::move(body), request_id_, version_, keep_alive_, content_type));
  }

  void Fail(unsigned status, absl::string_view message) { Finish(Error(status, message)); }

  HttpResponse Error(unsigned status, absl::string_view message) const {
    return MakeError(status, message, request_id_, version_, keep_alive_);
  }

  void Finish(HttpResponse response) {
    const absl::Duration latency = absl::Now() - start_;
    const unsigned status = response.result_int();
    handler_.metrics_.Record(route_index_, status, latency);
    if (handler_.settings_.access_log) {
      log::Info("request", {{"request_id", request_id_},
                            {"method", method_},
                            {"path", path_},
                            {"status", static_cast<int>(status)},
                            {"micros", absl::ToInt64Microseconds(latency)}});
    }
    handler_.in_flight_.fetch_sub(1);
    respond_(std::move(response));
  }

 private:
  const RequestHandler& handler_;
  Respond respond_;
  std::string request_id_;
  std::string method_;
  std::string path_;
  unsigned version_;
  bool keep_alive_;
  absl::Time start_;
  size_t route_index_ = Metrics::kUnrouted;
};

RequestHandler::RequestHandler(const Router& router, const Upstreams& upstreams, Metrics& metrics,
                               HandlerSettings settings)
    : router_(router), upstreams_(upstreams), metrics_(metrics), settings_(settings) {}

std::string RequestHandler::RequestIdFor(const HttpRequest& request) {
  const auto given = request.find("X-Request-Id");
  if (given != request.end() && IsUsableRequestId(ToAbsl(given->value()))) {
    return std::string(ToAbsl(given->value()));
  }
  return NewRequestId();
}

void RequestHandler::Handle(HttpRequest request, const std::string& client_address,
                            Respond respond) const {
  auto exchange = std::make_shared<Exchange>(*this, request, std::move(respond));
  const absl::string_view target = ToAbsl(request.target());
  const absl::string_view path = target.substr(0, target.find('?'));
  const RouteMatch match = router_.Match(ToAbsl(request.method_string()), path);
  switch (match.outcome) {
    case RouteMatch::Outcome::kNotFound:
      exchange->Fail(404, "Not found");
      return;
    case RouteMatch::Outcome::kMethodNotAllowed: {
      HttpResponse response = MakeError(405, "Method not allowed", exchange->request_id(),
                                        request.version(), request.keep_alive());
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
    case RouteKind::kMetrics:
      exchange->Answer(200, metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
      return;
    case RouteKind::kGatewayHealth:
      CheckAll(exchange);
      return;
    case RouteKind::kServiceHealth:
      CheckService(exchange, route);
      return;
    case RouteKind::kRpc:
      CallRpc(exchange, match, request, client_address);
      return;
  }
}

void RequestHandler::CallRpc(const std::shared_ptr<Exchange>& exchange, const RouteMatch& match,
                             HttpRequest& request, const std::string& client_address) const {
  const Route& route = *match.route;
  UpstreamRequest call =
      BuildUpstreamRequest(match, request, exchange->request_id(), client_address);
  if (!call.ok()) {
    exchange->Fail(call.error_status, call.error);
    return;
  }
  const google::protobuf::Descriptor* answer_type = route.method->output_type();
  const std::string upstream = route.upstream;
  upstreams_.Call(
      route.upstream, route.grpc_target, std::move(call.message), call.metadata,
      settings_.upstream_deadline,
      [exchange, answer_type, upstream](grpc::Status status, std::string bytes,
                                        std::string retry_after) {
        if (!status.ok()) {
          if (HttpStatusFor(status.error_code()) >= 500) {
            log::Warn("upstream call failed", {{"request_id", exchange->request_id()},
                                               {"upstream", upstream},
                                               {"code", static_cast<int>(status.error_code())},
                                               {"error", status.error_message()}});
          }
          const unsigned http_status = HttpStatusFor(status.error_code());
          HttpResponse response = exchange->Error(http_status, ClientMessage(status, upstream));
          // A service that refuses for a while says for how long (429, 503).
          if (!retry_after.empty() && retry_after.size() <= 6 &&
              absl::c_all_of(retry_after, absl::ascii_isdigit)) {
            response.set(http::field::retry_after, retry_after);
          }
          exchange->Finish(std::move(response));
          return;
        }
        std::unique_ptr<Message> answer = NewMessage(*answer_type);
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
                         [exchange](absl::Status status) {
                           // The reference's health body; "fail" with 503 when not serving.
                           exchange->Answer(status.ok() ? 200 : 503,
                                            status.ok() ? R"({"checks": {}, "status": "pass"})"
                                                        : R"({"checks": {}, "status": "fail"})");
                         });
}

void RequestHandler::CheckAll(const std::shared_ptr<Exchange>& exchange) const {
  // Ask every upstream at once; answer when the last one has answered.
  struct Tally {
    std::mutex mutex;
    std::map<std::string, absl::Status> results;
    size_t waiting = 0;
  };
  auto tally = std::make_shared<Tally>();
  const std::vector<std::string> names = upstreams_.names();
  tally->waiting = names.size();
  if (names.empty()) {
    exchange->Answer(200, R"({"checks": {}, "status": "pass"})");
    return;
  }
  for (const std::string& name : names) {
    upstreams_.CheckHealth(
        name, "", settings_.health_deadline, [exchange, tally, name](absl::Status status) {
          std::unique_lock lock(tally->mutex);
          tally->results[name] = std::move(status);
          if (--tally->waiting != 0) return;
          bool all_pass = true;
          std::string checks;
          for (const auto& [upstream, result] : tally->results) {
            if (!checks.empty()) checks += ", ";
            absl::StrAppend(&checks, json::Quoted(upstream),
                            ": {\"status\": ", result.ok() ? "\"pass\"" : "\"fail\"");
            if (!result.ok()) {
              all_pass = false;
              absl::StrAppend(&checks, ", \"output\": ", json::Quoted(result.message()));
            }
            checks += "}";
          }
          lock.unlock();
          exchange->Answer(all_pass ? 200 : 503,
                           absl::StrCat("{\"checks\": {", checks, "}, \"status\": \"",
                                        all_pass ? "pass" : "fail", "\"}"));
        });
  }
}

}  // namespace platform::gateway
