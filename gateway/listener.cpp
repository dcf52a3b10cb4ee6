#include "gateway/listener.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/logger.h"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"

namespace platform::gateway {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr absl::Duration kFirstAcceptBackoff = absl::Milliseconds(10);
constexpr absl::Duration kMaxAcceptBackoff = absl::Seconds(1);
}  // namespace

Listener::Listener(asio::io_context& io, const RequestHandler& handler, const HttpLimits& limits,
                   int max_connections)
    : io_(io),
      acceptor_(asio::make_strand(io)),
      accept_timer_(acceptor_.get_executor()),
      handler_(handler),
      limits_(limits),
      max_connections_(max_connections) {}

absl::StatusOr<std::shared_ptr<Listener>> Listener::Bind(asio::io_context& io,
                                                         const std::string& host, uint16_t port,
                                                         const RequestHandler& handler,
                                                         const HttpLimits& limits,
                                                         int max_connections) {
  std::shared_ptr<Listener> listener(new Listener(io, handler, limits, max_connections));
  boost::system::error_code error;
  const asio::ip::address address = asio::ip::make_address(host, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat("HTTP_HOST=", host, " is not an IP address"));
  }
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = listener->acceptor_;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", host, ":", port, ": ", error.message()));
  }
  listener->port_ = acceptor.local_endpoint().port();
  return listener;
}

void Listener::Start() { Accept(); }

void Listener::Stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->accept_timer_.cancel();
  });
}

void Listener::Accept() {
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code error, tcp::socket socket) {
        if (error == asio::error::operation_aborted) return;  // stopped
        if (error) {
          self->BackOff(error);
          return;
        }
        self->accept_backoff_ = absl::ZeroDuration();
        {
          if (self->connections_->count() >= self->max_connections_) {
            // Over the limit: shed this connection, keep serving the rest.
            boost::system::error_code ignored;
            socket.close(ignored);
          } else {
            socket.set_option(tcp::no_delay(true), error);
            std::make_shared<HttpSession>(std::move(socket), self->handler_, self->limits_,
                                          self->connections_)
                ->Start();
          }
        }
        if (self->acceptor_.is_open()) self->Accept();
      });
}

// Out of file descriptors (EMFILE, ENFILE) or memory, accepting again at
// once would fail again at once: a busy loop that starves the connections
// being served. Wait, 10 ms doubling to 1 s, and say so once per streak.
void Listener::BackOff(const boost::system::error_code& error) {
  if (accept_backoff_ == absl::ZeroDuration()) {
    log::Warn("accept failed; backing off",
              {{"error", error.message()}, {"open_connections", connections_->count()}});
  }
  accept_backoff_ = std::clamp(accept_backoff_ * 2, kFirstAcceptBackoff, kMaxAcceptBackoff);
  accept_timer_.expires_after(absl::ToChronoNanoseconds(accept_backoff_));
  accept_timer_.async_wait([self = shared_from_this()](boost::system::error_code waited) {
    if (!waited && self->acceptor_.is_open()) self->Accept();
  });
}

}  // namespace platform::gateway
