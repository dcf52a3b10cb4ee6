#pragma once

#include "grpcpp/support/status_code_enum.h"

namespace platform::gateway {

// The HTTP status for a gRPC status: the table grpc-gateway and Envoy share,
// with one deliberate change for parity with the reference platform:
// INVALID_ARGUMENT and FAILED_PRECONDITION answer 422, not 400.
unsigned HttpStatusFor(grpc::StatusCode code);

}  // namespace platform::gateway
