#include "gateway/open_connections.h"

#include <vector>

#include "gateway/http_session.h"

namespace platform::gateway {

void OpenConnections::Register(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mutex_);
  sessions_[session.get()] = session;
}

void OpenConnections::Unregister(const HttpSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

void OpenConnections::Drain() {
  draining_.store(true);
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, session] : sessions_) {
      if (std::shared_ptr<HttpSession> alive = session.lock()) live.push_back(std::move(alive));
    }
  }
  // Outside the lock: a session's last reference may go here, and its
  // destructor unregisters.
  for (const std::shared_ptr<HttpSession>& session : live) session->CloseIfIdle();
}

}  // namespace platform::gateway
