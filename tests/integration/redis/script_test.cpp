#include "actors/shared/redis/script.h"

#include <future>

#include "actors/shared/redis/client.h"
#include "actors/shared/redis/pipeline.h"
#include "actors/shared/redis/redis_url.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace platform::redis {
namespace {

// KEYS: a counter. ARGV: a step. Answers the counter after the step.
const Script kAddScript(R"lua(return redis.call('INCRBY', KEYS[1], ARGV[1]))lua");

Endpoint EndpointOf(const testing::RedisServer& server) {
  absl::StatusOr<Endpoint> endpoint = ParseUrl(server.Url());
  EXPECT_TRUE(endpoint.ok()) << endpoint.status();
  return *endpoint;
}

TEST(RedisScript, IsCalledByItsSha1) {
  const std::vector<std::string> argv = kAddScript.Call({"counter"}, {"5"});
  EXPECT_EQ(argv, (std::vector<std::string>{"EVALSHA", kAddScript.sha1(), "1", "counter", "5"}));
  EXPECT_EQ(kAddScript.sha1().size(), 40u);
}

TEST(RedisScript, AClientCallsItOnARedisThatHasNotSeenItOrHasForgottenIt) {
  testing::RedisServer server;
  Client client(EndpointOf(server), absl::Seconds(2));
  absl::StatusOr<Reply> first = client.Run(kAddScript.Call({"counter"}, {"5"}));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->integer, 5) << first->text;
  server.Run({"SCRIPT", "FLUSH"});  // what a restart does to loaded scripts
  absl::StatusOr<std::vector<Reply>> batch = client.RunAll(
      {kAddScript.Call({"counter"}, {"1"}), {"GET", "counter"}, kAddScript.Call({"other"}, {"2"})});
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ((*batch)[0].integer, 6) << (*batch)[0].text;
  EXPECT_EQ((*batch)[1].text, "5");  // read before the script ran again: in order
  EXPECT_EQ((*batch)[2].integer, 2) << (*batch)[2].text;
  EXPECT_EQ(server.Run({"GET", "counter"}).text, "6");
}

TEST(RedisScript, APipelineCallsItOnARedisThatHasForgottenIt) {
  testing::RedisServer server;
  Pipeline pipeline(EndpointOf(server), PipelineOptions{});
  const auto call = [&](const std::string& step) {
    std::promise<absl::StatusOr<Reply>> answered;
    pipeline.Submit(kAddScript.Call({"counter"}, {step}),
                    [&](absl::StatusOr<Reply> reply) { answered.set_value(std::move(reply)); });
    return answered.get_future().get();
  };
  absl::StatusOr<Reply> first = call("3");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->integer, 3) << first->text;
  server.Run({"SCRIPT", "FLUSH"});
  absl::StatusOr<Reply> again = call("4");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->integer, 7) << again->text;
}

TEST(RedisScript, AnUnknownSha1IsAnsweredAsRedisAnswersIt) {
  testing::RedisServer server;
  Client client(EndpointOf(server), absl::Seconds(2));
  absl::StatusOr<Reply> reply = client.Run({"EVALSHA", std::string(40, 'a'), "1", "counter", "1"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_error());
  EXPECT_NE(reply->text.find("NOSCRIPT"), std::string::npos) << reply->text;
  EXPECT_EQ(server.Run({"EXISTS", "counter"}).integer, 0);
}

}  // namespace
}  // namespace platform::redis
