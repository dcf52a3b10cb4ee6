// Raw bytes as a client sends them, through everything the gateway does
// before an upstream call: Beast's parser with the gateway's limits, the
// scan that names a header holding a control byte, the router, the JSON,
// path and query transcoding into the route's request message, and the
// metadata it would forward. Whatever comes in, what would go to gRPC must
// be something gRPC accepts (a value it refuses aborts the process), every
// refusal must be a 4xx, and the message must survive a JSON round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/grpc_context.h"
#include "boost/beast/http/parser.hpp"
#include "gateway/config.h"
#include "gateway/exchange.h"
#include "gateway/http_session.h"
#include "gateway/http_types.h"
#include "gateway/route_table.h"
#include "gateway/router.h"
#include "gateway/transcoder.h"
#include "gateway/upstream_request.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace {

using namespace platform::gateway;
using platform::IsValidMetadataValue;
using platform::ParseTraceparent;
using platform::TraceContext;

const Router& TheRouter() {
  static const Router* router = [] {
    platform::config::Environment env(
        [](absl::string_view) { return std::optional<std::string>(); });
    const GatewayConfig config = LoadGatewayConfig(env);
    absl::StatusOr<std::vector<Route>> routes =
        BuildRoutes(config.published_services, *google::protobuf::DescriptorPool::generated_pool());
    if (!routes.ok()) std::abort();
    return new Router(*std::move(routes));
  }();
  return *router;
}

void Check(bool holds) {
  if (!holds) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Router& router = TheRouter();
  const HttpLimits limits;  // the gateway's defaults
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(limits.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  const auto* bytes = reinterpret_cast<const char*>(data);
  size_t used = 0;
  boost::beast::error_code error;
  while (used < size && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::buffer(bytes + used, size - used), error);
    used += n;
    if (error == http::error::need_more && n > 0) {
      error = {};
      continue;
    }
    if (error) break;
  }
  if (error == http::error::bad_value) {
    // The gateway names the header in its 400: a name, never raw bytes.
    const std::string header = HeaderWithControlByte(absl::string_view(bytes + used, size - used));
    Check(IsValidMetadataValue(header));
    return 0;
  }
  if (!parser.is_done()) return 0;  // incomplete or refused: the session's business

  HttpRequest request = parser.release();
  const absl::string_view target = ToAbsl(request.target());
  const RouteMatch match =
      router.Match(ToAbsl(request.method_string()), target.substr(0, target.find('?')));
  if (match.outcome != RouteMatch::Outcome::kFound || match.route->kind != RouteKind::kRpc) {
    return 0;
  }
  const std::string request_id = RequestIdFor(request);
  Check(IsValidMetadataValue(request_id));
  // Whatever traceparent came in, what goes on is a valid one.
  const TraceContext trace = TraceFor(request);
  Check(ParseTraceparent(trace.Header()).has_value());
  const UpstreamRequest call = BuildUpstreamRequest(match, request, request_id, trace, "192.0.2.1");
  if (!call.ok()) {
    Check(call.error_status >= 400 && call.error_status < 500);
    return 0;
  }
  for (const auto& [key, value] : call.metadata) Check(IsValidMetadataValue(value));

  // The service parses what the gateway sends (a proto3 string that is not
  // UTF-8 would fail there: a 500 for bad input), and an answer of that
  // type turns into JSON.
  const google::protobuf::Descriptor& type = *match.route->method->input_type();
  std::unique_ptr<google::protobuf::Message> message = NewMessage(type);
  Check(message->ParseFromString(call.message));
  Check(!MessageToJson(*message).empty());
  return 0;
}
