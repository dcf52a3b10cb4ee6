#include "actors/shared/runtime/health_report.h"

#include "gtest/gtest.h"

namespace platform {
namespace {

TEST(HealthReport, NoChecksPassAsTheReferenceWritesIt) {
  EXPECT_EQ(HealthReport({}), R"({"checks": {}, "status": "pass"})");
  EXPECT_TRUE(HealthPasses({}));
}

TEST(HealthReport, AServiceNotServingFailsWithNoChecks) {
  EXPECT_EQ(HealthReport({}, /*serving=*/false), R"({"checks": {}, "status": "fail"})");
  EXPECT_FALSE(HealthPasses({}, /*serving=*/false));
}

TEST(HealthReport, OneFailedCheckFailsAllAndSaysWhy) {
  const std::map<std::string, absl::Status> checks = {
      {"auth", absl::OkStatus()}, {"core", absl::UnavailableError("connection \"refused\"")}};
  EXPECT_EQ(HealthReport(checks),
            R"({"checks": {"auth": {"status": "pass"}, "core": {"status": "fail", )"
            R"("output": "connection \"refused\""}}, "status": "fail"})");
  EXPECT_FALSE(HealthPasses(checks));
}

TEST(HealthReport, AFailureWithoutAMessageHasNoOutput) {
  EXPECT_EQ(HealthReport({{"redis", absl::UnavailableError("")}}),
            R"({"checks": {"redis": {"status": "fail"}}, "status": "fail"})");
}

}  // namespace
}  // namespace platform
