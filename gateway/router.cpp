#include "gateway/router.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "re2/re2.h"

namespace platform::gateway {
namespace {

size_t BindingCount(const Route& route) {
  return std::count_if(route.path.begin(), route.path.end(),
                       [](const PathSegment& s) { return s.field != nullptr; });
}

bool PathMatches(const Route& route, const std::vector<absl::string_view>& segments) {
  if (route.path.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const PathSegment& expected = route.path[i];
    if (expected.field == nullptr) {
      if (segments[i] != expected.literal) return false;
    } else if (expected.pattern != nullptr &&
               !re2::RE2::FullMatch(re2::StringPiece(segments[i].data(), segments[i].size()),
                                    *expected.pattern)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    return BindingCount(a) < BindingCount(b);
  });
}

RouteMatch Router::Match(absl::string_view method, absl::string_view path) const {
  RouteMatch match;
  if (path.empty() || path.front() != '/') return match;
  // "/auth/token/" is not "/auth/token": no empty segments are allowed but
  // the root's.
  const std::vector<absl::string_view> segments =
      path == "/" ? std::vector<absl::string_view>{}
                  : std::vector<absl::string_view>(absl::StrSplit(path.substr(1), '/'));
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    if (!PathMatches(route, segments)) continue;
    if (route.http_method != method) {
      allowed.insert(route.http_method);
      continue;
    }
    match.outcome = RouteMatch::Outcome::kFound;
    match.route = &route;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.path[i].field != nullptr) {
        match.bindings.emplace_back(route.path[i].field, std::string(segments[i]));
      }
    }
    return match;
  }
  if (!allowed.empty()) {
    match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    match.allow = absl::StrJoin(allowed, ", ");
  }
  return match;
}

}  // namespace platform::gateway
