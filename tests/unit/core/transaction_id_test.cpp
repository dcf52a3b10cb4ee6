#include "actors/core/transaction_id.h"

#include <set>

#include "gtest/gtest.h"
#include "platform/api/v1/http.pb.h"
#include "platform/core/v1/core.pb.h"
#include "re2/re2.h"

namespace platform::core {
namespace {

TEST(TransactionId, HasTheFormTheGatewayRoutes) {
  // The contract: the path_pattern option on GetTransactionRequest.id in
  // core.proto, which the gateway routes by.
  const std::string contract =
      core::v1::GetTransactionRequest::descriptor()->FindFieldByName("id")->options().GetExtension(
          api::v1::path_pattern);
  ASSERT_FALSE(contract.empty());
  const re2::RE2 pattern(contract);
  ASSERT_TRUE(pattern.ok()) << contract;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewTransactionId();
    EXPECT_TRUE(re2::RE2::FullMatch(id, pattern)) << id;
    EXPECT_TRUE(IsTransactionId(id)) << id;
  }
}

TEST(TransactionId, AreUniqueAndSortByTime) {
  std::set<std::string> ids;
  const absl::Time start = absl::FromUnixMillis(1'700'000'000'000);
  std::string previous;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewTransactionId(start + absl::Milliseconds(i));
    EXPECT_GT(id, previous);
    previous = id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(TransactionId, RecognisesOnlyItsForm) {
  EXPECT_FALSE(IsTransactionId(""));
  EXPECT_FALSE(IsTransactionId("tx_"));
  EXPECT_FALSE(IsTransactionId("no-such-endpoint"));
  EXPECT_FALSE(IsTransactionId("tx_01HZY3K4M5N6P7Q8R9S0T1V2W3"));  // upper case
  EXPECT_FALSE(IsTransactionId("tx_01hzy3k4m5n6p7q8r9s0t1v2wu"));  // 'u' is not Crockford
  EXPECT_FALSE(IsTransactionId("tx_81hzy3k4m5n6p7q8r9s0t1v2w3"));  // more than 128 bits
  EXPECT_TRUE(IsTransactionId("tx_01hzy3k4m5n6p7q8r9s0t1v2w3"));
}

}  // namespace
}  // namespace platform::core
