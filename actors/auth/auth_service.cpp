#include "actors/auth/auth_service.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/grpc_context.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"
#include "actors/shared/runtime/trace_context.h"
#include "grpcpp/support/status.h"

namespace platform::auth {
namespace {

constexpr absl::string_view kTooMany = "Too many attempts, try again later";
// The gRPC trailer the gateway turns into the HTTP Retry-After header.
constexpr char kRetryAfterKey[] = "retry-after";
// The metadata the gateway gives the client's address in.
constexpr absl::string_view kClientAddressKey = "x-client-address";

// "ipv4:10.0.0.7:50312" -> "10.0.0.7"; "ipv6:[::1]:50312" -> "::1".
std::string HostOfPeer(const std::string& peer) {
  std::string host = peer.substr(peer.find(':') + 1);
  host = host.substr(0, host.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

// One login on its way: limits, then the password, then the answer,
// whichever thread each step's answer comes back on. Answered exactly once.
class AuthService::Login : public std::enable_shared_from_this<Login> {
 public:
  Login(const AuthService& service, IssueCall& call)
      : service_(service),
        call_(call),
        request_(call.request()),
        request_id_(RequestIdOf(call.context())),
        trace_id_(TraceOf(call.context()).trace_id),
        address_(ClientMetadata(call.context(), kClientAddressKey)) {
    if (address_.empty()) address_ = HostOfPeer(call.context().peer());
  }

  void Start() {
    // The reference's checks, in its order: blanks first, and no counting.
    if (request_.username().empty()) return Finish(absl::InvalidArgumentError("Username is blank"));
    if (request_.password().empty()) return Finish(absl::InvalidArgumentError("Password is blank"));
    if (service_.limiter_ == nullptr) return CheckPassword();
    service_.limiter_->Check(
        request_.username(), address_,
        [self = shared_from_this()](absl::StatusOr<int64_t> retry_after) {
          if (!retry_after.ok()) {
            // Redis cannot say: let the login go on rather than lock everyone out.
            log::Warn("login limits unavailable", {{"request_id", self->request_id_},
                                                   {"trace_id", self->trace_id_},
                                                   {"error", retry_after.status().message()}});
          } else if (*retry_after > 0) {
            return self->Finish(absl::ResourceExhaustedError(kTooMany), *retry_after);
          }
          self->CheckPassword();
        });
  }

 private:
  void CheckPassword() {
    users_ = service_.users();
    user_ = users_->Find(request_.username());
    if (user_ == nullptr) return Failed(absl::NotFoundError("User not found"));
    if (user_->password_hash.empty()) return Conclude(user_->PasswordMatches(request_.password()));
    const bool queued = service_.checker_->Submit([self = shared_from_this()] {
      self->Conclude(self->user_->PasswordMatches(self->request_.password()));
    });
    // Every checker busy and the queue full: a flood of logins.
    if (!queued) Finish(absl::ResourceExhaustedError(kTooMany), 1);
  }

  void Conclude(bool matches) {
    if (!matches) return Failed(absl::UnauthenticatedError("Invalid password"));
    // A disabled user still gets a token; it says enabled: false, and core
    // refuses its transactions.
    call_.response().set_token(service_.issuer_.Issue(*user_));
    Finish(absl::OkStatus());
  }

  // Counted before the answer, so that the next try already sees it.
  void Failed(absl::Status status) {
    if (service_.limiter_ == nullptr) return Finish(status);
    service_.limiter_->RecordFailure(
        request_.username(), address_,
        [self = shared_from_this(), status = std::move(status)] { self->Finish(status); });
  }

  void Finish(const absl::Status& status, int64_t retry_after_seconds = 0) {
    log::Info("token request",
              {{"request_id", request_id_},
               {"trace_id", trace_id_},
               {"username", request_.username()},
               {"client", address_},
               {"outcome", status.ok() ? absl::string_view("issued") : status.message()}});
    if (retry_after_seconds > 0) {
      call_.context().AddTrailingMetadata(kRetryAfterKey, absl::StrCat(retry_after_seconds));
    }
    call_.Finish(ToGrpcStatus(status));  // the call is gone after this
  }

  const AuthService& service_;
  IssueCall& call_;
  const v1::IssueTokenRequest& request_;
  std::string request_id_;
  std::string trace_id_;
  std::string address_;
  std::shared_ptr<const UserStore> users_;
  const User* user_ = nullptr;
};

AuthService::AuthService(UserStore users, TokenIssuer issuer, std::unique_ptr<LoginLimiter> limiter,
                         std::unique_ptr<PasswordChecker> checker)
    : users_(std::make_shared<const UserStore>(std::move(users))),
      issuer_(std::move(issuer)),
      limiter_(std::move(limiter)),
      checker_(std::move(checker)),
      issue_{&async_, &Async::RequestIssueToken, [this](IssueCall& call) { IssueToken(call); },
             metrics::ServerMetrics(v1::AuthService::service_full_name(), "IssueToken")} {}

ServedService AuthService::Served() {
  return {&async_, v1::AuthService::service_full_name(),
          [this](grpc::ServerCompletionQueue* queue) { IssueCall::AwaitNext(issue_, queue); }};
}

void AuthService::ReplaceUsers(UserStore users) {
  auto fresh = std::make_shared<const UserStore>(std::move(users));
  absl::MutexLock lock(&mutex_);
  users_ = std::move(fresh);
}

std::shared_ptr<const UserStore> AuthService::users() const {
  absl::MutexLock lock(&mutex_);
  return users_;
}

void AuthService::IssueToken(IssueCall& call) { std::make_shared<Login>(*this, call)->Start(); }

}  // namespace platform::auth
