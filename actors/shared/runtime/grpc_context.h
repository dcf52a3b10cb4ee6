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

// The longest metadata value a program of the platform sends (a JWT is
// about 200 bytes; gRPC's own header list limit is 8 KiB).
inline constexpr size_t kMaxMetadataValue = 4096;

// Whether `value` may be sent as (non-binary) gRPC metadata: printable ASCII
// (0x20-0x7E), at most kMaxMetadataValue bytes. gRPC C++ aborts the process
// on a call that carries any other value, so everything that comes from
// outside (an HTTP header, a stream entry) is checked with this first.
bool IsValidMetadataValue(absl::string_view value);

// A request metadata value the client (the gateway) sent, or "".
std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace platform
