#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/parser.hpp"
#include "gateway/http_types.h"
#include "gateway/open_connections.h"
#include "gateway/request_handler.h"

namespace platform::gateway {

struct HttpLimits {
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 8 * 1024;
  // A request must arrive whole within this time of its first byte (408).
  absl::Duration request_timeout = absl::Seconds(10);
  // A kept-alive connection with no request for this long is closed.
  absl::Duration idle_timeout = absl::Seconds(60);
  absl::Duration write_timeout = absl::Seconds(10);
};

// One client connection: HTTP/1.1 with keep-alive, one request at a time.
// Everything runs on the connection's strand; the handler's answer is posted
// back to it. Limits give 413 (body), 431 (headers), 408 (slow request) and
// 400 (not HTTP), each as JSON, and then close the connection.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, const RequestHandler& handler,
              const HttpLimits& limits, std::shared_ptr<OpenConnections> connections);
  ~HttpSession();

  void Start();
  // Closes the connection if it is waiting between requests (the gateway is
  // stopping); one mid-request is answered first, and closed then. Any thread.
  void CloseIfIdle();

 private:
  void WaitForRequest();
  void ReadRequest();
  void OnRead(boost::beast::error_code error);
  void Write(HttpResponse response);
  void RejectAndClose(unsigned status, absl::string_view message);
  void DrainAndClose();
  void DiscardUntilClosed();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  boost::asio::steady_timer deadline_;
  bool timed_out_ = false;
  const RequestHandler& handler_;
  const HttpLimits limits_;  // a copy: a session may outlive its listener
  std::shared_ptr<OpenConnections> connections_;
  bool idle_ = false;           // waiting for the next request's first byte
  std::string client_address_;  // the peer's IP address
};

}  // namespace platform::gateway
