#include "actors/psp_mock/psp_service.h"

#include <memory>

#include "actors/shared/runtime/grpc_context.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"
#include "actors/shared/runtime/trace_context.h"

namespace platform::psp_mock {
namespace {
const char* const kService = psp::v1::PspService::service_full_name();
}  // namespace

PspService::PspService(ChargeBook& book, LatencyOptions latency)
    : book_(book),
      latency_(latency),
      charge_{&async_, &Async::RequestCharge, [this](ChargeCall& call) { Charge(call); },
              metrics::ServerMetrics(kService, "Charge")},
      cancel_{&async_, &Async::RequestCancel, [this](CancelCall& call) { Cancel(call); },
              metrics::ServerMetrics(kService, "Cancel")},
      list_{&async_, &Async::RequestListCharges, [this](ListCall& call) { ListCharges(call); },
            metrics::ServerMetrics(kService, "ListCharges")} {}

ServedService PspService::Served() {
  return {&async_, psp::v1::PspService::service_full_name(),
          [this](grpc::ServerCompletionQueue* queue) {
            ChargeCall::AwaitNext(charge_, queue);
            CancelCall::AwaitNext(cancel_, queue);
            ListCall::AwaitNext(list_, queue);
          }};
}

void PspService::Charge(ChargeCall& call) {
  const psp::v1::ChargeRequest& request = call.request();
  ChargeBook::Decision decision = book_.Charge(request);
  log::Info("charge", {{"request_id", RequestIdOf(call.context())},
                       {"trace_id", TraceOf(call.context()).trace_id},
                       {"idempotency_key", request.idempotency_key()},
                       {"user_id", request.user_id()},
                       {"amount", request.amount()},
                       {"currency", request.currency()},
                       {"repeat", decision.repeat},
                       {"outcome", decision.answer.ok()
                                       ? psp::v1::ChargeOutcome_Name(decision.answer->outcome())
                                       : std::string(decision.answer.status().message())}});
  grpc::Status status = ToGrpcStatus(decision.answer.status());
  if (decision.answer.ok()) call.response() = *decision.answer;
  const absl::Duration delay =
      latency_.latency + (decision.slow ? latency_.slow : absl::ZeroDuration());
  if (delay <= absl::ZeroDuration()) {
    call.Finish(status);
  } else {
    call.FinishAt(absl::Now() + delay, std::move(status));
  }
}

void PspService::Cancel(CancelCall& call) {
  const psp::v1::CancelRequest& request = call.request();
  if (request.idempotency_key().empty()) {
    call.Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "idempotency_key is required"));
    return;
  }
  call.response() = book_.Cancel(request.idempotency_key());
  log::Info("cancel", {{"trace_id", TraceOf(call.context()).trace_id},
                       {"idempotency_key", request.idempotency_key()},
                       {"charged", call.response().charged()}});
  call.Finish(grpc::Status::OK);
}

void PspService::ListCharges(ListCall& call) {
  for (psp::v1::Charge& charge : book_.List()) *call.response().add_charges() = std::move(charge);
  call.Finish(grpc::Status::OK);
}

}  // namespace platform::psp_mock
