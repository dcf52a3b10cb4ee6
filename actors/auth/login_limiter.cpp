#include "actors/auth/login_limiter.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/redis/script.h"
#include "actors/shared/runtime/digest.h"

namespace platform::lua {
// Made from scripts/*.lua by platform_lua_scripts.
extern const char kCheckLoginLua[];
extern const char kRecordLoginFailureLua[];
}  // namespace platform::lua

namespace platform::auth {
namespace {

const redis::Script& CheckScript() { return redis::ScriptOf<lua::kCheckLoginLua>(); }
const redis::Script& FailureScript() { return redis::ScriptOf<lua::kRecordLoginFailureLua>(); }

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
      CheckScript().Call(Keys(username, address), {absl::StrCat(limits_.max_failures_per_user),
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
  pipeline_.Submit(FailureScript().Call(Keys(username, address),
                                        {absl::StrCat(absl::ToInt64Seconds(limits_.window))}),
                   [done = std::move(done)](const absl::StatusOr<redis::Reply>&) { done(); });
}

}  // namespace platform::auth
