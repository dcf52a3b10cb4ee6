#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace grpc {
class ServerContextBase;
}

namespace platform {

// The same code and message as a gRPC status (absl and gRPC share codes).
grpc::Status ToGrpcStatus(const absl::Status& status);

// A request metadata value the client (the gateway) sent, or "".
std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace platform
