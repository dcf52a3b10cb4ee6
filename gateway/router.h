#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/route_table.h"

namespace platform::gateway {

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;
  // Path segments bound to request fields, for kFound.
  std::vector<std::pair<const google::protobuf::FieldDescriptor*, std::string>> bindings;
  // The methods the path does accept ("GET, POST"), for kMethodNotAllowed.
  std::string allow;
};

// Finds the route for a method and path. A path matches a route when every
// segment equals the route's literal or fits its binding's pattern; a path
// that matches only routes of other methods is 405 (with Allow), one that
// matches none is 404. Literal segments win over bindings.
class Router {
 public:
  explicit Router(std::vector<Route> routes);

  // `path` is the request target without its query string.
  RouteMatch Match(absl::string_view method, absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;  // literal-only routes first
};

}  // namespace platform::gateway
