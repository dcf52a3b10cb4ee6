// Core's service logic in this process, its clock in the test's hands: the
// real TransactionService over the real Redis store and a real
// redis-server, served by the programs' own gRPC bootstrap. What only a
// clock of its own can show (expiry, ids ordered by time) is tested here;
// core_service_test.cpp drives the core binary itself.
#include "actors/core/transaction_service.h"

#include <atomic>

#include "actors/core/redis_transaction_store.h"
#include "actors/shared/redis/redis_url.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/in_process_server.h"
#include "tests/support/redis_server.h"

namespace platform::core {
namespace {

constexpr char kSecret[] = "core-in-process-secret-of-32-bytes-or-more";

redis::Endpoint EndpointOf(const testing::RedisServer& server) {
  absl::StatusOr<redis::Endpoint> endpoint = redis::ParseUrl(server.Url());
  EXPECT_TRUE(endpoint.ok()) << endpoint.status();
  return *endpoint;
}

class TransactionServiceTest : public ::testing::Test {
 protected:
  TransactionServiceTest()
      : store_(EndpointOf(redis_), RedisStoreOptions{}),
        service_(jwt::Hs256(kSecret), store_,
                 [this] { return absl::Now() + absl::Seconds(skew_seconds_.load()); }),
        server_({service_.Served()}),
        stub_(v1::TransactionService::NewStub(server_.Channel())) {}

  // A token that expires `seconds` from now, by the wall clock.
  static std::string TokenExpiringIn(int64_t seconds, int64_t user_id = 1) {
    return jwt::Hs256(kSecret).Sign(
        {user_id, "user", true, absl::ToUnixSeconds(absl::Now()) + seconds});
  }

  grpc::Status Create(const std::string& token, v1::Transaction* out,
                      const std::string& idempotency_key = "") {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!idempotency_key.empty()) context.AddMetadata("idempotency-key", idempotency_key);
    v1::CreateTransactionRequest request;
    request.set_token(token);
    request.set_amount(100);
    request.set_currency("USD");
    return stub_->CreateTransaction(&context, request, out);
  }

  grpc::Status Get(const std::string& id, const std::string& token, v1::Transaction* out) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::GetTransactionRequest request;
    request.set_id(id);
    request.set_token(token);
    return stub_->GetTransaction(&context, request, out);
  }

  testing::RedisServer redis_;
  std::atomic<int64_t> skew_seconds_{0};  // the service's clock, ahead of the wall's
  RedisTransactionStore store_;
  TransactionService service_;
  testing::InProcessServer server_;
  std::unique_ptr<v1::TransactionService::Stub> stub_;
};

TEST_F(TransactionServiceTest, TheServicesClockDecidesWhetherATokenHasExpired) {
  const std::string token = TokenExpiringIn(3);
  v1::Transaction created;
  skew_seconds_ = 4;  // past the token's exp by the service's clock only
  const grpc::Status expired = Create(token, &created);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(expired.error_message(), "Signature has expired.");
  EXPECT_EQ(redis_.Run({"XLEN", "transactions"}).integer, 0);  // nothing stored

  skew_seconds_ = 0;
  const grpc::Status accepted = Create(token, &created);
  ASSERT_TRUE(accepted.ok()) << accepted.error_message();
  EXPECT_EQ(created.status(), "queued");
  EXPECT_EQ(redis_.Run({"XLEN", "transactions"}).integer, 1);
}

TEST_F(TransactionServiceTest, IdsFollowTheServicesClockSoTheySortByCreationTime) {
  v1::Transaction now;
  ASSERT_TRUE(Create(TokenExpiringIn(60), &now).ok());
  skew_seconds_ = -3600;  // an hour earlier, by the service's clock
  v1::Transaction earlier;
  ASSERT_TRUE(Create(TokenExpiringIn(60), &earlier).ok());
  EXPECT_LT(earlier.id(), now.id());
  EXPECT_EQ(earlier.id().substr(0, 3), "tx_");
}

TEST_F(TransactionServiceTest, AnIdempotentRetryWithAFreshTokenGetsTheFirstTransaction) {
  v1::Transaction first;
  ASSERT_TRUE(Create(TokenExpiringIn(30), &first, "order-1").ok());
  v1::Transaction again;
  const grpc::Status replayed = Create(TokenExpiringIn(60), &again, "order-1");
  ASSERT_TRUE(replayed.ok()) << replayed.error_message();
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(redis_.Run({"XLEN", "transactions"}).integer, 1);
}

TEST_F(TransactionServiceTest, ATransactionIsReadBackByItsOwnerOnly) {
  v1::Transaction created;
  ASSERT_TRUE(Create(TokenExpiringIn(30, /*user_id=*/1), &created).ok());
  v1::Transaction read;
  const grpc::Status mine = Get(created.id(), TokenExpiringIn(30, 1), &read);
  ASSERT_TRUE(mine.ok()) << mine.error_message();
  EXPECT_EQ(read.id(), created.id());
  EXPECT_EQ(read.amount(), 100);
  EXPECT_EQ(read.currency(), "USD");

  const grpc::Status theirs = Get(created.id(), TokenExpiringIn(30, 2), &read);
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(theirs.error_message(), "Transaction belongs to another user");

  const grpc::Status unknown = Get("tx_01aaaaaaaaaaaaaaaaaaaaaaaa", TokenExpiringIn(30, 1), &read);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace platform::core
