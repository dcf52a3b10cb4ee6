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

}  // namespace platform::testing
