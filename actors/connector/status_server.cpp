#include "actors/connector/status_server.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/json_text.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http.hpp"

namespace platform::connector {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct StatusServer::Impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  Handler handler;

  void Accept() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error) return;  // closed: stopping
      auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      auto buffer = std::make_shared<beast::flat_buffer>();
      auto request = std::make_shared<http::request<http::empty_body>>();
      stream->expires_after(std::chrono::seconds(5));
      http::async_read(
          *stream, *buffer, *request,
          [this, stream, buffer, request](beast::error_code read_error, size_t) {
            if (read_error) return;
            const std::string target(request->target());
            Answer answer =
                request->method() == http::verb::get
                    ? handler(target.substr(0, target.find('?')))
                    : Answer{405, "application/json", json::ErrorBody("Method not allowed")};
            auto response = std::make_shared<http::response<http::string_body>>(
                static_cast<http::status>(answer.status), request->version());
            response->set(http::field::content_type, answer.content_type);
            response->keep_alive(false);
            response->body() = std::move(answer.body);
            response->prepare_payload();
            http::async_write(*stream, *response, [stream, response](beast::error_code, size_t) {
              beast::error_code ignored;
              stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
            });
          });
      Accept();
    });
  }
};

StatusServer::StatusServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<std::unique_ptr<StatusServer>> StatusServer::Start(const std::string& host,
                                                                  uint16_t port, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  beast::error_code error;
  const auto address = asio::ip::make_address(host, error);
  if (error)
    return absl::InvalidArgumentError(absl::StrCat("HTTP_HOST=", host, " is not an IP address"));
  const tcp::endpoint endpoint(address, port);
  impl->acceptor.open(endpoint.protocol(), error);
  if (!error) impl->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) impl->acceptor.bind(endpoint, error);
  if (!error) impl->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", host, ":", port, ": ", error.message()));
  }
  std::unique_ptr<StatusServer> server(new StatusServer(std::move(impl)));
  server->port_ = server->impl_->acceptor.local_endpoint().port();
  server->impl_->Accept();
  server->thread_ = std::thread([io = &server->impl_->io] { io->run(); });
  return server;
}

StatusServer::~StatusServer() {
  impl_->io.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace platform::connector
