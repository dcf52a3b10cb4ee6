#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

#include "grpcpp/generic/generic_stub.h"

namespace platform::gateway {

// The gRPC services behind the gateway, by upstream name ("auth", "core"),
// called without code generated for them: the request and answer are
// serialised protobuf bytes. Every call has a deadline; none blocks a thread.
class Upstreams {
 public:
  using Metadata = std::vector<std::pair<std::string, std::string>>;
  // Runs on a gRPC thread: post back to your own executor. `retry_after` is
  // the service's "retry-after" trailer ("" when it sent none).
  using Done =
      std::function<void(grpc::Status status, std::string answer, std::string retry_after)>;

  // `addresses`: upstream name -> "host:port".
  explicit Upstreams(const std::map<std::string, std::string>& addresses);
  ~Upstreams();

  bool Has(const std::string& upstream) const;

  // Calls `method` ("/package.Service/Method") on `upstream`.
  void Call(const std::string& upstream, const std::string& method, const std::string& request,
            const Metadata& metadata, absl::Duration deadline, Done done) const;

  // grpc.health.v1.Health/Check for `service` ("" for the whole server):
  // OK when SERVING, UNAVAILABLE with the reason otherwise.
  void CheckHealth(const std::string& upstream, const std::string& service, absl::Duration deadline,
                   std::function<void(absl::Status)> done) const;

  std::vector<std::string> names() const;

 private:
  struct Target {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  std::map<std::string, Target> targets_;
};

}  // namespace platform::gateway
