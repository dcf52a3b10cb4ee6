// Redis that fails over: a primary, two replicas and three Sentinels, all
// real (Debian's redis-server, its Sentinel mode as redis-sentinel runs
// it), as deployed (deploy/swarm/stack.yaml). The programs' Redis
// connections find the primary through the Sentinels, follow a failover by
// themselves, and answer a write that must survive a failover only once a
// replica has it.
#include <algorithm>
#include <future>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/core/redis_transaction_store.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/redis/pipeline.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace platform::redis {
namespace {

constexpr char kPassword[] = "failover-password";

// Waits until the primary counts `replicas` replicas in sync.
bool WaitForReplicas(testing::RedisServer& primary, int replicas) {
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  const std::string wanted = absl::StrCat("connected_slaves:", replicas);
  while (absl::Now() < give_up) {
    const Reply info = primary.Run({"INFO", "replication"});
    if (info.text.find(wanted) != std::string::npos &&
        info.text.find("state=online") != std::string::npos) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

class RedisFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    primary_ = std::make_unique<testing::RedisServer>(
        testing::RedisServer::Options{kPassword, /*append_only=*/true});
    for (int i = 0; i < 2; ++i) {
      replicas_.push_back(std::make_unique<testing::RedisServer>(
          testing::RedisServer::Options{kPassword, /*append_only=*/true, primary_->port()}));
    }
    ASSERT_TRUE(WaitForReplicas(*primary_, 2));
    for (int i = 0; i < 3; ++i) {
      sentinels_.push_back(std::make_unique<testing::RedisSentinel>(primary_->port(), kPassword));
    }
    // Sentinels find each other through the primary: until they have, its
    // death could not be agreed on.
    for (const auto& sentinel : sentinels_) ASSERT_TRUE(sentinel->WaitUntilWatching(2, 2));
    endpoint_.password = kPassword;
    endpoint_.master_name = "platform";
    for (const auto& sentinel : sentinels_) {
      endpoint_.sentinels.push_back({"127.0.0.1", sentinel->port()});
    }
  }

  // One command through the pipeline, waited for.
  static absl::StatusOr<Reply> Call(Pipeline& pipeline, std::vector<std::string> argv,
                                    Durability durability = Durability::kPrimary) {
    std::promise<absl::StatusOr<Reply>> answered;
    pipeline.Submit(
        std::move(argv), [&](const absl::StatusOr<Reply>& reply) { answered.set_value(reply); },
        absl::InfiniteFuture(), durability);
    return answered.get_future().get();
  }

  std::unique_ptr<testing::RedisServer> primary_;
  std::vector<std::unique_ptr<testing::RedisServer>> replicas_;
  std::vector<std::unique_ptr<testing::RedisSentinel>> sentinels_;
  Endpoint endpoint_;
};

TEST_F(RedisFailoverTest, APipelineFollowsTheSentinelsToTheNewPrimaryAndLosesNoConfirmedWrite) {
  PipelineOptions options;
  options.timeout = absl::Milliseconds(500);
  options.max_backoff = absl::Milliseconds(200);
  options.replicas = 1;
  Pipeline pipeline(endpoint_, options);
  // Every INCR answered is on the replica too: after the failover the
  // counter goes on from the highest value answered, never repeats one.
  std::set<int64_t> answered;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<Reply> reply = Call(pipeline, {"INCR", "counter"}, Durability::kReplicated);
    ASSERT_TRUE(reply.ok()) << reply.status();
    answered.insert(reply->integer);
  }
  primary_->Kill();
  const absl::Time killed = absl::Now();
  // Writes wait for a replica: the Sentinels promote one and turn the other
  // into its replica, and writes are confirmed again without the old
  // primary coming back.
  int failed = 0;
  absl::Time serving_again = absl::InfiniteFuture();
  while (absl::Now() - killed < testing::TimeLimit(absl::Seconds(20))) {
    absl::StatusOr<Reply> reply = Call(pipeline, {"INCR", "counter"}, Durability::kReplicated);
    if (reply.ok() && !reply->is_error()) {
      EXPECT_TRUE(answered.insert(reply->integer).second) << "answered twice: " << reply->integer;
      if (serving_again == absl::InfiniteFuture()) serving_again = absl::Now();
      if (answered.size() >= 30) break;
    } else {
      ++failed;
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  ASSERT_NE(serving_again, absl::InfiniteFuture()) << "never served again after the primary died";
  // A replica is the primary now, the other its replica, and both hold
  // every write answered.
  std::vector<std::string> roles;
  for (const auto& server : replicas_) {
    roles.push_back(server->Run({"ROLE"}).elements.at(0).text);
    EXPECT_EQ(server->Run({"GET", "counter"}).text, absl::StrCat(*answered.rbegin()));
  }
  std::sort(roles.begin(), roles.end());
  EXPECT_EQ(roles, (std::vector<std::string>{"master", "slave"}));
  const double seconds = absl::ToDoubleSeconds(serving_again - killed);
  // The Sentinels' own timing (a second to call it down, then a vote):
  // 10 s, stretched only under a sanitizer's slowdown.
  EXPECT_LT(serving_again - killed, testing::TimeLimit(absl::Seconds(10)));
  std::printf(
      "failover | primary killed: served again after %.2f s (%d commands refused meanwhile), "
      "%zu writes answered, none lost\n",
      seconds, failed, answered.size());
}

TEST_F(RedisFailoverTest, AWriteNoReplicaConfirmsInTimeIsNotAnsweredAsDone) {
  PipelineOptions options;
  options.replicas = 1;
  options.replication_timeout = absl::Milliseconds(100);
  Pipeline pipeline(endpoint_, options);
  ASSERT_TRUE(Call(pipeline, {"SET", "before", "1"}, Durability::kReplicated).ok());
  for (const auto& replica : replicas_) replica->Pause();
  const absl::StatusOr<Reply> unconfirmed =
      Call(pipeline, {"SET", "during", "1"}, Durability::kReplicated);
  EXPECT_TRUE(absl::IsAborted(unconfirmed.status())) << unconfirmed.status();
  // A read waits for nobody.
  EXPECT_TRUE(Call(pipeline, {"GET", "before"}).ok());
  for (const auto& replica : replicas_) replica->Resume();
  EXPECT_TRUE(Call(pipeline, {"SET", "after", "1"}, Durability::kReplicated).ok());
}

TEST_F(RedisFailoverTest, CoreTakesBackATransactionNoReplicaConfirmedSoIts503IsTrue) {
  core::RedisStoreOptions options;
  options.connections = 1;
  options.pipeline.replicas = 1;
  options.pipeline.replication_timeout = absl::Milliseconds(100);
  core::RedisTransactionStore store(endpoint_, options);
  const auto create = [&](const std::string& id) {
    core::TransactionRecord record;
    record.id = id;
    record.user_id = 7;
    record.amount = 100;
    record.currency = "USD";
    record.created_at_ms = absl::ToUnixMillis(absl::Now());
    std::promise<absl::StatusOr<core::CreateOutcome>> answered;
    store.Create(
        record, std::nullopt, absl::Now() + absl::Seconds(2),
        [&](const absl::StatusOr<core::CreateOutcome>& outcome) { answered.set_value(outcome); });
    return answered.get_future().get();
  };
  ASSERT_TRUE(create("confirmed").ok());
  for (const auto& replica : replicas_) replica->Pause();
  const absl::StatusOr<core::CreateOutcome> refused = create("unconfirmed");
  for (const auto& replica : replicas_) replica->Resume();
  EXPECT_TRUE(absl::IsUnavailable(refused.status())) << refused.status();
  // Nothing of it is left for a connector to charge.
  EXPECT_EQ(primary_->Run({"EXISTS", ledger::TransactionKey(ledger::kDefaultStream, "unconfirmed")})
                .integer,
            0);
  EXPECT_EQ(primary_->Run({"XLEN", "transactions"}).integer, 1);
}

}  // namespace
}  // namespace platform::redis
