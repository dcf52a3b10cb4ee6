#pragma once

#include <functional>
#include <memory>
#include <string>

#include "actors/connector/messages.h"
#include "grpcpp/support/status.h"
#include "platform/psp/v1/psp.pb.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace platform::connector {

class CallRegistry;
struct ConnectorConfig;

// How a charge worker asks the PSP to charge: asynchronously, the answer
// (the call's status and, when OK, the PSP's response) handed to `done` on
// whichever thread the call ends. The worker's logic is tested with an
// implementation that keeps the calls for the test to answer.
class PspClient {
 public:
  using ChargeDone = std::function<void(const grpc::Status&, const psp::v1::ChargeResponse&)>;

  virtual ~PspClient() = default;
  // Charges `entry` under its transaction id as the idempotency key.
  virtual void Charge(const StreamEntry& entry, ChargeDone done) = 0;
};

// The PSP over gRPC: a deadline on every call, the request id as metadata,
// each call registered in `calls` until its callback has run.
std::unique_ptr<PspClient> NewGrpcPspClient(std::shared_ptr<grpc::Channel> channel,
                                            const ConnectorConfig& config, CallRegistry& calls);

// A channel to the PSP of its own (a connection not shared with others).
std::shared_ptr<grpc::Channel> NewPspChannel(const ConnectorConfig& config, int index);

}  // namespace platform::connector
