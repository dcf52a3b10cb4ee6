#include "gateway/route_table.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "platform/api/v1/http.pb.h"
#include "re2/re2.h"

namespace platform::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

std::vector<std::string> SplitPath(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
}

absl::StatusOr<std::vector<PathSegment>> ParsePath(absl::string_view path,
                                                   const Descriptor* request) {
  std::vector<PathSegment> segments;
  for (const std::string& part : SplitPath(path)) {
    PathSegment segment;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      const std::string name = part.substr(1, part.size() - 2);
      const FieldDescriptor* field = request == nullptr ? nullptr : request->FindFieldByName(name);
      if (field == nullptr || field->is_repeated() ||
          field->type() != FieldDescriptor::TYPE_STRING) {
        return absl::InvalidArgumentError(absl::StrCat(
            "path ", path, " binds {", name, "}, which is not a string field of its request"));
      }
      segment.field = field;
      const std::string& pattern = field->options().GetExtension(api::v1::path_pattern);
      if (!pattern.empty()) {
        segment.pattern = std::make_shared<const re2::RE2>(pattern);
        if (!segment.pattern->ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat(name, ": path_pattern ", pattern, ": ", segment.pattern->error()));
        }
      }
    } else {
      segment.literal = part;
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

Route GatewayRoute(const std::string& path, RouteKind kind) {
  Route route;
  route.http_method = "GET";
  route.name = absl::StrCat("GET ", path);
  route.kind = kind;
  for (std::string& part : SplitPath(path)) {
    route.path.push_back(PathSegment{std::move(part), nullptr, nullptr});
  }
  return route;
}

// The path with bindings written as {}, so that two routes that would
// match the same requests compare equal.
std::string PathShape(const Route& route) {
  std::string shape;
  for (const PathSegment& segment : route.path) {
    absl::StrAppend(&shape, "/", segment.field ? "{}" : segment.literal);
  }
  return shape;
}

absl::Status AddServiceRoutes(const ServiceDescriptor& service, std::vector<Route>& routes) {
  if (!service.options().HasExtension(api::v1::http_service)) {
    return absl::InvalidArgumentError(
        absl::StrCat(service.full_name(), " has no (platform.api.v1.http_service) option"));
  }
  const api::v1::HttpService& published = service.options().GetExtension(api::v1::http_service);
  if (published.prefix().empty() || published.prefix().front() != '/' ||
      published.upstream().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(service.full_name(), ": http_service needs a /prefix and an upstream"));
  }
  Route health =
      GatewayRoute(absl::StrCat(published.prefix(), "/health"), RouteKind::kServiceHealth);
  health.upstream = published.upstream();
  health.grpc_target = service.full_name();
  routes.push_back(std::move(health));

  for (int i = 0; i < service.method_count(); ++i) {
    const MethodDescriptor& method = *service.method(i);
    if (!method.options().HasExtension(api::v1::http)) continue;
    const api::v1::HttpRule& rule = method.options().GetExtension(api::v1::http);
    for (const std::string& path : rule.paths()) {
      const std::string full_path = absl::StrCat(published.prefix(), path);
      absl::StatusOr<std::vector<PathSegment>> segments = ParsePath(full_path, method.input_type());
      if (!segments.ok()) return segments.status();
      Route route;
      route.name = absl::StrCat(rule.method(), " ", full_path);
      route.http_method = rule.method();
      route.path = *std::move(segments);
      route.kind = RouteKind::kRpc;
      route.upstream = published.upstream();
      route.grpc_target = absl::StrCat("/", service.full_name(), "/", method.name());
      route.method = &method;
      route.body = rule.body();
      for (const std::string& name : rule.query_fields()) {
        const FieldDescriptor* field = method.input_type()->FindFieldByName(name);
        if (field == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(route.name, ": query field ", name, " is not in the request"));
        }
        route.query_fields.push_back(field);
      }
      route.forward_headers.assign(rule.forward_headers().begin(), rule.forward_headers().end());
      routes.push_back(std::move(route));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Route>> BuildRoutes(const std::vector<std::string>& published_services,
                                               const google::protobuf::DescriptorPool& pool) {
  std::vector<Route> routes;
  routes.push_back(GatewayRoute("/health", RouteKind::kGatewayHealth));
  routes.push_back(GatewayRoute("/openapi.json", RouteKind::kOpenApi));
  for (const std::string& name : published_services) {
    const ServiceDescriptor* service = pool.FindServiceByName(name);
    if (service == nullptr) {
      return absl::NotFoundError(absl::StrCat("no service named ", name));
    }
    if (absl::Status added = AddServiceRoutes(*service, routes); !added.ok()) {
      return added;
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const Route& route : routes) {
    if (!seen.emplace(route.http_method, PathShape(route)).second) {
      return absl::InvalidArgumentError(absl::StrCat("two routes for ", route.name));
    }
  }
  return routes;
}

}  // namespace platform::gateway
