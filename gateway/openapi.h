#pragma once

#include <string>
#include <vector>

#include "gateway/route_table.h"

namespace platform::gateway {

// The OpenAPI 3 document of the HTTP API (GET /openapi.json), made from the
// gateway's own routes: the same http options and message descriptors that
// route and transcode requests, so the document cannot drift from what the
// gateway does. Each RPC route is an operation (its summary, path, query
// and header parameters, JSON body and answer from the request and
// response messages), with the error shape {"error": "..."} under the
// statuses SPEC.md gives it; the health routes and the document itself are
// operations too. Made once, at start.
std::string OpenApiDocument(const std::vector<Route>& routes);

}  // namespace platform::gateway
