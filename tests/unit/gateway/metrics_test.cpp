#include "gateway/metrics.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace platform::gateway {
namespace {

std::string Render(const Metrics& metrics) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, metrics.Collect());
  return out.str();
}

TEST(Metrics, CountsRequestsByRouteAndStatus) {
  Metrics metrics({"POST /auth/token", "GET /health"});
  metrics.Record(1, 200, absl::Microseconds(300));
  metrics.Record(1, 200, absl::Milliseconds(3));
  metrics.Record(1, 401, absl::Milliseconds(1));
  metrics.Record(Metrics::kUnrouted, 404, absl::ZeroDuration());
  metrics.Record(2, 299, absl::ZeroDuration());  // not a listed status
  const std::string text = Render(metrics);
  EXPECT_NE(text.find(R"(gateway_http_requests_total{code="200",route="POST /auth/token"} 2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(gateway_http_requests_total{code="401",route="POST /auth/token"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(gateway_http_requests_total{code="404",route="unrouted"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(gateway_http_requests_total{code="other",route="GET /health"} 1)"),
            std::string::npos);
}

TEST(Metrics, KeepsACumulativeLatencyHistogram) {
  Metrics metrics({"POST /auth/token"});
  metrics.Record(1, 200, absl::Microseconds(300));  // <= 0.0005
  metrics.Record(1, 200, absl::Milliseconds(3));    // <= 0.005
  metrics.Record(1, 200, absl::Seconds(10));        // +Inf only
  const std::string text = Render(metrics);
  const std::string route = R"(route="POST /auth/token")";
  EXPECT_NE(
      text.find("gateway_http_request_duration_seconds_bucket{" + route + R"(,le="0.0005"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("gateway_http_request_duration_seconds_bucket{" + route + R"(,le="0.005"} 2)"),
      std::string::npos);
  EXPECT_NE(text.find("gateway_http_request_duration_seconds_bucket{" + route + R"(,le="2.5"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find("gateway_http_request_duration_seconds_bucket{" + route + R"(,le="+Inf"} 3)"),
            std::string::npos);
  EXPECT_NE(text.find("gateway_http_request_duration_seconds_count{" + route + "} 3"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE gateway_http_request_duration_seconds histogram"), std::string::npos);
}

}  // namespace
}  // namespace platform::gateway
