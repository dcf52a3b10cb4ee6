#include "gateway/http_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/request_id.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"

namespace platform::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

std::chrono::steady_clock::duration ToSteady(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

// A scratch buffer for the bytes a client still sends after its answer.
constexpr size_t kDrainChunk = 4096;
constexpr auto kDrainTime = std::chrono::seconds(2);

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, const RequestHandler& handler,
                         const HttpLimits& limits, std::shared_ptr<OpenConnections> connections)
    : stream_(std::move(socket)),
      deadline_(stream_.get_executor()),
      handler_(handler),
      limits_(limits),
      connections_(std::move(connections)) {
  connections_->Opened();
  boost::system::error_code error;
  const auto peer = stream_.socket().remote_endpoint(error);
  if (!error) {
    const asio::ip::address address = peer.address();
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
    client_address_ =
        address.is_v6() && address.to_v6().is_v4_mapped()
            ? asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string()
            : address.to_string();
  }
}

HttpSession::~HttpSession() {
  connections_->Unregister(this);
  connections_->Closed();
}

void HttpSession::Start() {
  connections_->Register(shared_from_this());
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void HttpSession::CloseIfIdle() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->idle_) return;  // mid-request: its answer closes the connection
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);  // the wait ends, and the session with it
  });
}

// Waits, up to the idle timeout, for the first byte of the next request
// without reading it, so that the request timeout starts only then.
void HttpSession::WaitForRequest() {
  if (buffer_.size() > 0) {  // a pipelined request is already here
    ReadRequest();
    return;
  }
  if (connections_->draining()) return;  // stopping: close between requests
  stream_.expires_never();
  idle_ = true;
  deadline_.expires_after(ToSteady(limits_.idle_timeout));
  deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
    if (error) return;  // cancelled: a request is coming
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
  stream_.socket().async_wait(
      asio::ip::tcp::socket::wait_read, [self = shared_from_this()](beast::error_code error) {
        self->idle_ = false;
        self->deadline_.cancel();
        if (error) return;  // idle too long, the client left, or stopping: just close
        self->ReadRequest();
      });
}

void HttpSession::ReadRequest() {
  parser_.emplace();
  parser_->body_limit(limits_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  timed_out_ = false;
  deadline_.expires_after(ToSteady(limits_.request_timeout));
  deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
    if (error) return;  // cancelled: the request arrived in time
    self->timed_out_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, size_t) { self->OnRead(error); });
}

void HttpSession::OnRead(beast::error_code error) {
  deadline_.cancel();
  if (timed_out_) {
    RejectAndClose(408, "Request timed out");
    return;
  }
  if (error == http::error::end_of_stream || error == asio::error::eof) {
    DrainAndClose();
    return;
  }
  if (error == http::error::body_limit) {
    RejectAndClose(413, "Request body is too large");
    return;
  }
  if (error == http::error::header_limit) {
    RejectAndClose(431, "Request headers are too large");
    return;
  }
  if (error == http::error::bad_value) {
    // What the parser has not consumed: from the refused header line on.
    const auto head = buffer_.data();
    const std::string header = HeaderWithControlByte(
        absl::string_view(static_cast<const char*>(head.data()), head.size()));
    if (!header.empty()) {
      RejectAndClose(400, absl::StrCat("Invalid ", header, " header"));
      return;
    }
  }
  if (error && error.category() == http::make_error_code(http::error::bad_target).category()) {
    RejectAndClose(400, "Malformed HTTP request");
    return;
  }
  if (error) {
    beast::error_code ignored;
    stream_.socket().close(ignored);  // the connection broke
    return;
  }
  handler_.Handle(
      parser_->release(), client_address_, [self = shared_from_this()](HttpResponse response) {
        asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
          self->Write(std::move(response));
        });
      });
}

void HttpSession::Write(HttpResponse response) {
  auto shared = std::make_shared<HttpResponse>(std::move(response));
  if (connections_->draining()) shared->keep_alive(false);  // the last answer here
  stream_.expires_after(ToSteady(limits_.write_timeout));
  http::async_write(stream_, *shared,
                    [self = shared_from_this(), shared](beast::error_code error, size_t) {
                      if (error) return;
                      if (!shared->keep_alive()) {
                        self->DrainAndClose();
                        return;
                      }
                      self->WaitForRequest();
                    });
}

void HttpSession::RejectAndClose(unsigned status, absl::string_view message) {
  // The request may be half read: answer, then close the connection.
  const bool have_header = parser_.has_value() && parser_->is_header_done();
  const std::string request_id = have_header ? RequestIdFor(parser_->get()) : NewRequestId();
  handler_.CountRejected(status);
  Write(MakeError(status, message, request_id, have_header ? parser_->get().version() : 11,
                  /*keep_alive=*/false));
}

// Half-closes, then reads and drops what the client still sends for a
// moment, so that the answer is not lost to a reset from unread data.
void HttpSession::DrainAndClose() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kDrainTime);
  DiscardUntilClosed();
}

void HttpSession::DiscardUntilClosed() {
  auto scratch = std::make_shared<std::array<char, kDrainChunk>>();
  stream_.async_read_some(asio::buffer(*scratch),
                          [self = shared_from_this(), scratch](beast::error_code error, size_t) {
                            if (!error) {
                              self->DiscardUntilClosed();
                              return;
                            }
                            beast::error_code ignore;
                            self->stream_.socket().close(ignore);
                          });
}

}  // namespace platform::gateway
