// The psp_mock binary over gRPC: the product part the connector charges.
#include <atomic>
#include <thread>

#include "actors/shared/runtime/grpc_call.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "platform/psp/v1/psp.grpc.pb.h"
#include "tests/support/service_process.h"

namespace platform::psp_mock {
namespace {

using testing::BinaryPath;
using testing::ServiceProcess;

class PspMockTest : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> env = {}) {
    env.emplace("GRPC_HOST", "127.0.0.1");
    env.emplace("GRPC_PORT", "0");
    env.emplace("PSP_SLOW_MS", "400");
    psp_ = std::make_unique<ServiceProcess>(BinaryPath("psp_mock"), env);
    const uint16_t port = psp_->WaitForPort();
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
    stub_ = psp::v1::PspService::NewStub(channel_);
  }
  void SetUp() override { Start(); }

  grpc::Status Charge(const std::string& key, int64_t amount, psp::v1::ChargeResponse* out,
                      std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    psp::v1::ChargeRequest request;
    request.set_idempotency_key(key);
    request.set_amount(amount);
    request.set_currency("USD");
    request.set_user_id(1);
    return stub_->Charge(&context, request, out);
  }

  psp::v1::ListChargesResponse List() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    psp::v1::ListChargesResponse response;
    EXPECT_TRUE(stub_->ListCharges(&context, {}, &response).ok());
    return response;
  }

  std::unique_ptr<ServiceProcess> psp_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<psp::v1::PspService::Stub> stub_;
};

TEST_F(PspMockTest, ChargesOncePerKeyAndListsRepeats) {
  psp::v1::ChargeResponse first, again;
  ASSERT_TRUE(Charge("tx_a", 100, &first).ok());
  EXPECT_EQ(first.outcome(), psp::v1::APPROVED);
  ASSERT_TRUE(Charge("tx_a", 100, &again).ok());
  EXPECT_EQ(again.psp_reference(), first.psp_reference());
  psp::v1::ChargeResponse declined;
  ASSERT_TRUE(Charge("tx_b", 402, &declined).ok());
  EXPECT_EQ(declined.outcome(), psp::v1::DECLINED);
  const auto list = List();
  ASSERT_EQ(list.charges_size(), 2);
  for (const auto& charge : list.charges()) {
    EXPECT_EQ(charge.repeats(), charge.idempotency_key() == "tx_a" ? 1 : 0);
  }
}

TEST_F(PspMockTest, TransientFailuresAreUnavailable) {
  psp::v1::ChargeResponse response;
  EXPECT_EQ(Charge("tx_f", 503, &response).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Charge("tx_f", 503, &response).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(Charge("tx_f", 503, &response).ok());
  EXPECT_EQ(Charge("tx_x", 500, &response).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(PspMockTest, SlowAmountAnswersLateWithoutHoldingOthers) {
  psp::v1::ChargeResponse slow, fast;
  // A caller with a short deadline gives up on the slow charge...
  EXPECT_EQ(Charge("tx_s", 504, &slow, std::chrono::milliseconds(100)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // ...which was made all the same, and a retry gets its answer.
  // While a slow charge is at the PSP, another one is answered: the fast
  // charge is sent after the slow one and its answer comes back first.
  const absl::Time start = absl::Now();
  std::atomic<bool> slow_answered{false};
  std::thread slow_call([&] {
    EXPECT_TRUE(Charge("tx_s", 504, &slow).ok());
    slow_answered = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the slow one is in
  ASSERT_TRUE(Charge("tx_t", 100, &fast).ok());
  EXPECT_FALSE(slow_answered) << "the fast charge waited for the slow one";
  slow_call.join();
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(350));  // PSP_SLOW_MS really applied
  EXPECT_EQ(List().charges_size(), 2);
}

TEST_F(PspMockTest, AddedLatencyAppliesToEveryAnswer) {
  Start({{"PSP_LATENCY_MS", "200"}});
  const absl::Time start = absl::Now();
  psp::v1::ChargeResponse response;
  ASSERT_TRUE(Charge("tx_l", 100, &response).ok());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(190));
}

TEST_F(PspMockTest, EveryFirstAttemptFailsAtAHundredPercent) {
  Start({{"PSP_ERROR_PERCENT", "100"}});
  psp::v1::ChargeResponse response;
  EXPECT_EQ(Charge("tx_e", 100, &response).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(Charge("tx_e", 100, &response).ok());
}

TEST_F(PspMockTest, ServesHealth) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("platform.psp.v1.PspService");
  std::string bytes;
  ASSERT_TRUE(runtime::CallByName(channel_, "/grpc.health.v1.Health/Check",
                                  request.SerializeAsString(), &bytes)
                  .ok());
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(response.ParseFromString(bytes));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace platform::psp_mock
