#include "actors/connector/call_registry.h"

#include "grpcpp/client_context.h"

namespace platform::connector {

void CallRegistry::Add(grpc::ClientContext* context) {
  std::lock_guard lock(mutex_);
  calls_.insert(context);
}

void CallRegistry::Remove(grpc::ClientContext* context) {
  std::lock_guard lock(mutex_);
  calls_.erase(context);
  if (calls_.empty()) ended_.notify_all();
}

void CallRegistry::CancelAll(absl::Duration timeout) {
  std::unique_lock lock(mutex_);
  // TryCancel runs the call's callback later, on a gRPC thread, never inside.
  for (grpc::ClientContext* context : calls_) context->TryCancel();
  ended_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this] { return calls_.empty(); });
}

}  // namespace platform::connector
