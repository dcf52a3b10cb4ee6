#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http.hpp"
#include "google/protobuf/util/json_util.h"

namespace platform::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

google::protobuf::Struct HttpAnswer::Json() const {
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(body, &object).ok()) {
    object.Clear();
  }
  return object;
}

std::string HttpAnswer::Error() const {
  const google::protobuf::Struct object = Json();
  const auto it = object.fields().find("error");
  return it == object.fields().end() ? "<no error member in " + body + ">"
                                     : it->second.string_value();
}

std::string HttpAnswer::Header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

HttpAnswer HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::map<std::string, std::string>& headers) const {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::user_agent, "platform-tests");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST") request.prepare_payload();
  http::write(socket, request);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(socket, buffer, parser);
  const auto& response = parser.get();
  HttpAnswer answer;
  answer.status = response.result_int();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    answer.headers[name] = std::string(field.value());
  }
  answer.body = response.body();
  return answer;
}

HttpAnswer HttpClient::PostJson(const std::string& target, const std::string& json,
                                const std::map<std::string, std::string>& headers) const {
  std::map<std::string, std::string> all = headers;
  all.emplace("Content-Type", "application/json");
  return Send("POST", target, json, all);
}

std::string HttpClient::SendRaw(const std::string& bytes, std::chrono::milliseconds timeout) const {
  // Plain POSIX calls: the receive timeout must bound every read.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return received;
  }
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  char chunk[4096];
  while (std::chrono::steady_clock::now() < give_up) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    received.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return received;
}

HttpConnection::HttpConnection(uint16_t port, std::chrono::milliseconds timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

HttpConnection::Exchange HttpConnection::Send(const std::string& request) {
  Exchange exchange;
  if (fd_ < 0) return exchange;
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string& in = pending_;
  size_t head_end = std::string::npos;
  size_t length = 0;
  bool ended = false;
  char chunk[4096];
  while (true) {
    if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
      std::string head = in.substr(0, head_end);
      for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const size_t at = head.find("\r\ncontent-length:");
      if (at != std::string::npos) length = std::stoul(head.substr(at + 17));
      exchange.connection_close = head.find("\r\nconnection: close") != std::string::npos;
      if (head.size() > 12) exchange.status = static_cast<unsigned>(std::stoul(head.substr(9, 3)));
    }
    if (head_end != std::string::npos && in.size() >= head_end + 4 + length) break;
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      ended = true;
      break;
    }
    in.append(chunk, static_cast<size_t>(n));
  }
  if (ended) {
    exchange.outcome = in.empty() ? Outcome::kClosedBeforeAnswer : Outcome::kCutMidAnswer;
    ::close(fd_);
    fd_ = -1;
    return exchange;
  }
  exchange.outcome = Outcome::kAnswered;
  exchange.body = in.substr(head_end + 4, length);
  in.erase(0, head_end + 4 + length);
  if (exchange.connection_close) {
    ::close(fd_);
    fd_ = -1;
  }
  return exchange;
}

}  // namespace platform::testing
