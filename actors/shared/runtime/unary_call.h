#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "actors/shared/metrics/rpc_metrics.h"
#include "grpcpp/alarm.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/async_unary_call.h"
#include "grpcpp/support/status.h"

namespace platform {

// What a completion queue hands back: the next step of something in flight.
class CompletionTag {
 public:
  virtual void Proceed(bool ok) = 0;

 protected:
  ~CompletionTag() = default;
};

// One unary call of a method served from a completion queue (gRPC's async
// API, which the ladder benchmark found cheaper per call than the callback
// API on the server side): asked for, handed to the method's handler,
// answered once, and freed when the answer has been sent.
//
// The handler answers with Finish, at once or later and from any thread (a
// Redis reply, an alarm); after Finish it must not touch the call again.
template <typename AsyncService, typename Request, typename Response>
class UnaryCall final : public CompletionTag {
 public:
  using Ask = void (AsyncService::*)(grpc::ServerContext*, Request*,
                                     grpc::ServerAsyncResponseWriter<Response>*,
                                     grpc::CompletionQueue*, grpc::ServerCompletionQueue*, void*);
  // A method and what handles its calls; it outlives every call. Each
  // answer is counted in `metrics` (by code, with its latency) when given.
  struct Method {
    AsyncService* service;
    Ask ask;
    std::function<void(UnaryCall&)> handler;
    std::shared_ptr<const metrics::ServerMethodMetrics> metrics = nullptr;
  };

  // Asks `queue` for the method's next call.
  static void AwaitNext(const Method& method, grpc::ServerCompletionQueue* queue) {
    new UnaryCall(method, queue);
  }

  grpc::ServerContext& context() { return context_; }
  const Request& request() const { return request_; }
  Response& response() { return response_; }

  void Finish(const grpc::Status& status) {
    step_ = Step::kAnswering;
    if (method_.metrics) method_.metrics->Record(status.error_code(), absl::Now() - arrived_);
    if (status.ok()) {
      writer_.Finish(response_, status, this);
    } else {
      writer_.FinishWithError(status, this);
    }
  }

  // Finishes at `when`, on an alarm of the call's own queue: no thread waits.
  void FinishAt(absl::Time when, grpc::Status status) {
    status_ = std::move(status);
    step_ = Step::kWaiting;
    alarm_.Set(queue_, absl::ToChronoTime(when), this);
  }

  void Proceed(bool ok) override {
    switch (step_) {
      case Step::kAsked:
        if (!ok) break;  // the server is shutting down: no call came
        AwaitNext(method_, queue_);
        step_ = Step::kHandling;
        if (method_.metrics) arrived_ = absl::Now();
        method_.handler(*this);
        return;
      case Step::kWaiting:
        Finish(status_);
        return;
      case Step::kHandling:
      case Step::kAnswering:
        break;
    }
    delete this;
  }

 private:
  enum class Step { kAsked, kHandling, kWaiting, kAnswering };

  UnaryCall(const Method& method, grpc::ServerCompletionQueue* queue)
      : method_(method), queue_(queue), writer_(&context_) {
    (method_.service->*method_.ask)(&context_, &request_, &writer_, queue_, queue_, this);
  }
  ~UnaryCall() = default;

  const Method& method_;
  grpc::ServerCompletionQueue* const queue_;
  grpc::ServerContext context_;
  Request request_;
  Response response_;
  grpc::ServerAsyncResponseWriter<Response> writer_;
  grpc::Alarm alarm_;
  grpc::Status status_;
  absl::Time arrived_;
  Step step_ = Step::kAsked;
};

}  // namespace platform
