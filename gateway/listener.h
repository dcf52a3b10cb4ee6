#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "gateway/http_session.h"
#include "gateway/open_connections.h"
#include "gateway/request_handler.h"

namespace platform::gateway {

// Accepts connections and gives each its own HttpSession on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds host:port (0: any free port). UNAVAILABLE when it cannot.
  static absl::StatusOr<std::shared_ptr<Listener>> Bind(boost::asio::io_context& io,
                                                        const std::string& host, uint16_t port,
                                                        const RequestHandler& handler,
                                                        const HttpLimits& limits,
                                                        int max_connections);

  uint16_t port() const { return port_; }
  void Start();
  // Stops accepting; connections already open carry on.
  void Stop();
  // Every connection closes after its next answer, idle ones now.
  void Drain() { connections_->Drain(); }
  int open_connections() const { return connections_->count(); }

 private:
  Listener(boost::asio::io_context& io, const RequestHandler& handler, const HttpLimits& limits,
           int max_connections);
  void Accept();
  void BackOff(const boost::system::error_code& error);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_timer_;                // on the acceptor's strand
  absl::Duration accept_backoff_ = absl::ZeroDuration();  // 0: accepting
  const RequestHandler& handler_;
  HttpLimits limits_;
  int max_connections_;
  uint16_t port_ = 0;
  std::shared_ptr<OpenConnections> connections_ = std::make_shared<OpenConnections>();
};

}  // namespace platform::gateway
