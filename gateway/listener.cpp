#include "gateway/listener.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/logger.h"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"

namespace platform::gateway {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::io_context& io, const RequestHandler& handler,
                   const HttpLimits& limits, int max_connections)
    : io_(io),
      acceptor_(asio::make_strand(io)),
      handler_(handler),
      limits_(limits),
      max_connections_(max_connections) {}

absl::StatusOr<std::shared_ptr<Listener>> Listener::Bind(
    asio::io_context& io, const std::string& host, uint16_t port,
    const RequestHandler& handler, const HttpLimits& limits,
    int max_connections) {
  std::shared_ptr<Listener> listener(
      new Listener(io, handler, limits, max_connections));
  boost::system::error_code error;
  const asio::ip::address address = asio::ip::make_address(host, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP_HOST=", host, " is not an IP address"));
  }
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = listener->acceptor_;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen for HTTP on ", host, ":", port, ": ", error.message()));
  }
  listener->port_ = acceptor.local_endpoint().port();
  return listener;
}

void Listener::Start() { Accept(); }

void Listener::Stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::Accept() {
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code error,
                                  tcp::socket socket) {
        if (error == asio::error::operation_aborted) return;  // stopped
        if (!error) {
          if (self->open_connections_->load() >= self->max_connections_) {
            // Over the limit: shed this connection, keep serving the rest.
            boost::system::error_code ignored;
            socket.close(ignored);
          } else {
            socket.set_option(tcp::no_delay(true), error);
            std::make_shared<HttpSession>(std::move(socket), self->handler_,
                                          self->limits_,
                                          self->open_connections_)
                ->Start();
          }
        } else {
          log::Warn("accept failed", {{"error", error.message()}});
        }
        if (self->acceptor_.is_open()) self->Accept();
      });
}

}  // namespace platform::gateway
