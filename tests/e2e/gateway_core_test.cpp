// Transactions through the gateway, as HTTPie sends them: every core row of
// SPEC.md (parity and hardening), idempotency, reading a transaction back,
// and Redis outages. Real redis-server, auth, core and gateway processes.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "actors/shared/jwt/hs256.h"
#include "actors/shared/ledger/schema.h"
#include "gtest/gtest.h"
#include "tests/support/platform_stack.h"

namespace platform {
namespace {

using testing::HttpAnswer;
using testing::PlatformStack;

class GatewayCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = std::make_unique<PlatformStack>(StackOptions());
    alice_ = stack_->TokenFor("alice");
    ASSERT_FALSE(alice_.empty());
  }

  // How a fixture's stack differs from the default one.
  virtual PlatformStack::Options StackOptions() const { return {}; }

  HttpAnswer Post(const std::string& json, const std::string& path = "/transaction",
                  const std::map<std::string, std::string>& headers = {}) {
    return stack_->http().PostJson(path, json, headers);
  }

  // {"token": <token>, <rest>}
  HttpAnswer PostWithToken(const std::string& rest, const std::string& token) {
    return Post(absl::StrCat(R"({"token": ")", token, R"(", )", rest, "}"));
  }

  void ExpectError(const HttpAnswer& answer, unsigned status, const std::string& message,
                   const std::string& context = "") {
    EXPECT_EQ(answer.status, status) << context << " " << answer.body;
    EXPECT_EQ(answer.Error(), message) << context;
    EXPECT_EQ(answer.Header("content-type"), "application/json") << context;
  }

  std::string Signed(const std::string& header_json, const std::string& claims_json,
                     const std::string& secret) {
    // A token made by hand (the platform's codec makes only good ones).
    std::string input = absl::StrCat(absl::WebSafeBase64Escape(header_json), ".",
                                     absl::WebSafeBase64Escape(claims_json));
    unsigned char digest[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &length);
    return absl::StrCat(input, ".",
                        absl::WebSafeBase64Escape(
                            absl::string_view(reinterpret_cast<const char*>(digest), length)));
  }

  int64_t Exp() { return absl::ToUnixSeconds(absl::Now()) + 30; }

  std::unique_ptr<PlatformStack> stack_;
  std::string alice_;
};

// ---- parity ----

TEST_F(GatewayCoreTest, HealthOfCoreIsTheReferenceBody) {
  const HttpAnswer answer = stack_->http().Send("GET", "/transaction/health");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.body, R"({"checks": {}, "status": "pass"})");
  EXPECT_EQ(stack_->http().Send("GET", "/health").status, 200u);
}

TEST_F(GatewayCoreTest, AValidTransactionIsQueuedAndAnsweredAtOnce) {
  for (const std::string path : {"/transaction", "/transaction/transaction"}) {
    const HttpAnswer answer = Post(
        absl::StrCat(R"({"token": ")", alice_, R"(", "amount": 100, "currency": "USD"})"), path);
    ASSERT_EQ(answer.status, 200u) << path << " " << answer.body;
    EXPECT_EQ(answer.body.rfind(R"({"amount":100,"currency":"USD","user_id":1,"id":"tx_)", 0), 0u)
        << answer.body;
    EXPECT_NE(answer.body.find(R"("status":"queued")"), std::string::npos);
  }
  EXPECT_EQ(stack_->redis().Run({"XLEN", "transactions"}).integer, 2);
}

TEST_F(GatewayCoreTest, HttpieStringAmountsAreAnsweredAsNumbers) {
  // http POST :8080/transaction amount=100 currency=USD token=...
  const HttpAnswer answer = PostWithToken(R"("amount": "100", "currency": "USD")", alice_);
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(answer.Json().fields().at("amount").number_value(), 100);
  EXPECT_NE(answer.body.find(R"("amount":100,)"), std::string::npos);
}

TEST_F(GatewayCoreTest, BlankFieldsAre422InTheReferenceOrder) {
  ExpectError(Post(R"({"amount": 100, "currency": "USD"})"), 422, "Token is blank");
  ExpectError(Post(R"({"token": "", "amount": 100, "currency": "USD"})"), 422, "Token is blank");
  ExpectError(Post(R"({"amount": 0})"), 422, "Token is blank");
  ExpectError(PostWithToken(R"("currency": "USD")", alice_), 422, "Amount is blank");
  ExpectError(PostWithToken(R"("amount": 0, "currency": "USD")", alice_), 422, "Amount is blank");
  ExpectError(PostWithToken(R"("amount": "0", "currency": "USD")", alice_), 422, "Amount is blank");
  ExpectError(PostWithToken(R"("amount": 0, "currency": "usd")", alice_), 422, "Amount is blank");
  ExpectError(PostWithToken(R"("amount": 100)", alice_), 422, "Currency is blank");
  ExpectError(PostWithToken(R"("amount": 100, "currency": "")", alice_), 422, "Currency is blank");
}

TEST_F(GatewayCoreTest, CurrencyMustBeThreeUpperCaseLetters) {
  for (const char* currency : {R"("usd")", R"("USDD")", R"("US")", "840", R"(["USD"])", "null"}) {
    ExpectError(PostWithToken(absl::StrCat(R"("amount": 100, "currency": )", currency), alice_),
                422, "Invalid currency code", currency);
  }
  EXPECT_EQ(PostWithToken(R"("amount": 100, "currency": "XYZ")", alice_).status, 200u);
}

TEST_F(GatewayCoreTest, TokensThatAreNotGoodAre422WithJwtMessages) {
  const std::string secret = stack_->jwt_secret();
  const std::string good = jwt::Hs256(secret).Sign({1, "alice", true, Exp()});
  const std::vector<std::string> parts = absl::StrSplit(good, '.');
  const std::string flipped = absl::StrCat(parts[0], ".", parts[1], ".",
                                           parts[2][0] == 'A' ? "B" : "A", parts[2].substr(1));
  const std::string tampered =
      absl::StrCat(parts[0], ".",
                   absl::WebSafeBase64Escape(absl::StrCat(
                       R"({"user_id":2,"username":"becky","enabled":true,"exp":)", Exp(), "}")),
                   ".", parts[2]);
  const std::string claims =
      absl::StrCat(R"({"user_id":1,"username":"alice","enabled":true,"exp":)", Exp(), "}");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc", "Not enough segments"},
      {"a.b", "Not enough segments"},
      {jwt::Hs256("another-secret").Sign({1, "alice", true, Exp()}),
       "Signature verification failed."},
      {flipped, "Signature verification failed."},
      {tampered, "Signature verification failed."},
      {absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})"), ".",
                    absl::WebSafeBase64Escape(claims), "."),
       "The specified alg value is not allowed"},
      {Signed(R"({"alg":"HS512","typ":"JWT"})", claims, secret),
       "The specified alg value is not allowed"},
      {jwt::Hs256(secret).Sign({1, "alice", true, absl::ToUnixSeconds(absl::Now()) - 60}),
       "Signature has expired."},
      // Hardening: a valid signature is not enough without the claims.
      {Signed(R"({"alg":"HS256","typ":"JWT"})", R"({"user_id":1,"enabled":true})", secret),
       R"(Token is missing the "exp" claim)"},
      {Signed(R"({"alg":"HS256","typ":"JWT"})",
              absl::StrCat(R"({"enabled":true,"exp":)", Exp(), "}"), secret),
       R"(Token is missing the "user_id" claim)"},
      {Signed(R"({"alg":"HS256","typ":"JWT"})", absl::StrCat(R"({"user_id":1,"exp":)", Exp(), "}"),
              secret),
       R"(Token is missing the "enabled" claim)"},
  };
  for (const auto& [token, message] : cases) {
    ExpectError(PostWithToken(R"("amount": 100, "currency": "USD")", token), 422, message, token);
  }
}

TEST_F(GatewayCoreTest, TokensThatAreNotStringsAre422) {
  for (const char* token : {"12345", R"(["a.b.c"])", "true", "{}"}) {
    const HttpAnswer answer =
        Post(absl::StrCat(R"({"token": )", token, R"(, "amount": 100, "currency": "USD"})"));
    ExpectError(answer, 422, "Not enough segments", token);
  }
}

TEST_F(GatewayCoreTest, DisabledUserIs403) {
  const std::string charlie = stack_->TokenFor("charlie");
  ExpectError(PostWithToken(R"("amount": 100, "currency": "USD")", charlie), 403,
              "User not enabled for transactions");
}

TEST_F(GatewayCoreTest, OneTokenServesSeveralTransactions) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(PostWithToken(R"("amount": 5, "currency": "EUR", "note": "extra is ignored")", alice_)
                  .status,
              200u);
  }
}

// ---- hardening ----

TEST_F(GatewayCoreTest, AmountsThatAreNotPositiveIntegersAre422) {
  for (const char* amount : {R"("abc")", R"("1.5")", "1.5", "true", "null", "[]", "{}", "1e400",
                             "-1", R"("-1")", "9007199254740992", R"("99999999999999999999")"}) {
    ExpectError(PostWithToken(absl::StrCat(R"("currency": "USD", "amount": )", amount), alice_),
                422, "Invalid amount", amount);
  }
  // The order still holds: an invalid amount with no token is "Token is blank".
  ExpectError(Post(R"({"amount": "abc", "currency": "USD"})"), 422, "Token is blank");
  EXPECT_EQ(stack_->redis().Run({"XLEN", "transactions"}).integer, 0);
}

TEST_F(GatewayCoreTest, BadBodiesAre400Or415) {
  ExpectError(Post("{not json"), 400, "Request body is not valid JSON");
  ExpectError(Post("[]"), 400, "Request body must be a JSON object");
  ExpectError(stack_->http().Send("POST", "/transaction", "amount=100",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}}),
              415, "Content-Type must be application/json");
  // No Content-Type at all (the fuzzer's find: it used to get no answer).
  ExpectError(stack_->http().Send("POST", "/transaction", R"({"amount": 1})"), 415,
              "Content-Type must be application/json");
  EXPECT_EQ(stack_->http().Send("GET", "/transaction/health").status, 200u);
}

TEST_F(GatewayCoreTest, IdempotencyKeyReplaysAndRefusesAnotherBody) {
  const std::string body =
      absl::StrCat(R"({"token": ")", alice_, R"(", "amount": 700, "currency": "USD"})");
  const HttpAnswer first = Post(body, "/transaction", {{"Idempotency-Key", "order-1"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  // A retry, even with a fresh token, gets the first answer.
  const std::string fresh = stack_->TokenFor("alice");
  const HttpAnswer again =
      Post(absl::StrCat(R"({"token": ")", fresh, R"(", "amount": "700", "currency": "USD"})"),
           "/transaction", {{"Idempotency-Key", "order-1"}});
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(again.body, first.body);
  const HttpAnswer other =
      Post(absl::StrCat(R"({"token": ")", alice_, R"(", "amount": 701, "currency": "USD"})"),
           "/transaction", {{"Idempotency-Key", "order-1"}});
  ExpectError(other, 409, "Idempotency-Key was already used for a different transaction");
  EXPECT_EQ(stack_->redis().Run({"XLEN", "transactions"}).integer, 1);
}

TEST_F(GatewayCoreTest, ATransactionCanBeReadBackByItsOwnUser) {
  const HttpAnswer created = PostWithToken(R"("amount": 42, "currency": "USD")", alice_);
  ASSERT_EQ(created.status, 200u);
  const std::string id = created.Json().fields().at("id").string_value();
  const HttpAnswer bearer =
      stack_->http().Send("GET", "/transaction/" + id, "", {{"Authorization", "Bearer " + alice_}});
  EXPECT_EQ(bearer.status, 200u) << bearer.body;
  EXPECT_EQ(bearer.body, created.body);
  const HttpAnswer query = stack_->http().Send("GET", "/transaction/" + id + "?token=" + alice_);
  EXPECT_EQ(query.status, 200u) << query.body;
  // Bytes that are not text, in a query (the fuzzer's find: core could not
  // parse the call, and the client got a 500).
  ExpectError(stack_->http().Send("GET", "/transaction/" + id + "?token=%FF"), 400,
              "Invalid query parameter token");

  const std::string becky = stack_->TokenFor("becky");
  ExpectError(
      stack_->http().Send("GET", "/transaction/" + id, "", {{"Authorization", "Bearer " + becky}}),
      403, "Transaction belongs to another user");
  ExpectError(stack_->http().Send("GET", "/transaction/tx_01hzy3k4m5n6p7q8r9s0t1v2w3", "",
                                  {{"Authorization", "Bearer " + alice_}}),
              404, "Transaction not found");
  ExpectError(stack_->http().Send("GET", "/transaction/" + id), 422, "Token is blank");
  // Paths not of the id's form stay unknown paths, whatever the headers.
  ExpectError(stack_->http().Send("GET", "/transaction/no-such-endpoint", "",
                                  {{"Authorization", "Bearer " + alice_}}),
              404, "Not found");
  ExpectError(Post("{}", "/transaction/token", {{"Authorization", "Bearer " + alice_}}), 404,
              "Not found");
}

TEST_F(GatewayCoreTest, TheRequestIdIsStoredWithTheTransaction) {
  const HttpAnswer answer =
      Post(absl::StrCat(R"({"token": ")", alice_, R"(", "amount": 1, "currency": "USD"})"),
           "/transaction", {{"X-Request-Id", "e2e-trace-7"}});
  ASSERT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.Header("x-request-id"), "e2e-trace-7");
  const std::string id = answer.Json().fields().at("id").string_value();
  EXPECT_EQ(stack_->redis()
                .Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, id), "request_id"})
                .text,
            "e2e-trace-7");
  EXPECT_TRUE(stack_->core().WaitForOutput(R"("request_id":"e2e-trace-7")"));
}

// gRPC C++ aborts a call whose metadata holds such bytes: the gateway must
// refuse them before they reach a call, and live on.
TEST_F(GatewayCoreTest, ForwardedHeadersWithBytesGrpcRefusesAre400AndTheGatewayLives) {
  const std::string body =
      absl::StrCat(R"({"token": ")", alice_, R"(", "amount": 5, "currency": "USD"})");
  for (const std::string& bad : {std::string("a\tb"), std::string("caf\xc3\xa9"),
                                 std::string("\x01x"), std::string(5000, 'k')}) {
    ExpectError(Post(body, "/transaction", {{"Idempotency-Key", bad}}), 400,
                "Invalid Idempotency-Key header", "Idempotency-Key");
    const HttpAnswer read =
        stack_->http().Send("GET", "/transaction/tx_01jd0000000000000000000000", "",
                            {{"Authorization", absl::StrCat("Bearer ", alice_, bad)}});
    ExpectError(read, 400, "Invalid Authorization header", "Authorization");
  }
  // A bad request id is not an error: it is replaced by a fresh one.
  const HttpAnswer replaced = Post(body, "/transaction", {{"X-Request-Id", "a\tb"}});
  EXPECT_EQ(replaced.status, 200u) << replaced.body;
  EXPECT_EQ(replaced.Header("x-request-id").size(), 36u);
  // A traceparent with bytes gRPC refuses is refused (400) or replaced by
  // a fresh trace, as SPEC.md allows; either way no such byte goes on, and
  // one that is printable but not W3C's is replaced.
  for (const std::string& bad :
       {std::string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\t"),
        std::string("00-4bf92f3577b34da6a3ce929d0e0e4736\xff"
                    "00f067aa0ba902b7-01"),
        std::string("\x01\x02")}) {
    const HttpAnswer answer = Post(body, "/transaction", {{"traceparent", bad}});
    if (answer.status != 200u) {
      ExpectError(answer, 400, "Invalid Traceparent header", "traceparent");
    }
  }
  EXPECT_EQ(stack_->core().output().find_first_of("\x01\xff\t"), std::string::npos);
  for (const std::string& odd :
       {std::string("not-a-trace"), std::string(3000, 'f'),
        std::string("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")}) {
    const HttpAnswer traced = Post(body, "/transaction", {{"traceparent", odd}});
    EXPECT_EQ(traced.status, 200u) << traced.body;
  }
  EXPECT_FALSE(stack_->core().WaitForOutput(R"("trace_id":"")", std::chrono::milliseconds(100)));
  EXPECT_EQ(Post(body).status, 200u);
}

TEST_F(GatewayCoreTest, NoTokenSecretOrPasswordReachesALog) {
  const HttpAnswer created = PostWithToken(R"("amount": 3, "currency": "USD")", alice_);
  ASSERT_EQ(created.status, 200u);
  const std::string id = created.Json().fields().at("id").string_value();
  EXPECT_EQ(stack_->http().Send("GET", "/transaction/" + id + "?token=" + alice_).status, 200u);
  EXPECT_EQ(stack_->http()
                .Send("GET", "/transaction/" + id, "", {{"Authorization", "Bearer " + alice_}})
                .status,
            200u);
  EXPECT_EQ(stack_->http()
                .PostJson("/auth/token", R"({"username": "alice", "password": "hunter2-wrong"})")
                .status,
            401u);
  const std::string signature = alice_.substr(alice_.rfind('.') + 1);
  // The requests were logged (by path and id), just not their secrets.
  EXPECT_TRUE(stack_->gateway().WaitForOutput("/transaction/" + id));
  EXPECT_TRUE(stack_->core().WaitForOutput(id));
  for (testing::ServiceProcess* program : {&stack_->gateway(), &stack_->auth(), &stack_->core()}) {
    const std::string output = program->output();
    for (const std::string& secret :
         {signature, stack_->jwt_secret(), std::string("hunter2-wrong")}) {
      EXPECT_EQ(output.find(secret), std::string::npos) << secret << " in:\n" << output;
    }
  }
}

// Writers keep posting while Redis is killed and started again: every 200
// is in the stream and its hash, by id; the rest are 503s, quick ones.
// ---- faults under load (label chaos), each printing its figures ----

class GatewayCoreChaos : public GatewayCoreTest {
 protected:
  // Merchants posting transactions through the gateway until stopped, a
  // new connection per request: every answer's status, the ids answered
  // 200, and the slowest answer that was not a 200.
  class Merchants {
   public:
    Merchants(GatewayCoreChaos& test, int count) {
      for (int m = 0; m < count; ++m) {
        threads_.emplace_back([this, &test] {
          while (!stop_) {
            const absl::Time start = absl::Now();
            const HttpAnswer answer =
                test.PostWithToken(R"("amount": 10, "currency": "USD")", test.alice_);
            std::lock_guard lock(mutex_);
            ++statuses_[answer.status];
            if (answer.status == 200u) {
              accepted_.insert(answer.Json().fields().at("id").string_value());
              ++accepted_since_mark_;
            } else {
              slowest_refusal_ = std::max(slowest_refusal_, absl::Now() - start);
              EXPECT_EQ(answer.Error(), "The core service is unavailable") << answer.body;
            }
          }
        });
      }
    }
    ~Merchants() { Stop(); }
    void Stop() {
      stop_ = true;
      for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
      }
    }
    // Counting answered 200 from now.
    void Mark() {
      std::lock_guard lock(mutex_);
      accepted_since_mark_ = 0;
    }
    // Waits (up to 20 s) until `done` holds for what was answered so far.
    void WaitFor(const std::function<bool(const Merchants&)>& done) const {
      const absl::Time give_up = absl::Now() + testing::TimeLimit(absl::Seconds(20));
      while (absl::Now() < give_up) {
        {
          std::lock_guard lock(mutex_);
          if (done(*this)) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    // These read under the lock in WaitFor, or after Stop().
    int count(unsigned status) const {
      const auto found = statuses_.find(status);
      return found == statuses_.end() ? 0 : found->second;
    }
    int answered() const {
      int all = 0;
      for (const auto& [status, n] : statuses_) all += n;
      return all;
    }
    const std::set<std::string>& accepted() const { return accepted_; }
    int accepted_since_mark() const { return accepted_since_mark_; }
    absl::Duration slowest_refusal() const { return slowest_refusal_; }

   private:
    mutable std::mutex mutex_;
    std::map<unsigned, int> statuses_;
    std::set<std::string> accepted_;
    int accepted_since_mark_ = 0;
    absl::Duration slowest_refusal_;
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
  };

  // The transaction ids in the stream: what Redis holds, answered or not.
  std::set<std::string> Queued() {
    std::set<std::string> queued;
    for (const auto& entry : stack_->redis().Run({"XRANGE", "transactions", "-", "+"}).elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].text == "id") queued.insert(fields[i + 1].text);
      }
    }
    return queued;
  }

  // Every id answered 200 is queued; at most `unanswered` more are (a write
  // made as the process died, whose answer never left).
  void ExpectEvery200Queued(const Merchants& merchants, size_t unanswered) {
    const std::set<std::string> queued = Queued();
    for (const std::string& id : merchants.accepted()) {
      EXPECT_EQ(queued.count(id), 1u) << id << " was answered 200 but is not in the stream";
      EXPECT_EQ(stack_->redis()
                    .Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, id), "status"})
                    .text,
                "queued")
          << id;
    }
    EXPECT_LE(queued.size(), merchants.accepted().size() + unanswered);
  }

  // Merchants keep posting while `kill` takes a part of the platform away
  // and `restart` brings it back: only 200s and 503s "The core service is
  // unavailable" (each 503 within `slowest_refusal`), 200s again by
  // themselves, and every 200 queued in Redis. Prints the figures.
  void ExpectOutageUnderMerchants(const std::string& run, const std::function<void()>& kill,
                                  const std::function<void()>& restart,
                                  absl::Duration slowest_refusal) {
    constexpr int kMerchants = 4;
    Merchants merchants(*this, kMerchants);
    merchants.WaitFor([](const Merchants& m) { return m.accepted().size() >= 20; });
    kill();
    merchants.WaitFor([](const Merchants& m) { return m.count(503) >= 10; });
    restart();
    const absl::Time restarted = absl::Now();
    merchants.Mark();
    merchants.WaitFor([](const Merchants& m) { return m.accepted_since_mark() >= 1; });
    const absl::Duration recovery = absl::Now() - restarted;
    merchants.WaitFor([](const Merchants& m) { return m.accepted_since_mark() >= 20; });
    merchants.Stop();

    EXPECT_GE(merchants.accepted_since_mark(), 20) << run << ": no recovery by itself";
    EXPECT_GE(merchants.count(503), 10);
    EXPECT_EQ(merchants.count(200) + merchants.count(503), merchants.answered())
        << run << ": only 200 and 503 are answers to an outage";
    EXPECT_LT(merchants.slowest_refusal(), slowest_refusal);
    // A write made as the process died, whose answer never left, may be
    // queued without a 200: one per merchant at most.
    ExpectEvery200Queued(merchants, kMerchants);
    PrintFigures(run, merchants, recovery);
  }

  void PrintFigures(const std::string& run, const Merchants& merchants, absl::Duration recovery) {
    std::printf(
        "chaos | %s: %d requests answered, %d with 200, %d with 503, slowest 503 in "
        "%lld ms, 200 again %lld ms after the restart; %zu queued in Redis\n",
        run.c_str(), merchants.answered(), merchants.count(200), merchants.count(503),
        static_cast<long long>(absl::ToInt64Milliseconds(merchants.slowest_refusal())),
        static_cast<long long>(absl::ToInt64Milliseconds(recovery)), Queued().size());
  }
};

TEST_F(GatewayCoreChaos, RedisDownIs503AndNothingAnswered200IsLost) {
  ExpectOutageUnderMerchants(
      "Redis killed under merchants", [&] { stack_->redis().Kill(); },  // writes in flight
      // Same port, same data directory: the AOF is read back.
      [&] { stack_->redis().Start(); }, testing::TimeLimit(absl::Seconds(1)));
}

TEST_F(GatewayCoreChaos, CoreDownIs503WithinTheDeadlineAndRecoversByItself) {
  ExpectOutageUnderMerchants(
      "core killed under merchants",
      [&] {
        stack_->core().Signal(SIGKILL);  // calls in flight
        ASSERT_TRUE(stack_->core().WaitForExit(std::chrono::seconds(5)).has_value());
      },
      // On its address; the gateway, untouched, finds it again.
      [&] { stack_->RestartCore(); },
      // Well within the gateway's 2 s deadline: a refused connection is quick.
      testing::TimeLimit(absl::Seconds(2)));
}

// Core closes each of the gateway's connections after a second (its
// maximum connection age, the least it allows; 10 s by default, so that
// clients find new replicas) while merchants keep posting: every one is
// answered 200. A call that meets a connection as core's GOAWAY closes it
// never reached core, and gRPC's transparent retry sends it on a new one;
// with retries off in the gateway such a call failed "Transport closed"
// and was a 503: 3 to 21 in each of four runs of this test (of ~115,000).
class GatewayCoreConnectionAgeChaos : public GatewayCoreChaos {
 protected:
  PlatformStack::Options StackOptions() const override {
    PlatformStack::Options options;
    options.core_env = {{"GRPC_MAX_CONNECTION_AGE_MS", "1000"},
                        {"GRPC_MAX_CONNECTION_AGE_GRACE_MS", "1000"}};
    return options;
  }
};

TEST_F(GatewayCoreConnectionAgeChaos, ConnectionsClosingAtTheirMaximumAgeCostNoAnswer) {
  constexpr int kMerchants = 64;
  Merchants merchants(*this, kMerchants);
  absl::SleepFor(absl::Seconds(15));
  merchants.Stop();
  EXPECT_GE(merchants.answered(), 1000);
  EXPECT_EQ(merchants.count(200), merchants.answered())
      << merchants.answered() - merchants.count(200) << " answers were not 200";
  // Each 200 once in the stream, and nothing else: no call sent twice.
  EXPECT_EQ(Queued(), merchants.accepted());
  std::printf("chaos | core's connections closed every second: %d requests answered, %d with 200\n",
              merchants.answered(), merchants.count(200));
}

// SIGTERM while clients keep posting on kept-alive connections: the gateway
// takes no new connection, answers every request it took (its last answer
// on a connection says Connection: close), closes connections waiting
// between requests, and exits 0 well within its grace. No answer is cut,
// and what Redis holds is exactly what was answered 200: nothing taken and
// left unanswered.
TEST_F(GatewayCoreChaos, SigtermUnderLoadAnswersEveryRequestItTook) {
  using testing::HttpConnection;
  constexpr int kClients = 8;
  const uint16_t port = stack_->http().port();
  const std::string body =
      absl::StrCat(R"({"token": ")", alice_, R"(", "amount": 10, "currency": "USD"})");
  const std::string request = absl::StrCat(
      "POST /transaction HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
      "Content-Length: ",
      body.size(), "\r\n\r\n", body);
  std::mutex mutex;
  std::map<unsigned, int> statuses;
  std::set<std::string> accepted;
  std::atomic<int> last_with_close{0}, closed_between{0}, cut{0}, other_endings{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      // A connection, and another each time the gateway closes one, until
      // it takes no more.
      while (true) {
        HttpConnection connection(port);
        if (!connection.connected()) break;
        while (connection.connected()) {
          const HttpConnection::Exchange exchange = connection.Send(request);
          switch (exchange.outcome) {
            case HttpConnection::Outcome::kAnswered: {
              std::lock_guard lock(mutex);
              ++statuses[exchange.status];
              if (exchange.status == 200u) {
                const HttpAnswer answer{exchange.status, {}, exchange.body};
                accepted.insert(answer.Json().fields().at("id").string_value());
              }
              if (exchange.connection_close) ++last_with_close;
              break;
            }
            case HttpConnection::Outcome::kClosedBeforeAnswer:
              ++closed_between;
              break;
            case HttpConnection::Outcome::kCutMidAnswer:
              ++cut;
              break;
            case HttpConnection::Outcome::kNotConnected:
              ++other_endings;
              break;
          }
        }
      }
    });
  }
  const auto answered_ok = [&] {
    std::lock_guard lock(mutex);
    return accepted.size();
  };
  const absl::Time give_up = absl::Now() + testing::TimeLimit(absl::Seconds(20));
  while (answered_ok() < 300 && absl::Now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const absl::Time signalled = absl::Now();
  EXPECT_EQ(stack_->gateway().Stop(), 0);
  const absl::Duration stopping = absl::Now() - signalled;
  for (auto& client : clients) client.join();

  EXPECT_GE(accepted.size(), 300u);
  EXPECT_EQ(cut, 0) << "an answer was cut mid-way";
  EXPECT_EQ(other_endings, 0);
  // Every connection ended on an answer saying so, or between two requests
  // (a client may have got in again just before the listener closed).
  EXPECT_GE(last_with_close + closed_between, kClients);
  EXPECT_EQ(statuses[200], static_cast<int>(accepted.size())) << "only 200s under this load";
  EXPECT_EQ(Queued(), accepted) << "a request was taken and not answered";
  EXPECT_LT(stopping, testing::TimeLimit(absl::Seconds(3)));
  std::printf(
      "chaos | gateway SIGTERM under %d kept-alive clients: %zu answered 200, %d last "
      "answers with Connection: close, %d connections closed between requests, %d cut "
      "mid-answer; exit 0 %lld ms after the signal; %zu queued = %zu answered 200\n",
      kClients, accepted.size(), last_with_close.load(), closed_between.load(), cut.load(),
      static_cast<long long>(absl::ToInt64Milliseconds(stopping)), Queued().size(),
      accepted.size());
}

}  // namespace
}  // namespace platform
