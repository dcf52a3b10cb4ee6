#pragma once

#include "absl/time/time.h"
#include "actors/psp_mock/charge_book.h"
#include "actors/shared/runtime/grpc_server.h"
#include "actors/shared/runtime/unary_call.h"
#include "platform/psp/v1/psp.grpc.pb.h"

namespace platform::psp_mock {

struct LatencyOptions {
  // Added to every answer.
  absl::Duration latency = absl::ZeroDuration();
  // The answer time of the slow test amount (504).
  absl::Duration slow = absl::Seconds(3);
};

// platform.psp.v1.PspService, served from completion queues. Delayed
// answers wait on an alarm of the call's queue, not on a thread: thousands
// of slow charges cost no threads.
class PspService {
 public:
  using Async = psp::v1::PspService::AsyncService;
  using ChargeCall = UnaryCall<Async, psp::v1::ChargeRequest, psp::v1::ChargeResponse>;
  using CancelCall = UnaryCall<Async, psp::v1::CancelRequest, psp::v1::CancelResponse>;
  using ListCall = UnaryCall<Async, psp::v1::ListChargesRequest, psp::v1::ListChargesResponse>;

  PspService(ChargeBook& book, LatencyOptions latency);

  // What the gRPC server serves: this service's methods on every queue.
  ServedService Served();

  void Charge(ChargeCall& call);
  void Cancel(CancelCall& call);
  void ListCharges(ListCall& call);

 private:
  ChargeBook& book_;
  LatencyOptions latency_;
  Async async_;
  ChargeCall::Method charge_;
  CancelCall::Method cancel_;
  ListCall::Method list_;
};

}  // namespace platform::psp_mock
