#include "actors/auth/login_limiter.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/redis/script.h"
#include "actors/shared/runtime/digest.h"

namespace platform::auth {
namespace {

// KEYS: the username's counter, the address's. ARGV: their limits.
// Answers the seconds until both are under their limits (0: now).
const redis::Script kCheckScript(R"lua(
local wait = 0
for i = 1, 2 do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 1 then ttl = 1 end
    if ttl > wait then wait = ttl end
  end
end
return wait
)lua");

// KEYS: the username's counter, the address's. ARGV: the window (s).
// A window starts with its first failure and is not extended by the rest.
const redis::Script kFailureScript(R"lua(
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 or redis.call('TTL', KEYS[i]) < 0 then
    redis.call('EXPIRE', KEYS[i], ARGV[1])
  end
end
return 1
)lua");

}  // namespace

LoginLimiter::LoginLimiter(const redis::Endpoint& endpoint, redis::PipelineOptions options,
                           LoginLimits limits)
    : limits_(limits), pipeline_(endpoint, options) {}

std::vector<std::string> LoginLimiter::Keys(const std::string& username,
                                            const std::string& address) const {
  return {absl::StrCat("login:failures:user:", Sha256Hex(username)),
          absl::StrCat("login:failures:address:", Sha256Hex(address))};
}

void LoginLimiter::Check(const std::string& username, const std::string& address, Verdict done) {
  pipeline_.Submit(
      kCheckScript.Call(Keys(username, address), {absl::StrCat(limits_.max_failures_per_user),
                                                  absl::StrCat(limits_.max_failures_per_address)}),
      [done = std::move(done)](absl::StatusOr<redis::Reply> reply) {
        if (!reply.ok()) return done(reply.status());
        if (reply->type != redis::Reply::Type::kInteger) {
          return done(
              absl::UnavailableError(absl::StrCat("login limits unreadable: ", reply->text)));
        }
        done(reply->integer);
      });
}

void LoginLimiter::RecordFailure(const std::string& username, const std::string& address,
                                 std::function<void()> done) {
  pipeline_.Submit(kFailureScript.Call(Keys(username, address),
                                       {absl::StrCat(absl::ToInt64Seconds(limits_.window))}),
                   [done = std::move(done)](absl::StatusOr<redis::Reply>) { done(); });
}

}  // namespace platform::auth
