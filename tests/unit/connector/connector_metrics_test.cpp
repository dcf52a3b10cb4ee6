#include "actors/connector/connector_metrics.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace platform::connector {
namespace {

std::string Text(const ConnectorMetrics& metrics) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, metrics.Collect());
  return out.str();
}

TEST(ConnectorMetrics, ExportsEveryCounterForPrometheus) {
  ConnectorMetrics metrics;
  metrics.approved = 5;
  metrics.declined = 2;
  metrics.dead_lettered = 1;
  metrics.in_flight = 3;
  metrics.lag = 42;
  metrics.circuit_open = true;
  const std::string text = Text(metrics);
  EXPECT_NE(text.find("# TYPE connector_charges_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("connector_charges_total{outcome=\"approved\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("connector_charges_total{outcome=\"declined\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("connector_charges_total{outcome=\"failed\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("connector_dead_lettered_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE connector_in_flight gauge\nconnector_in_flight 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("connector_lag 42\n"), std::string::npos);
  EXPECT_NE(text.find("connector_retries_total 0\n"), std::string::npos);
  EXPECT_NE(text.find("connector_psp_circuit_open 1\n"), std::string::npos);
}

}  // namespace
}  // namespace platform::connector
