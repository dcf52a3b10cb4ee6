#pragma once

#include <condition_variable>
#include <mutex>
#include <set>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace grpc {
class ClientContext;
}  // namespace grpc

namespace platform::connector {

// The PSP calls in flight, so that a stopping connector can cancel them and
// wait for their callbacks instead of leaving gRPC mid-call at exit.
// Shared by the workers and gRPC's callback threads. A std::mutex, not an
// absl::Mutex: ThreadSanitizer sees pthread locks, but not the ones inside
// Debian's (uninstrumented) Abseil.
class CallRegistry {
 public:
  void Add(grpc::ClientContext* context);
  void Remove(grpc::ClientContext* context);
  // Cancels every call in flight and waits, up to `timeout`, for them to end.
  void CancelAll(absl::Duration timeout);

 private:
  std::mutex mutex_;
  std::condition_variable ended_;
  std::set<grpc::ClientContext*> calls_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace platform::connector
