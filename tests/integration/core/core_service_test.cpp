// The core binary against a real redis-server, called over gRPC.
#include <signal.h>

#include <atomic>
#include <set>
#include <thread>

#include "actors/shared/jwt/hs256.h"
#include "actors/shared/ledger/schema.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "platform/core/v1/core.grpc.pb.h"
#include "platform/core/v1/transaction_event.pb.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace platform::core {
namespace {

using testing::BinaryPath;
using testing::RedisServer;
using testing::ServiceProcess;

constexpr char kSecret[] = "core-integration-secret-of-32-bytes-or-more";

std::string Token(int64_t user_id = 1, bool enabled = true) {
  return jwt::Hs256(kSecret).Sign(
      {user_id, "user", enabled, absl::ToUnixSeconds(absl::Now()) + 30});
}

class CoreServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { StartCore(redis_.Url()); }

  void StartCore(const std::string& redis_url, const std::string& redis_timeout_ms = "500") {
    core_.reset();
    core_ = std::make_unique<ServiceProcess>(
        BinaryPath("core"),
        std::map<std::string, std::string>{{"JWT_SECRET", kSecret},
                                           {"GRPC_HOST", "127.0.0.1"},
                                           {"GRPC_PORT", "0"},
                                           {"REDIS_URL", redis_url},
                                           {"REDIS_TIMEOUT_MS", redis_timeout_ms}});
    const uint16_t port = core_->WaitForPort();
    ASSERT_NE(port, 0);
    stub_ = v1::TransactionService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }

  grpc::Status Create(int64_t amount, const std::string& currency, v1::Transaction* out,
                      const std::string& idempotency_key = "", const std::string& token = Token(),
                      std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    context.AddMetadata("x-request-id", "req-it-1");
    if (!idempotency_key.empty()) context.AddMetadata("idempotency-key", idempotency_key);
    v1::CreateTransactionRequest request;
    request.set_token(token);
    request.set_amount(amount);
    request.set_currency(currency);
    return stub_->CreateTransaction(&context, request, out);
  }

  grpc::Status Get(const std::string& id, const std::string& token, v1::Transaction* out,
                   bool as_bearer = false) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::GetTransactionRequest request;
    request.set_id(id);
    if (as_bearer) {
      context.AddMetadata("authorization", "Bearer " + token);
    } else {
      request.set_token(token);
    }
    return stub_->GetTransaction(&context, request, out);
  }

  int64_t StreamLength() { return redis_.Run({"XLEN", "transactions"}).integer; }

  RedisServer redis_;
  std::unique_ptr<ServiceProcess> core_;
  std::unique_ptr<v1::TransactionService::Stub> stub_;
};

TEST_F(CoreServiceTest, StoresTheHashAndQueuesTheEventBeforeAnswering) {
  v1::Transaction answer;
  ASSERT_TRUE(Create(100, "USD", &answer).ok());
  EXPECT_EQ(answer.amount(), 100);
  EXPECT_EQ(answer.currency(), "USD");
  EXPECT_EQ(answer.user_id(), 1);
  EXPECT_EQ(answer.status(), "queued");
  ASSERT_EQ(answer.id().rfind("tx_", 0), 0u);

  // The moment the answer is here, both records are in Redis.
  const redis::Reply hash =
      redis_.Run({"HGETALL", ledger::TransactionKey(ledger::kDefaultStream, answer.id())});
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    fields[hash.elements[i].text] = hash.elements[i + 1].text;
  }
  EXPECT_EQ(fields["status"], "queued");
  EXPECT_EQ(fields["amount"], "100");
  EXPECT_EQ(fields["currency"], "USD");
  EXPECT_EQ(fields["user_id"], "1");
  EXPECT_EQ(fields["request_id"], "req-it-1");
  EXPECT_FALSE(fields["created_at_ms"].empty());

  const redis::Reply entries = redis_.Run({"XRANGE", "transactions", "-", "+"});
  ASSERT_EQ(entries.elements.size(), 1u);
  const redis::Reply& entry_fields = entries.elements[0].elements[1];
  ASSERT_EQ(entry_fields.elements.size(), 4u);
  EXPECT_EQ(entry_fields.elements[0].text, "id");
  EXPECT_EQ(entry_fields.elements[1].text, answer.id());
  EXPECT_EQ(entry_fields.elements[2].text, "event");
  v1::TransactionQueued event;
  ASSERT_TRUE(event.ParseFromString(entry_fields.elements[3].text));
  EXPECT_EQ(event.id(), answer.id());
  EXPECT_EQ(event.amount(), 100);
  EXPECT_EQ(event.currency(), "USD");
  EXPECT_EQ(event.user_id(), 1);
  EXPECT_EQ(event.request_id(), "req-it-1");
}

TEST_F(CoreServiceTest, RefusesWithTheReferenceMessages) {
  v1::Transaction answer;
  EXPECT_EQ(Create(0, "USD", &answer).error_message(), "Amount is blank");
  EXPECT_EQ(Create(5, "usd", &answer).error_message(), "Invalid currency code");
  const grpc::Status disabled = Create(5, "USD", &answer, "", Token(3, false));
  EXPECT_EQ(disabled.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(disabled.error_message(), "User not enabled for transactions");
  EXPECT_EQ(Create(5, "USD", &answer, "", "abc").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(StreamLength(), 0);  // nothing refused was queued
}

TEST_F(CoreServiceTest, ReplaysTheFirstAnswerForTheSameIdempotencyKey) {
  v1::Transaction first, again;
  ASSERT_TRUE(Create(250, "EUR", &first, "order-17").ok());
  ASSERT_TRUE(Create(250, "EUR", &again, "order-17", Token()).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.amount(), 250);
  EXPECT_EQ(again.status(), "queued");
  EXPECT_EQ(StreamLength(), 1);
  // Another user's same key is another transaction.
  v1::Transaction becky;
  ASSERT_TRUE(Create(250, "EUR", &becky, "order-17", Token(2)).ok());
  EXPECT_NE(becky.id(), first.id());
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(CoreServiceTest, RefusesAKeyReusedForAnotherTransaction) {
  v1::Transaction first, other;
  ASSERT_TRUE(Create(250, "EUR", &first, "order-18").ok());
  const grpc::Status status = Create(251, "EUR", &other, "order-18");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(status.error_message(), "Idempotency-Key was already used for a different transaction");
  EXPECT_EQ(StreamLength(), 1);
  const int64_t ttl =
      redis_.Run({"TTL", redis_.Run({"KEYS", "idempotency:*"}).elements[0].text}).integer;
  EXPECT_GT(ttl, 86400 - 60);
  EXPECT_LE(ttl, 86400);
}

TEST_F(CoreServiceTest, FiftyConcurrentRequestsWithOneKeyMakeOneTransaction) {
  std::vector<std::thread> clients;
  std::mutex mutex;
  std::set<std::string> ids;
  std::atomic<int> ok{0};
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&] {
      v1::Transaction answer;
      if (Create(999, "GBP", &answer, "same-key-for-all").ok()) {
        ++ok;
        std::lock_guard lock(mutex);
        ids.insert(answer.id());
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ok.load(), 50);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(StreamLength(), 1);
  EXPECT_EQ(redis_.Run({"KEYS", "transaction:*"}).elements.size(), 1u);
}

// A Redis at its maxmemory (noeviction, as shipped) refuses writes: the
// caller gets UNAVAILABLE, nothing half-written stays, and what was
// accepted before is still there.
TEST_F(CoreServiceTest, AFullRedisIsUnavailableAndKeepsWhatItHas) {
  v1::Transaction first;
  ASSERT_TRUE(Create(1, "USD", &first).ok());
  redis_.Run({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  redis_.Run({"CONFIG", "SET", "maxmemory", "1"});  // below what it already uses
  v1::Transaction answer;
  const grpc::Status full = Create(2, "USD", &answer);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(full.error_message(), "The transaction store is full");
  redis_.Run({"CONFIG", "SET", "maxmemory", "0"});
  EXPECT_EQ(StreamLength(), 1);
  EXPECT_EQ(
      redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, first.id()), "status"})
          .text,
      "queued");
  ASSERT_TRUE(Create(3, "USD", &answer).ok());
  EXPECT_EQ(StreamLength(), 2);
}

// A Redis busy with a long script refuses other commands without running
// them (BUSY); the caller may retry, so that is UNAVAILABLE (503), not a
// failure of core's (500). So are LOADING, READONLY and the like.
TEST_F(CoreServiceTest, ARedisThatRefusesForAWhileIsUnavailableNotAnInternalError) {
  v1::Transaction answer;
  ASSERT_TRUE(Create(1, "USD", &answer).ok());
  redis_.Run({"CONFIG", "SET", "busy-reply-threshold", "100"});
  std::thread busy([&] {
    // Runs until SCRIPT KILL; answers with an error then.
    redis::Endpoint endpoint;
    endpoint.port = redis_.port();
    auto connection = redis::Connection::Open(endpoint, absl::Seconds(10));
    if (connection.ok()) (void)(*connection)->Run({"EVAL", "while true do end", "0"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const grpc::Status status = Create(2, "USD", &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(status.error_message(), "The transaction store is unavailable");
  redis_.Run({"SCRIPT", "KILL"});
  busy.join();
  EXPECT_EQ(StreamLength(), 1);
  EXPECT_TRUE(Create(3, "USD", &answer).ok());
}

TEST_F(CoreServiceTest, RedisDownIsUnavailableQuicklyAndRecoveryIsAutomatic) {
  v1::Transaction answer;
  ASSERT_TRUE(Create(1, "USD", &answer).ok());
  redis_.Kill();
  for (int i = 0; i < 3; ++i) {
    const absl::Time start = absl::Now();
    const grpc::Status status = Create(2, "USD", &answer);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_LT(absl::Now() - start, testing::TimeLimit(absl::Seconds(1)));
  }
  redis_.Start();
  // Reconnection backs off for at most a second.
  grpc::Status status;
  for (int attempt = 0; attempt < 40; ++attempt) {
    status = Create(3, "USD", &answer);
    if (status.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(
      redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, answer.id()), "amount"})
          .text,
      "3");
}

// Redis stalls (CLIENT PAUSE WRITE) longer than callers wait: every caller
// is told its call failed, so when Redis resumes nothing may be created. Core
// waits on Redis longer than the callers do, so the commands really are
// in Redis when it resumes: the create script itself refuses them, and
// those still queued in core are never written.
TEST_F(CoreServiceTest, CreatesNothingOnceTheCallerHasGivenUp) {
  StartCore(redis_.Url(), /*redis_timeout_ms=*/"5000");
  v1::Transaction answer;
  ASSERT_TRUE(Create(1, "USD", &answer).ok());  // connected, script loaded
  redis_.Run({"CLIENT", "PAUSE", "1500", "WRITE"});
  std::vector<std::thread> callers;
  std::atomic<int> timed_out{0};
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&, i] {
      v1::Transaction out;
      const grpc::Status status =
          Create(10 + i, "USD", &out, "", Token(), std::chrono::milliseconds(400));
      if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) ++timed_out;
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(timed_out.load(), 6);
  // Redis resumes and runs what it held; core's waits end.
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(StreamLength(), 1);
  EXPECT_EQ(redis_.Run({"KEYS", "transaction:*"}).elements.size(), 1u);
  EXPECT_TRUE(core_->WaitForOutput("The transaction was not stored in time"));
  ASSERT_TRUE(Create(2, "USD", &answer).ok());
  EXPECT_EQ(StreamLength(), 2);
}

// Redis is busy longer than core waits on it (REDIS_TIMEOUT_MS: a busy
// script here) but not longer than the callers do: core answers them an
// error, and Redis, once free, still runs what it had read from core's
// connections, closed or not. The create script must refuse then, though
// the callers' own deadlines are far off: what core said failed is never
// created (ConnectorChaos.ARedisThatStallsChargesExactlyWhatWasAnswered
// once charged one such).
TEST_F(CoreServiceTest, CreatesNothingOnceCoreHasGivenUpOnRedis) {
  StartCore(redis_.Url(), /*redis_timeout_ms=*/"500");
  v1::Transaction answer;
  ASSERT_TRUE(Create(1, "USD", &answer).ok());  // connected, script loaded
  std::thread busy([this] {
    redis_.Run({"EVAL",
                "local t = redis.call('TIME'); local start = t[1] * 1e6 + t[2]; "
                "repeat t = redis.call('TIME') until t[1] * 1e6 + t[2] - start > 1000000",
                "0"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // Redis is in the script
  std::vector<std::thread> callers;
  std::atomic<int> failed{0};
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&, i] {
      v1::Transaction out;
      if (!Create(10 + i, "USD", &out, "", Token(), std::chrono::seconds(5)).ok()) ++failed;
    });
  }
  for (auto& caller : callers) caller.join();
  busy.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // what Redis held has run
  EXPECT_GT(failed.load(), 0) << "core did not give up on Redis";
  EXPECT_EQ(StreamLength(), 1 + 4 - failed.load());
  EXPECT_EQ(redis_.Run({"KEYS", "transaction:*"}).elements.size(),
            static_cast<size_t>(1 + 4 - failed.load()));
  ASSERT_TRUE(Create(2, "USD", &answer).ok());
}

TEST_F(CoreServiceTest, GetsATransactionForItsOwnUserOnly) {
  v1::Transaction created, read;
  ASSERT_TRUE(Create(42, "USD", &created).ok());
  ASSERT_TRUE(Get(created.id(), Token(1), &read).ok());
  EXPECT_EQ(read.id(), created.id());
  EXPECT_EQ(read.amount(), 42);
  EXPECT_EQ(read.status(), "queued");
  ASSERT_TRUE(Get(created.id(), Token(1), &read, /*as_bearer=*/true).ok());

  const grpc::Status other = Get(created.id(), Token(2), &read);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status unknown = Get("tx_01hzy3k4m5n6p7q8r9s0t1v2w3", Token(1), &read);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(unknown.error_message(), "Transaction not found");
  EXPECT_EQ(Get(created.id(), "", &read).error_message(), "Token is blank");
}

// "processing" is the time a connector holds the entry: delivered to the
// group (as XREADGROUP delivers it), not yet acknowledged.
TEST_F(CoreServiceTest, ATransactionReadsAsProcessingWhileAConnectorHoldsIt) {
  v1::Transaction created, read;
  ASSERT_TRUE(Create(42, "USD", &created).ok());
  ASSERT_TRUE(Get(created.id(), Token(1), &read).ok());
  EXPECT_EQ(read.status(), "queued");  // no group yet: no connector has run
  redis_.Run({"XGROUP", "CREATE", "transactions", "connectors", "0"});
  ASSERT_TRUE(Get(created.id(), Token(1), &read).ok());
  EXPECT_EQ(read.status(), "queued");  // a group, but no one has read it
  const redis::Reply delivered = redis_.Run(
      {"XREADGROUP", "GROUP", "connectors", "c1", "COUNT", "1", "STREAMS", "transactions", ">"});
  ASSERT_EQ(delivered.elements.size(), 1u);
  const std::string entry_id = delivered.elements[0].elements[1].elements[0].elements[0].text;
  EXPECT_EQ(
      redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, created.id()), "entry_id"})
          .text,
      entry_id);
  ASSERT_TRUE(Get(created.id(), Token(1), &read).ok());
  EXPECT_EQ(read.status(), "processing");
  // Settled as the connector settles: the outcome, then the acknowledgement.
  redis_.Run(
      {"HSET", ledger::TransactionKey(ledger::kDefaultStream, created.id()), "status", "approved"});
  redis_.Run({"XACK", "transactions", "connectors", entry_id});
  ASSERT_TRUE(Get(created.id(), Token(1), &read).ok());
  EXPECT_EQ(read.status(), "approved");
}

TEST_F(CoreServiceTest, StopsCleanlyOnSigterm) { EXPECT_EQ(core_->Stop(), 0); }

TEST(CoreRedisUrl, HonoursPasswordAndDatabase) {
  RedisServer redis(RedisServer::Options{"pw-123", false});
  ServiceProcess core(BinaryPath("core"), {{"JWT_SECRET", kSecret},
                                           {"GRPC_HOST", "127.0.0.1"},
                                           {"GRPC_PORT", "0"},
                                           {"REDIS_URL", redis.Url(3)}});
  const uint16_t port = core.WaitForPort();
  auto stub = v1::TransactionService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::CreateTransactionRequest request;
  request.set_token(Token());
  request.set_amount(5);
  request.set_currency("USD");
  v1::Transaction answer;
  const grpc::Status status = stub->CreateTransaction(&context, request, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message() << core.output();
  EXPECT_EQ(redis.Run({"XLEN", "transactions"}, 3).integer, 1);
  EXPECT_EQ(redis.Run({"XLEN", "transactions"}, 0).integer, 0);
}

// A secret rotation without downtime: core verifies with the new secret
// and, until every old token has expired, with the previous one.
TEST(CoreJwtRotation, TokensOfThePreviousSecretStillPass) {
  RedisServer redis;
  const std::string next = std::string(kSecret) + "-next";
  ServiceProcess core(BinaryPath("core"), {{"JWT_SECRET", next},
                                           {"JWT_PREVIOUS_SECRETS", kSecret},
                                           {"GRPC_HOST", "127.0.0.1"},
                                           {"GRPC_PORT", "0"},
                                           {"REDIS_URL", redis.Url()}});
  auto stub = v1::TransactionService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(core.WaitForPort()), grpc::InsecureChannelCredentials()));
  const auto create = [&](const std::string& token) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::CreateTransactionRequest request;
    request.set_token(token);
    request.set_amount(5);
    request.set_currency("USD");
    v1::Transaction answer;
    return stub->CreateTransaction(&context, request, &answer);
  };
  const int64_t exp = absl::ToUnixSeconds(absl::Now()) + 30;
  EXPECT_TRUE(create(Token()).ok());  // signed with the previous secret
  EXPECT_TRUE(create(jwt::Hs256(next).Sign({1, "user", true, exp})).ok());
  EXPECT_EQ(create(jwt::Hs256(std::string(kSecret) + "-other").Sign({1, "user", true, exp}))
                .error_message(),
            "Signature verification failed.");
}

TEST(CoreStartup, ExitsWithOneLineOnBadSettings) {
  for (const auto& [env, expected] :
       std::vector<std::pair<std::map<std::string, std::string>, std::string>>{
           {{{"JWT_SECRET", ""}}, "JWT_SECRET"},
           {{{"JWT_SECRET", "short"}}, "JWT_SECRET is 5 bytes"},
           {{{"JWT_SECRET", kSecret}, {"REDIS_URL", "localhost:6379"}}, "REDIS_URL=localhost:6379"},
           {{{"JWT_SECRET", kSecret}, {"STREAM_NAME", "{}orders"}}, "STREAM_NAME"},
       }) {
    std::map<std::string, std::string> all = env;
    all.emplace("GRPC_PORT", "0");
    ServiceProcess core(BinaryPath("core"), all);
    EXPECT_EQ(core.WaitForExit(std::chrono::seconds(10)), std::optional<int>(2));
    EXPECT_NE(core.output().find(expected), std::string::npos) << core.output();
  }
}

}  // namespace
}  // namespace platform::core
