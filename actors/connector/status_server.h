#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace platform::connector {

// A small HTTP port for operators and probes: GET /health and GET /metrics,
// answered by `answer` on a thread of its own. One request a connection.
class StatusServer {
 public:
  struct Answer {
    unsigned status;
    std::string content_type;
    std::string body;
  };
  using Handler = std::function<Answer(const std::string& path)>;

  static absl::StatusOr<std::unique_ptr<StatusServer>> Start(const std::string& host, uint16_t port,
                                                             Handler handler);
  ~StatusServer();

  uint16_t port() const { return port_; }

 private:
  struct Impl;
  explicit StatusServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace platform::connector
