#include "actors/connector/connector_metrics.h"

#include "gtest/gtest.h"

namespace platform::connector {
namespace {

TEST(ConnectorMetrics, RendersEveryCounterForPrometheus) {
  ConnectorMetrics metrics;
  metrics.approved = 5;
  metrics.dead_lettered = 1;
  metrics.in_flight = 3;
  metrics.lag = 42;
  metrics.circuit_open = true;
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("connector_charges_approved_total 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("connector_dead_lettered_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE connector_in_flight gauge\nconnector_in_flight 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("connector_lag 42\n"), std::string::npos);
  EXPECT_NE(text.find("connector_retries_total 0\n"), std::string::npos);
  EXPECT_NE(text.find("connector_psp_circuit_open 1\n"), std::string::npos);
}

}  // namespace
}  // namespace platform::connector
