#include "actors/shared/runtime/grpc_channel.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace platform {
namespace {

// A replica that comes back (or a new one) is found within a second, not
// after gRPC's default backoff of up to two minutes or its 30 s between
// two resolutions of a name.
constexpr int kMinReconnectBackoffMs = 100;
constexpr int kMaxReconnectBackoffMs = 1000;
constexpr int kMinTimeBetweenResolutionsMs = 1000;

// The resolvers of gRPC 1.51 a target may name; "host:port" names none.
constexpr absl::string_view kSchemes[] = {
    "dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:", "vsock:"};

bool HasScheme(absl::string_view address) {
  for (const absl::string_view scheme : kSchemes) {
    if (absl::StartsWith(address, scheme)) return true;
  }
  return false;
}

}  // namespace

std::string BalancedTarget(absl::string_view address) {
  if (HasScheme(address)) return std::string(address);
  return absl::StrCat("dns:///", address);
}

absl::Status CheckServiceAddress(absl::string_view address) {
  constexpr absl::string_view kForm =
      "is not a gRPC address (host:port, or a target such as dns:///host:port or unix:/path)";
  if (HasScheme(address)) return absl::OkStatus();
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return absl::InvalidArgumentError(kForm);
  const absl::string_view host = address.substr(0, colon);
  const absl::string_view port_text = address.substr(colon + 1);
  const bool digits = !port_text.empty() && port_text.size() <= 5 &&
                      std::all_of(port_text.begin(), port_text.end(), [](char c) {
                        return absl::ascii_isdigit(static_cast<unsigned char>(c));
                      });
  int port = 0;
  if (!digits || !absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(kForm, ": the port must be 1 to 65535"));
  }
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]") && host.size() > 2) {
    return absl::OkStatus();
  }
  const bool name_or_ipv4 = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
  if (!name_or_ipv4) {
    return absl::InvalidArgumentError(
        absl::StrCat(kForm, ": the host must be a name, an IPv4 address or [an IPv6 one]"));
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> NewBalancedChannel(absl::string_view address,
                                                  const grpc::ChannelArguments& caller_args,
                                                  ReplicaHealth health) {
  grpc::ChannelArguments args = caller_args;
  // Round robin over every address. Watched, each replica's health
  // service (grpc.health.v1 Watch) is followed too: a replica that is
  // stopping says NOT_SERVING and gets no more calls, before it closes its
  // connections.
  args.SetServiceConfigJSON(
      health == ReplicaHealth::kWatched
          ? R"({"loadBalancingConfig": [{"round_robin": {}}], "healthCheckConfig": {"serviceName": ""}})"
          : R"({"loadBalancingConfig": [{"round_robin": {}}]})");
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, kMinReconnectBackoffMs);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, kMinReconnectBackoffMs);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  args.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS, kMinTimeBetweenResolutionsMs);
  return grpc::CreateCustomChannel(BalancedTarget(address), grpc::InsecureChannelCredentials(),
                                   args);
}

}  // namespace platform
