#pragma once

#include <string>

#include "actors/shared/runtime/trace_context.h"
#include "gateway/http_types.h"
#include "gateway/router.h"
#include "gateway/upstreams.h"

namespace platform::gateway {

// The gRPC call one routed HTTP request becomes: the request message (from
// the JSON body, the path's bindings and the query) and the metadata (the
// request id, the client's address, the headers the route forwards), or the
// 4xx the client gets instead. Pure: no I/O, so the fuzzer drives it too.
struct UpstreamRequest {
  unsigned error_status = 0;  // 0 when the call was built
  std::string error;          // the client's message otherwise
  std::string message;        // the request message, serialised
  Upstreams::Metadata metadata;

  bool ok() const { return error_status == 0; }
};

// `match` must be kFound, for a route of kind kRpc.
UpstreamRequest BuildUpstreamRequest(const RouteMatch& match, const HttpRequest& request,
                                     const std::string& request_id, const TraceContext& trace,
                                     const std::string& client_address);

}  // namespace platform::gateway
