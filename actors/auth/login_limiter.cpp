#include "actors/auth/login_limiter.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>

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

// Each counter is asked (or counted) by a script of its own, so that a
// Redis Cluster may keep the two in different slots; both go out in the
// same pipelined batch. Whichever answer comes last gives the verdict.
void LoginLimiter::Check(const std::string& username, const std::string& address, Verdict done) {
  struct Verdicts {
    std::array<absl::StatusOr<int64_t>, 2> wait;  // each written before `pending` drops
    std::atomic<int> pending{2};
    Verdict done;
  };
  auto verdicts = std::make_shared<Verdicts>();
  verdicts->done = std::move(done);
  const std::vector<std::string> keys = Keys(username, address);
  const std::array<int64_t, 2> limits = {limits_.max_failures_per_user,
                                         limits_.max_failures_per_address};
  for (size_t i = 0; i < verdicts->wait.size(); ++i) {
    pipeline_.Submit(CheckScript().Call({keys[i]}, {absl::StrCat(limits[i])}),
                     [verdicts, i](absl::StatusOr<redis::Reply> reply) {
                       if (!reply.ok()) {
                         verdicts->wait[i] = reply.status();
                       } else if (reply->type != redis::Reply::Type::kInteger) {
                         verdicts->wait[i] = absl::UnavailableError(
                             absl::StrCat("login limits unreadable: ", reply->text));
                       } else {
                         verdicts->wait[i] = reply->integer;
                       }
                       if (verdicts->pending.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
                       for (const absl::StatusOr<int64_t>& wait : verdicts->wait) {
                         if (!wait.ok()) return verdicts->done(wait.status());
                       }
                       verdicts->done(std::max(*verdicts->wait[0], *verdicts->wait[1]));
                     });
  }
}

void LoginLimiter::RecordFailure(const std::string& username, const std::string& address,
                                 std::function<void()> done) {
  auto pending = std::make_shared<std::atomic<int>>(2);
  auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
  for (const std::string& key : Keys(username, address)) {
    pipeline_.Submit(
        FailureScript().Call({key}, {absl::StrCat(absl::ToInt64Seconds(limits_.window))}),
        [pending, shared_done](const absl::StatusOr<redis::Reply>&) {
          if (pending->fetch_sub(1, std::memory_order_acq_rel) == 1) (*shared_done)();
        });
  }
}

}  // namespace platform::auth
