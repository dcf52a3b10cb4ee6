#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "gateway/http_session.h"
#include "gateway/request_handler.h"

namespace platform::gateway {

// Accepts connections and gives each its own HttpSession on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds host:port (0: any free port). UNAVAILABLE when it cannot.
  static absl::StatusOr<std::shared_ptr<Listener>> Bind(
      boost::asio::io_context& io, const std::string& host, uint16_t port,
      const RequestHandler& handler, const HttpLimits& limits,
      int max_connections);

  uint16_t port() const { return port_; }
  void Start();
  // Stops accepting; connections already open carry on.
  void Stop();
  int open_connections() const { return open_connections_->load(); }

 private:
  Listener(boost::asio::io_context& io, const RequestHandler& handler,
           const HttpLimits& limits, int max_connections);
  void Accept();
  void BackOff(const boost::system::error_code& error);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_timer_;        // on the acceptor's strand
  absl::Duration accept_backoff_ = absl::ZeroDuration();  // 0: accepting
  const RequestHandler& handler_;
  HttpLimits limits_;
  int max_connections_;
  uint16_t port_ = 0;
  std::shared_ptr<std::atomic<int>> open_connections_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace platform::gateway
