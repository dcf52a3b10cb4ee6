#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace platform::runtime {

// Calls a unary method by name with serialised request bytes, as a client
// without generated code does (grpcurl, the gateway), and waits for the
// answer bytes. It blocks its caller: for the health probe and the tests,
// never for a server's threads.
grpc::Status CallByName(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const std::string& request, std::string* answer,
                        std::chrono::milliseconds deadline = std::chrono::seconds(5));

}  // namespace platform::runtime
