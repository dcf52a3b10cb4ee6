#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "absl/base/thread_annotations.h"

namespace platform::gateway {

class HttpSession;

// The client connections open now, shared by the listener and its sessions
// (a session the io_context destroys at exit may outlive the listener).
// Counts them for the connection ceiling, and drains them at shutdown:
// from Drain() on, every answer closes its connection, and connections
// waiting between requests close at once, so that the gateway can stop as
// soon as the requests it took are answered. Thread-safe.
class OpenConnections {
 public:
  // A session counts from its construction to its destruction.
  void Opened() { count_.fetch_add(1); }
  void Closed() { count_.fetch_sub(1); }
  int count() const { return count_.load(); }

  // A started session can be told to drain; a session leaves on destruction.
  void Register(const std::shared_ptr<HttpSession>& session);
  void Unregister(const HttpSession* session);

  void Drain();
  bool draining() const { return draining_.load(); }

 private:
  std::atomic<int> count_{0};
  std::atomic<bool> draining_{false};
  std::mutex mutex_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace platform::gateway
