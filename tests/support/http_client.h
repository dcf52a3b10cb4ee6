#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "google/protobuf/struct.pb.h"

namespace platform::testing {

struct HttpAnswer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The body parsed as a JSON object (empty when it is not one).
  google::protobuf::Struct Json() const;
  // The "error" member of a JSON error body.
  std::string Error() const;
  std::string Header(const std::string& lower_case_name) const;
};

// A plain HTTP/1.1 client over a real socket to 127.0.0.1:port, as HTTPie or
// curl would talk to the gateway.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}
  uint16_t port() const { return port_; }

  HttpAnswer Send(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {}) const;

  // POST with a JSON body and Content-Type: application/json.
  HttpAnswer PostJson(const std::string& target, const std::string& json,
                      const std::map<std::string, std::string>& headers = {}) const;

  // Writes `bytes` as they are, then reads until the server closes the
  // connection or `timeout` passes; returns what was read.
  std::string SendRaw(const std::string& bytes,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  uint16_t port_;
};

// One kept-alive HTTP/1.1 connection, as a browser or a load generator
// holds it: requests one after another on the same socket. For tests of
// what happens to a connection when the server stops.
class HttpConnection {
 public:
  enum class Outcome {
    kAnswered,            // a whole answer (status line, headers, body)
    kClosedBeforeAnswer,  // the server closed (or reset) before any byte of it
    kCutMidAnswer,        // part of an answer, then the connection ended
    kNotConnected,        // connect() failed, or the connection was closed before
  };
  struct Exchange {
    Outcome outcome = Outcome::kNotConnected;
    unsigned status = 0;
    bool connection_close = false;  // the answer said Connection: close
    std::string body;
  };

  explicit HttpConnection(uint16_t port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends one whole request and reads its answer (Content-Length framing).
  Exchange Send(const std::string& request);

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the last answer
};

}  // namespace platform::testing
