// The health check the containers and orchestrators run, so that no image
// downloads a probe or carries curl:
//   health_probe grpc <PORT_VARIABLE> <default port>
//   health_probe http <PORT_VARIABLE> <default port> <path>
// It asks 127.0.0.1 on the port the service itself reads from PORT_VARIABLE
// (the default when unset): grpc.health.v1.Health/Check must say SERVING,
// an HTTP GET of <path> must answer 200. Exit 0 when healthy, 1 with one
// line on stderr when not, 2 for a wrong command line.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "actors/shared/runtime/grpc_call.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http.hpp"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace {

constexpr auto kTimeout = std::chrono::seconds(2);

int Unhealthy(const std::string& why) {
  std::cerr << "unhealthy: " << why << "\n";
  return 1;
}

int Usage() {
  std::cerr << "usage: health_probe grpc <PORT_VARIABLE> <default port>\n"
               "       health_probe http <PORT_VARIABLE> <default port> <path>\n";
  return 2;
}

std::optional<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

int ProbeGrpc(uint16_t port) {
  const auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  grpc::health::v1::HealthCheckRequest request;  // "": the server as a whole
  std::string bytes;
  const grpc::Status status = platform::runtime::CallByName(
      channel, "/grpc.health.v1.Health/Check", request.SerializeAsString(), &bytes,
      std::chrono::duration_cast<std::chrono::milliseconds>(kTimeout));
  if (!status.ok()) return Unhealthy(status.error_message());
  grpc::health::v1::HealthCheckResponse answer;
  if (!answer.ParseFromString(bytes)) return Unhealthy("unreadable health answer");
  if (answer.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return Unhealthy(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(answer.status()));
  }
  return 0;
}

int ProbeHttp(uint16_t port, const std::string& path) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(kTimeout);
  beast::error_code error;
  stream.connect(
      boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), port), error);
  if (error) return Unhealthy("connect: " + error.message());
  http::request<http::empty_body> request(http::verb::get, path, 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  http::write(stream, request, error);
  if (error) return Unhealthy("write: " + error.message());
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response, error);
  if (error) return Unhealthy("read: " + error.message());
  if (response.result_int() != 200) {
    return Unhealthy("HTTP " + std::to_string(response.result_int()) + " " + response.body());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Usage();
  const std::string_view kind = argv[1];
  const char* configured = std::getenv(argv[2]);
  const std::optional<uint16_t> port =
      ParsePort(configured != nullptr && *configured != '\0' ? configured : argv[3]);
  if (!port) {
    std::cerr << "health_probe: " << argv[2] << " is not a port\n";
    return 2;
  }
  if (kind == "grpc" && argc == 4) return ProbeGrpc(*port);
  if (kind == "http" && argc == 5) return ProbeHttp(*port, argv[4]);
  return Usage();
}
