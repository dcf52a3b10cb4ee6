#pragma once

#include "absl/time/time.h"
#include "actors/psp_mock/charge_book.h"
#include "platform/psp/v1/psp.grpc.pb.h"

namespace platform::psp_mock {

struct LatencyOptions {
  // Added to every answer.
  absl::Duration latency = absl::ZeroDuration();
  // The answer time of the slow test amount (504).
  absl::Duration slow = absl::Seconds(3);
};

// platform.psp.v1.PspService. Delayed answers wait on a gRPC alarm, not on
// a thread: thousands of slow charges cost no threads.
class PspService final : public psp::v1::PspService::CallbackService {
 public:
  PspService(ChargeBook& book, LatencyOptions latency);

  grpc::ServerUnaryReactor* Charge(grpc::CallbackServerContext* context,
                                   const psp::v1::ChargeRequest* request,
                                   psp::v1::ChargeResponse* response) override;
  grpc::ServerUnaryReactor* Cancel(grpc::CallbackServerContext* context,
                                   const psp::v1::CancelRequest* request,
                                   psp::v1::CancelResponse* response) override;
  grpc::ServerUnaryReactor* ListCharges(grpc::CallbackServerContext* context,
                                        const psp::v1::ListChargesRequest* request,
                                        psp::v1::ListChargesResponse* response) override;

 private:
  ChargeBook& book_;
  LatencyOptions latency_;
};

}  // namespace platform::psp_mock
