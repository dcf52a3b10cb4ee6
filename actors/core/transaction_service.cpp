#include "actors/core/transaction_service.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "actors/core/idempotency.h"
#include "actors/core/transaction_id.h"
#include "actors/core/transaction_validator.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/runtime/grpc_context.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"
#include "actors/shared/runtime/trace_context.h"

namespace platform::core {
namespace {

void Fill(const TransactionRecord& record, v1::Transaction& out) {
  out.set_amount(record.amount);
  out.set_currency(record.currency);
  out.set_user_id(record.user_id);
  out.set_id(record.id);
  out.set_status(record.status);
  out.set_psp_reference(record.psp_reference);
  out.set_reason(record.reason);
}

// The caller's time for an answer to travel back from core.
constexpr absl::Duration kAnswerMargin = absl::Milliseconds(100);
// A caller without a deadline (grpcurl by default) gets this one.
constexpr absl::Duration kLongestCreate = absl::Seconds(10);

// The moment past which a transaction must no longer be created: shortly
// before the caller gives up, so that nothing it was told failed is stored
// (and charged) later, by a Redis that stalled and then resumed. Wall-clock
// time, like the call's deadline and the Redis TIME the script compares it
// with: not the service's clock, which decides only what a token and an id
// say.
absl::Time CreateNotAfter(const grpc::ServerContext& context) {
  const absl::Time deadline = absl::FromChrono(context.deadline());
  return std::min(deadline, absl::Now() + kLongestCreate) - kAnswerMargin;
}

}  // namespace

TransactionService::TransactionService(jwt::Hs256 tokens, TransactionStore& store, Clock clock)
    : tokens_(std::move(tokens)),
      store_(store),
      clock_(std::move(clock)),
      create_{
          &async_, &Async::RequestCreateTransaction,
          [this](CreateCall& call) { CreateTransaction(call); },
          metrics::ServerMetrics(v1::TransactionService::service_full_name(), "CreateTransaction")},
      get_{&async_, &Async::RequestGetTransaction, [this](GetCall& call) { GetTransaction(call); },
           metrics::ServerMetrics(v1::TransactionService::service_full_name(), "GetTransaction")} {}

ServedService TransactionService::Served() {
  return {&async_, v1::TransactionService::service_full_name(),
          [this](grpc::ServerCompletionQueue* queue) {
            CreateCall::AwaitNext(create_, queue);
            GetCall::AwaitNext(get_, queue);
          }};
}

void TransactionService::CreateTransaction(CreateCall& call) {
  const absl::Time now = clock_();
  const std::string request_id = RequestIdOf(call.context());
  // Core's span of the caller's trace; the connector and the PSP continue it.
  const TraceContext trace = TraceOf(call.context()).Child();
  absl::StatusOr<ValidTransaction> valid = ValidateCreate(call.request(), tokens_, now);
  if (!valid.ok()) {
    log::Info("transaction refused", {{"request_id", request_id},
                                      {"trace_id", trace.trace_id},
                                      {"error", valid.status().message()}});
    return call.Finish(ToGrpcStatus(valid.status()));
  }
  absl::StatusOr<std::optional<IdempotencyClaim>> claim =
      MakeIdempotencyClaim(ClientMetadata(call.context(), "idempotency-key"), *valid);
  if (!claim.ok()) return call.Finish(ToGrpcStatus(claim.status()));

  TransactionRecord record;
  record.id = NewTransactionId(now);
  record.user_id = valid->user_id;
  record.amount = valid->amount;
  record.currency = valid->currency;
  record.status = std::string(ledger::status::kQueued);
  record.request_id = request_id;
  record.traceparent = trace.Header();
  record.created_at_ms = absl::ToUnixMillis(now);

  store_.Create(
      record, *claim, CreateNotAfter(call.context()),
      [call = &call, request_id, trace_id = trace.trace_id](absl::StatusOr<CreateOutcome> outcome) {
        if (!outcome.ok()) {
          log::Warn("transaction not stored", {{"request_id", request_id},
                                               {"trace_id", trace_id},
                                               {"error", outcome.status().message()}});
          call->Finish(ToGrpcStatus(outcome.status()));
          return;
        }
        const TransactionRecord& t = outcome->transaction;
        log::Info(outcome->replayed ? "transaction replayed" : "transaction queued",
                  {{"request_id", request_id},
                   {"trace_id", trace_id},
                   {"transaction_id", t.id},
                   {"user_id", t.user_id},
                   {"amount", t.amount},
                   {"currency", t.currency}});
        Fill(t, call->response());
        call->Finish(grpc::Status::OK);
      });
}

void TransactionService::GetTransaction(GetCall& call) {
  const v1::GetTransactionRequest& request = call.request();
  std::string token = request.token();
  if (token.empty()) {
    const std::string authorization = ClientMetadata(call.context(), "authorization");
    absl::string_view value = authorization;
    if (absl::ConsumePrefix(&value, "Bearer ") || absl::ConsumePrefix(&value, "bearer ")) {
      token = std::string(absl::StripAsciiWhitespace(value));
    }
  }
  absl::StatusOr<jwt::Claims> claims = Authenticate(token, tokens_, clock_());
  if (!claims.ok()) return call.Finish(ToGrpcStatus(claims.status()));
  if (!IsTransactionId(request.id())) {
    return call.Finish(ToGrpcStatus(absl::NotFoundError("Transaction not found")));
  }
  const int64_t user_id = claims->user_id;
  store_.Find(request.id(),
              [call = &call, user_id](absl::StatusOr<std::optional<TransactionRecord>> found) {
                if (!found.ok()) {
                  call->Finish(ToGrpcStatus(found.status()));
                  return;
                }
                if (!found->has_value()) {
                  call->Finish(ToGrpcStatus(absl::NotFoundError("Transaction not found")));
                  return;
                }
                if ((*found)->user_id != user_id) {
                  call->Finish(ToGrpcStatus(
                      absl::PermissionDeniedError("Transaction belongs to another user")));
                  return;
                }
                Fill(**found, call->response());
                call->Finish(grpc::Status::OK);
              });
}

}  // namespace platform::core
