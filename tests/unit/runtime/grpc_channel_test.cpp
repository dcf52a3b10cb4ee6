#include "actors/shared/runtime/grpc_channel.h"

#include "gtest/gtest.h"

namespace platform {
namespace {

TEST(GrpcChannel, AHostAndPortIsResolvedForEveryReplicaBehindIt) {
  EXPECT_EQ(BalancedTarget("core:50052"), "dns:///core:50052");
  EXPECT_EQ(BalancedTarget("unix:/run/core.sock"), "unix:/run/core.sock");
  EXPECT_EQ(BalancedTarget("ipv4:10.0.0.1:1,10.0.0.2:1"), "ipv4:10.0.0.1:1,10.0.0.2:1");
}

TEST(GrpcChannel, TakesNamesAddressesAndTargetsThatNameTheirResolver) {
  for (const char* address :
       {"core:50052", "127.0.0.1:1", "[::1]:65535", "core.platform.svc.cluster.local:50052",
        "payment-platform_core:50052", "dns:///core:50052", "unix:/run/core.sock"}) {
    EXPECT_TRUE(CheckServiceAddress(address).ok()) << address;
  }
}

TEST(GrpcChannel, RefusesWhatNoChannelCouldDialAndSaysWhy) {
  for (const char* address :
       {"", "core", "core:", ":50052", "core:0", "core:65536", "core:5x", "core:+1",
        "http://core:50052", "core mock:50052", "[]:1", "core:50052 ",
        // Bytes an attacker or a bad template could put there.
        "core:5005\n2", "co\nre:1", "c\xffore:1", "core:50052\r", "../core:1"}) {
    const absl::Status status = CheckServiceAddress(address);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << address;
    EXPECT_NE(status.message().find("is not a gRPC address"), absl::string_view::npos) << address;
  }
}

}  // namespace
}  // namespace platform
