#include "actors/shared/redis/redis_url.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace platform::redis {

namespace {

// The URL with its credentials (anything before the last '@') hidden, for
// messages: a password must not reach a log or a terminal.
std::string Redacted(absl::string_view url) {
  const size_t at = url.rfind('@');
  if (at == absl::string_view::npos) return std::string(url);
  const size_t scheme = url.find("://");
  const size_t start = scheme == absl::string_view::npos || scheme > at ? 0 : scheme + 3;
  return absl::StrCat(url.substr(0, start), "***", url.substr(at));
}

}  // namespace

absl::StatusOr<Endpoint> ParseUrl(absl::string_view url) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "REDIS_URL=", Redacted(url), " is not redis://[:password@]host:port/db (", why, ")"));
  };
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "redis://")) return bad("scheme");
  Endpoint endpoint;
  if (const size_t at = rest.rfind('@'); at != absl::string_view::npos) {
    absl::string_view credentials = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    // "user:password" or ":password"; Redis 6 ACL users are not used here.
    const size_t colon = credentials.find(':');
    endpoint.password =
        std::string(colon == absl::string_view::npos ? credentials : credentials.substr(colon + 1));
  }
  if (const size_t slash = rest.find('/'); slash != absl::string_view::npos) {
    const absl::string_view db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty() && (!absl::SimpleAtoi(db, &endpoint.db) || endpoint.db < 0)) {
      return bad("database number");
    }
  }
  if (const size_t colon = rest.rfind(':'); colon != absl::string_view::npos) {
    int port = 0;
    if (!absl::SimpleAtoi(rest.substr(colon + 1), &port) || port <= 0 || port > 65535) {
      return bad("port");
    }
    endpoint.port = static_cast<uint16_t>(port);
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("host");
  endpoint.host = std::string(rest);
  return endpoint;
}

Endpoint EndpointFromEnvironment(config::Environment& env) {
  const std::string url =
      env.String("REDIS_URL", "redis://127.0.0.1:6379/0", "redis://[:password@]host:port/db");
  absl::StatusOr<Endpoint> endpoint = ParseUrl(url);
  if (!endpoint.ok()) {
    env.Fail(std::string(endpoint.status().message()));
    return Endpoint{};
  }
  return *endpoint;
}

}  // namespace platform::redis
