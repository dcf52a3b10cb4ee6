#include "actors/psp_mock/psp_service.h"

#include <memory>

#include "actors/shared/runtime/grpc_context.h"
#include "actors/shared/runtime/logger.h"
#include "grpcpp/alarm.h"

namespace platform::psp_mock {

PspService::PspService(ChargeBook& book, LatencyOptions latency)
    : book_(book), latency_(latency) {}

grpc::ServerUnaryReactor* PspService::Charge(grpc::CallbackServerContext* context,
                                             const psp::v1::ChargeRequest* request,
                                             psp::v1::ChargeResponse* response) {
  ChargeBook::Decision decision = book_.Charge(*request);
  log::Info("charge", {{"idempotency_key", request->idempotency_key()},
                       {"user_id", request->user_id()},
                       {"amount", request->amount()},
                       {"currency", request->currency()},
                       {"repeat", decision.repeat},
                       {"outcome", decision.answer.ok()
                                       ? psp::v1::ChargeOutcome_Name(decision.answer->outcome())
                                       : std::string(decision.answer.status().message())}});
  const grpc::Status status = ToGrpcStatus(decision.answer.status());
  if (decision.answer.ok()) *response = *decision.answer;

  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Duration delay = latency_.latency + (decision.slow ? latency_.slow : absl::ZeroDuration());
  if (delay <= absl::ZeroDuration()) {
    reactor->Finish(status);
    return reactor;
  }
  // The alarm lives until it fires; it owns itself through the callback.
  auto alarm = std::make_shared<grpc::Alarm>();
  alarm->Set(absl::ToChronoTime(absl::Now() + delay),
             [reactor, status, alarm](bool) mutable {
               reactor->Finish(status);
               alarm.reset();
             });
  return reactor;
}

grpc::ServerUnaryReactor* PspService::Cancel(grpc::CallbackServerContext* context,
                                             const psp::v1::CancelRequest* request,
                                             psp::v1::CancelResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->idempotency_key().empty()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "idempotency_key is required"));
    return reactor;
  }
  *response = book_.Cancel(request->idempotency_key());
  log::Info("cancel", {{"idempotency_key", request->idempotency_key()},
                       {"charged", response->charged()}});
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PspService::ListCharges(grpc::CallbackServerContext* context,
                                                  const psp::v1::ListChargesRequest*,
                                                  psp::v1::ListChargesResponse* response) {
  for (psp::v1::Charge& charge : book_.List()) *response->add_charges() = std::move(charge);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace platform::psp_mock
