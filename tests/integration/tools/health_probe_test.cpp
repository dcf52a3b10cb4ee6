// The probe the containers' HEALTHCHECKs and the orchestrators run: healthy
// (exit 0) only when the real service says so over its real protocol.
#include <string>

#include "gtest/gtest.h"
#include "tests/support/platform_stack.h"
#include "tests/support/service_process.h"

namespace platform {
namespace {

using testing::BinaryPath;
using testing::ServiceProcess;

// Runs the probe with PROBED_PORT=port and returns its exit code and output.
std::pair<std::optional<int>, std::string> Probe(std::vector<std::string> args, uint16_t port) {
  ServiceProcess probe(BinaryPath("health_probe"), {{"PROBED_PORT", std::to_string(port)}},
                       std::move(args));
  const std::optional<int> code = probe.WaitForExit(std::chrono::seconds(10));
  return {code, probe.output()};
}

TEST(HealthProbe, GrpcIsHealthyWhileTheServiceServesAndNotOnceItStopped) {
  ServiceProcess psp(BinaryPath("psp_mock"), {{"GRPC_HOST", "127.0.0.1"}, {"GRPC_PORT", "0"}});
  const uint16_t port = psp.WaitForPort();
  ASSERT_NE(port, 0);

  EXPECT_EQ(Probe({"grpc", "PROBED_PORT", "1"}, port).first, std::optional<int>(0));

  ASSERT_EQ(psp.Stop(), 0);
  const auto [code, output] = Probe({"grpc", "PROBED_PORT", "1"}, port);
  EXPECT_EQ(code, std::optional<int>(1));
  EXPECT_NE(output.find("unhealthy: "), std::string::npos) << output;
}

TEST(HealthProbe, HttpIsHealthyOnlyWhenThePathAnswers200) {
  testing::PlatformStack::Options options;
  options.with_core = false;  // the gateway's /health then answers 503
  testing::PlatformStack stack(options);
  const uint16_t port = stack.gateway().WaitForPort();
  ASSERT_NE(port, 0);

  EXPECT_EQ(Probe({"http", "PROBED_PORT", "1", "/auth/health"}, port).first, std::optional<int>(0));
  const auto [code, output] = Probe({"http", "PROBED_PORT", "1", "/health"}, port);
  EXPECT_EQ(code, std::optional<int>(1));
  EXPECT_NE(output.find("HTTP 503"), std::string::npos) << output;
}

TEST(HealthProbe, TheDefaultPortServesWhenTheVariableIsUnsetAndBadUseExitsTwo) {
  ServiceProcess psp(BinaryPath("psp_mock"), {{"GRPC_HOST", "127.0.0.1"}, {"GRPC_PORT", "0"}});
  const uint16_t port = psp.WaitForPort();
  ASSERT_NE(port, 0);
  EXPECT_EQ(Probe({"grpc", "UNSET_PORT_VARIABLE", std::to_string(port)}, port).first,
            std::optional<int>(0));

  EXPECT_EQ(Probe({"grpc", "PROBED_PORT", "1", "extra"}, port).first, std::optional<int>(2));
  EXPECT_EQ(Probe({"smtp", "PROBED_PORT", "1"}, port).first, std::optional<int>(2));
  const auto [code, output] = Probe({"grpc", "UNSET_PORT_VARIABLE", "70000"}, port);
  EXPECT_EQ(code, std::optional<int>(2));
  EXPECT_NE(output.find("UNSET_PORT_VARIABLE is not a port"), std::string::npos) << output;
}

}  // namespace
}  // namespace platform
