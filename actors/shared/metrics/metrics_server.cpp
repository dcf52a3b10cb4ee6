#include "actors/shared/metrics/metrics_server.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/metrics/registry.h"
#include "actors/shared/runtime/env_config.h"
#include "actors/shared/runtime/health_report.h"
#include "actors/shared/runtime/json_text.h"
#include "actors/shared/runtime/logger.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http.hpp"

namespace platform::metrics {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct Answer {
  http::status status;
  absl::string_view content_type;
  std::string body;
};

Answer AnswerFor(http::verb method, absl::string_view path, const HealthChecks& checks) {
  if (method != http::verb::get) {
    return {http::status::method_not_allowed, "application/json",
            json::ErrorBody("Method not allowed")};
  }
  if (path == "/metrics") return {http::status::ok, kTextContentType, RenderText()};
  if (path == "/health") {
    const std::map<std::string, absl::Status> results =
        checks ? checks() : std::map<std::string, absl::Status>{};
    return {HealthPasses(results) ? http::status::ok : http::status::service_unavailable,
            "application/json", HealthReport(results)};
  }
  return {http::status::not_found, "application/json", json::ErrorBody("Not found")};
}

}  // namespace

MetricsEndpoint LoadMetricsEndpoint(config::Environment& env, uint16_t default_port) {
  MetricsEndpoint endpoint;
  endpoint.host = env.String("METRICS_HOST", "0.0.0.0",
                             "address of the metrics port (GET /metrics, GET /health)");
  endpoint.port = env.Port("METRICS_PORT", default_port,
                           "the metrics port: Prometheus text and health; 0 picks a free one");
  return endpoint;
}

struct MetricsServer::Impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  HealthChecks checks;

  void Accept() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error) return;  // closed: stopping
      auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      auto buffer = std::make_shared<beast::flat_buffer>();
      auto request = std::make_shared<http::request<http::empty_body>>();
      stream->expires_after(std::chrono::seconds(5));
      http::async_read(*stream, *buffer, *request,
                       [this, stream, buffer, request](beast::error_code read_error, size_t) {
                         if (!read_error) Respond(stream, *request);
                       });
      Accept();
    });
  }

  void Respond(const std::shared_ptr<beast::tcp_stream>& stream,
               const http::request<http::empty_body>& request) {
    const absl::string_view target(request.target().data(), request.target().size());
    Answer answer = AnswerFor(request.method(), target.substr(0, target.find('?')), checks);
    auto response =
        std::make_shared<http::response<http::string_body>>(answer.status, request.version());
    response->set(http::field::content_type,
                  beast::string_view(answer.content_type.data(), answer.content_type.size()));
    response->keep_alive(false);
    response->body() = std::move(answer.body);
    response->prepare_payload();
    http::async_write(*stream, *response, [stream, response](beast::error_code, size_t) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const MetricsEndpoint& endpoint,
                                                                    HealthChecks checks) {
  auto impl = std::make_unique<Impl>();
  impl->checks = std::move(checks);
  beast::error_code error;
  const auto address = asio::ip::make_address(endpoint.host, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "METRICS_HOST=\"", absl::CHexEscape(endpoint.host), "\" is not an IP address"));
  }
  const tcp::endpoint bound(address, endpoint.port);
  impl->acceptor.open(bound.protocol(), error);
  if (!error) impl->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) impl->acceptor.bind(bound, error);
  if (!error) impl->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", endpoint.host, ":",
                                               endpoint.port, ": ", error.message(),
                                               " (METRICS_PORT)"));
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer(std::move(impl)));
  server->port_ = server->impl_->acceptor.local_endpoint().port();
  server->impl_->Accept();
  server->thread_ = std::thread([io = &server->impl_->io] { io->run(); });
  return server;
}

MetricsServer::~MetricsServer() {
  impl_->io.stop();
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<MetricsServer> StartOrExit(absl::string_view program,
                                           const MetricsEndpoint& endpoint, HealthChecks checks) {
  RegisterProcessMetrics(program);
  absl::StatusOr<std::unique_ptr<MetricsServer>> server =
      MetricsServer::Start(endpoint, std::move(checks));
  if (!server.ok()) config::ExitWithError(program, server.status());
  log::Info("serving metrics", {{"protocol", "http"},
                                {"host", endpoint.host},
                                {"port", (*server)->port()},
                                {"path", "/metrics"}});
  return *std::move(server);
}

}  // namespace platform::metrics
