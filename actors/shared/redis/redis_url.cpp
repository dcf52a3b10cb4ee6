#include "actors/shared/redis/redis_url.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

absl::StatusOr<std::vector<HostPort>> ParseSentinels(absl::string_view list) {
  std::vector<HostPort> sentinels;
  for (const absl::string_view item : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    const absl::string_view address = absl::StripAsciiWhitespace(item);
    // Echoed escaped: the message stays one readable line whatever came.
    const std::string shown = absl::CHexEscape(address);
    HostPort sentinel{std::string(address), 26379};
    if (const size_t colon = address.rfind(':'); colon != absl::string_view::npos) {
      int port = 0;
      if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 || port > 65535) {
        return absl::InvalidArgumentError(
            absl::StrCat("REDIS_SENTINELS: ", shown, " is not host:port"));
      }
      sentinel = HostPort{std::string(address.substr(0, colon)), static_cast<uint16_t>(port)};
    }
    if (sentinel.host.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("REDIS_SENTINELS: ", shown, " has no host"));
    }
    // A host name or an IPv4 address: nothing else reaches the resolver.
    for (const char c : sentinel.host) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
        return absl::InvalidArgumentError(
            absl::StrCat("REDIS_SENTINELS: ", shown, " is not host:port"));
      }
    }
    sentinels.push_back(std::move(sentinel));
  }
  return sentinels;
}

Endpoint EndpointFromEnvironment(config::Environment& env) {
  const std::string url =
      env.String("REDIS_URL", "redis://127.0.0.1:6379/0", "redis://[:password@]host:port/db");
  const std::string sentinels = env.String(
      "REDIS_SENTINELS", "",
      "host:port,... of Redis Sentinels to ask for the primary (then REDIS_URL's host is not "
      "used)");
  const std::string master_name =
      env.String("REDIS_MASTER_NAME", "platform", "the primary's name at the Sentinels");
  const std::string password_file = env.String(
      "REDIS_PASSWORD_FILE", "", "a file holding the Redis password (instead of REDIS_URL's)");
  absl::StatusOr<Endpoint> endpoint = ParseUrl(url);
  if (!endpoint.ok()) {
    env.Fail(std::string(endpoint.status().message()));
    return Endpoint{};
  }
  absl::StatusOr<std::vector<HostPort>> parsed = ParseSentinels(sentinels);
  if (!parsed.ok()) {
    env.Fail(std::string(parsed.status().message()));
    return Endpoint{};
  }
  endpoint->sentinels = *std::move(parsed);
  endpoint->master_name = master_name;
  if (!password_file.empty()) {
    absl::StatusOr<std::string> password =
        config::ReadSecretFile("REDIS_PASSWORD_FILE", password_file);
    if (!password.ok()) {
      env.Fail(std::string(password.status().message()));
      return Endpoint{};
    }
    endpoint->password = *std::move(password);
  }
  return *endpoint;
}

}  // namespace platform::redis
