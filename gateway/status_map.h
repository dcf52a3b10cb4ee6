#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/status_code_enum.h"

namespace platform::gateway {

// The HTTP status for a gRPC status: the table grpc-gateway and Envoy share,
// with one deliberate change for parity with the reference platform:
// INVALID_ARGUMENT and FAILED_PRECONDITION answer 422, not 400.
unsigned HttpStatusFor(grpc::StatusCode code);

// The message a client sees for a failed call to `upstream`: the service's
// own words for the errors it answers on purpose (4xx), never gRPC's
// transport details ("The core service is unavailable").
std::string ClientMessageFor(const grpc::Status& status, absl::string_view upstream);

}  // namespace platform::gateway
