#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace google::protobuf {
class DescriptorPool;
class FieldDescriptor;
class MethodDescriptor;
}  // namespace google::protobuf

namespace platform::gateway {

enum class RouteKind {
  kRpc,            // an RPC of a published service
  kServiceHealth,  // GET <prefix>/health: the service's grpc.health.v1 status
  kGatewayHealth,  // GET /health: every upstream's health
  kOpenApi,        // GET /openapi.json: the document of these routes (openapi.h)
};

// One segment of a route's path: a literal, or a binding of the segment to a
// request field ("{id}"), optionally constrained by the field's path_pattern.
struct PathSegment {
  std::string literal;
  const google::protobuf::FieldDescriptor* field = nullptr;
  std::shared_ptr<const re2::RE2> pattern;
};

struct Route {
  std::string name;  // "POST /auth/token": how logs and metrics name it
  std::string http_method;
  std::vector<PathSegment> path;
  RouteKind kind = RouteKind::kRpc;
  std::string upstream;  // kRpc, kServiceHealth: which upstream serves it
  // kRpc: "/platform.auth.v1.AuthService/IssueToken";
  // kServiceHealth: the full service name to ask grpc.health.v1 about.
  std::string grpc_target;
  const google::protobuf::MethodDescriptor* method = nullptr;  // kRpc
  bool body = false;
  std::vector<const google::protobuf::FieldDescriptor*> query_fields;
  std::vector<std::string> forward_headers;  // lower case
};

// The routes of the gateway: those the published services declare with the
// platform.api.v1 http options (see proto/platform/api/v1/http.proto), a
// health route per service prefix, and the gateway's own /health and
// /openapi.json. Fails on a service that is missing from `pool`, has no
// http_service option, or declares a route that clashes or binds a field
// its request lacks.
absl::StatusOr<std::vector<Route>> BuildRoutes(const std::vector<std::string>& published_services,
                                               const google::protobuf::DescriptorPool& pool);

}  // namespace platform::gateway
