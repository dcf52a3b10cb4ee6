#pragma once

#include <string>
#include "absl/strings/string_view.h"

namespace grpc {
class ServerContextBase;
}

namespace platform {

// The gRPC metadata key (and, capitalised, the HTTP header) carrying the id
// that ties together every log line about one request.
inline constexpr absl::string_view kRequestIdKey = "x-request-id";

// A fresh random id (UUID v4 text).
std::string NewRequestId();

// Whether a client's X-Request-Id may be used as it is: 1 to 128 characters
// of [A-Za-z0-9._:-], so that it is safe in headers, logs and Redis.
bool IsUsableRequestId(absl::string_view id);

// The request id the gateway passed on, or "" when there is none.
std::string RequestIdOf(const grpc::ServerContextBase& context);

}  // namespace platform
