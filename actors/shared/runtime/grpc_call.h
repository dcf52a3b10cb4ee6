#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace platform::testing {

// Calls a unary method by name with serialised request bytes, as a client
// without generated code does (grpcurl, the gateway), and waits for the
// answer bytes.
grpc::Status CallByName(const std::shared_ptr<grpc::Channel>& channel,
                        const std::string& method, const std::string& request,
                        std::string* answer,
                        std::chrono::milliseconds deadline = std::chrono::seconds(5));

}  // namespace platform::testing
