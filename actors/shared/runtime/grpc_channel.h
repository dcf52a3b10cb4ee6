#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace platform {

// The gRPC target for a service address: "host:port" becomes
// "dns:///host:port", so that every address the name resolves to (each
// replica behind a headless Service or a swarm's dnsrr name) gets a
// connection; an address that names its own resolver ("ipv4:a:1,b:2",
// "unix:/path", "dns://server/name:port") is kept as it is.
std::string BalancedTarget(absl::string_view address);

// OK for an address BalancedTarget takes: "host:port" (a name, an IPv4
// address or a bracketed IPv6 one; a port from 1 to 65535) or a target
// that names its resolver. Otherwise INVALID_ARGUMENT saying what is
// wrong: gRPC would make a channel all the same, whose every call fails.
absl::Status CheckServiceAddress(absl::string_view address);

// A channel that spreads calls over every replica behind `address`
// (round_robin over what the name resolves to, skipping a replica whose
// health service says NOT_SERVING) and follows the replicas as
// they come and go: the name is resolved again whenever a connection ends
// (a server's GOAWAY at its maximum connection age, a replica gone), at
// most once a second, and a lost replica is retried within a second.
// `caller_args` carries the caller's own settings (retries, distinct connections).
// kUnwatched leaves out the health watch, for a caller that keeps its own
// (the connector's breaker probes the PSP's health itself).
enum class ReplicaHealth { kWatched, kUnwatched };
std::shared_ptr<grpc::Channel> NewBalancedChannel(absl::string_view address,
                                                  const grpc::ChannelArguments& caller_args,
                                                  ReplicaHealth health = ReplicaHealth::kWatched);

}  // namespace platform
