#include "actors/connector/psp_client.h"

#include "absl/time/clock.h"
#include "actors/connector/call_registry.h"
#include "actors/connector/config.h"
#include "actors/connector/connector_metrics.h"
#include "actors/connector/mailbox_order.h"
#include "actors/shared/runtime/grpc_channel.h"
#include "actors/shared/runtime/request_id.h"
#include "actors/shared/runtime/trace_context.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "platform/psp/v1/psp.grpc.pb.h"
#include "prometheus/histogram.h"

namespace platform::connector {
namespace {

struct PendingCharge {
  grpc::ClientContext context;
  psp::v1::ChargeRequest request;
  psp::v1::ChargeResponse response;
  absl::Time sent;
};

class GrpcPspClient final : public PspClient {
 public:
  GrpcPspClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline,
                CallRegistry& calls)
      : stub_(psp::v1::PspService::NewStub(std::move(channel))),
        deadline_(deadline),
        calls_(calls) {}

  void Charge(const StreamEntry& entry, ChargeDone done) override {
    auto call = std::make_shared<PendingCharge>();
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    if (!entry.request_id.empty()) {
      call->context.AddMetadata(std::string(kRequestIdKey), entry.request_id);
    }
    // The connector's span of the transaction's trace (each attempt its own).
    if (std::optional<TraceContext> trace = ParseTraceparent(entry.traceparent)) {
      call->context.AddMetadata(std::string(kTraceparentKey), trace->Child().Header());
    }
    call->request.set_idempotency_key(entry.transaction_id);
    call->request.set_amount(entry.amount);
    call->request.set_currency(entry.currency);
    call->request.set_user_id(entry.user_id);
    std::function<void(grpc::Status)> answered = [call, done = std::move(done),
                                                  &calls = calls_](const grpc::Status& status) {
      TsanAcquire(call.get());
      PspCallSeconds().Observe(absl::ToDoubleSeconds(absl::Now() - call->sent));
      calls.Remove(&call->context);
      done(status, call->response);
    };
    calls_.Add(&call->context);
    call->sent = absl::Now();
    TsanRelease(call.get());  // the call and its callback as made here, to the callback
    stub_->async()->Charge(&call->context, &call->request, &call->response, std::move(answered));
  }

 private:
  std::unique_ptr<psp::v1::PspService::Stub> stub_;
  const absl::Duration deadline_;
  CallRegistry& calls_;
};

}  // namespace

std::unique_ptr<PspClient> NewGrpcPspClient(std::shared_ptr<grpc::Channel> channel,
                                            const ConnectorConfig& config, CallRegistry& calls) {
  return std::make_unique<GrpcPspClient>(std::move(channel), config.psp_deadline, calls);
}

std::shared_ptr<grpc::Channel> NewPspChannel(const ConnectorConfig& config, int index) {
  grpc::ChannelArguments args;
  args.SetInt("platform.psp_channel", index);  // distinct arguments: a connection of its own
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  // Round robin over every PSP replica behind the name, as the gateway's
  // channels (runtime/grpc_channel.h). Not health-watched: a PSP that
  // says NOT_SERVING would leave the channel with nothing to call, and the
  // breaker (psp_breaker.h) already holds charges and probes the PSP's
  // health itself.
  return NewBalancedChannel(config.psp_address, args, ReplicaHealth::kUnwatched);
}

}  // namespace platform::connector
