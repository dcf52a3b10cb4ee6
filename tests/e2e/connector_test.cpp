// The connector among real processes: redis-server (AOF as shipped), core,
// psp_mock and one or more connectors. Transactions go in through core, as
// the gateway sends them; the tests then watch their statuses in Redis and
// the PSP's own ledger: every accepted transaction ends final, and none is
// charged twice.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "actors/shared/jwt/hs256.h"
#include "actors/shared/ledger/schema.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "platform/core/v1/core.grpc.pb.h"
#include "platform/psp/v1/psp.grpc.pb.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace platform::connector {
namespace {

using testing::BinaryPath;
using testing::RedisServer;
using testing::ServiceProcess;

constexpr char kSecret[] = "connector-e2e-secret-of-32-bytes-or-more";

std::string Address(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

// How many transactions a test sends: `count`, divided by
// PLATFORM_TEST_LOAD_DIVISOR when set (the ThreadSanitizer run sets it: a
// connector under TSan is many times slower, and needs fewer to show races).
size_t Load(size_t count) {
  const char* divisor = std::getenv("PLATFORM_TEST_LOAD_DIVISOR");
  const size_t by = divisor != nullptr ? std::max(1, std::atoi(divisor)) : 1;
  return std::max<size_t>(count / by, 10);
}

class ConnectorTest : public ::testing::Test {
 protected:
  ConnectorTest() : ConnectorTest(RedisServer::Options{"", /*append_only=*/true}) {}
  explicit ConnectorTest(const RedisServer::Options& redis) : redis_(redis) {}

  void SetUp() override {
    core_ = std::make_unique<ServiceProcess>(
        BinaryPath("core"), std::map<std::string, std::string>{{"JWT_SECRET", kSecret},
                                                               {"GRPC_HOST", "127.0.0.1"},
                                                               {"GRPC_PORT", "0"},
                                                               {"REDIS_URL", redis_.Url()}});
    core_stub_ = core::v1::TransactionService::NewStub(
        grpc::CreateChannel(Address(core_->WaitForPort()), grpc::InsecureChannelCredentials()));
    StartPsp({});
  }

  void StartPsp(std::map<std::string, std::string> env) {
    env.emplace("GRPC_HOST", "127.0.0.1");
    env.emplace("GRPC_PORT", "0");
    env.emplace("PSP_SLOW_MS", "300");
    psp_ = std::make_unique<ServiceProcess>(BinaryPath("psp_mock"), env);
    psp_address_ = Address(psp_->WaitForPort());
    psp_stub_ = psp::v1::PspService::NewStub(
        grpc::CreateChannel(psp_address_, grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<ServiceProcess> StartConnector(std::map<std::string, std::string> env = {}) {
    env.emplace("REDIS_URL", redis_.Url());
    env.emplace("PSP_ADDR", psp_address_);
    env.emplace("METRICS_HOST", "127.0.0.1");
    env.emplace("METRICS_PORT", "0");
    env.emplace("RECLAIM_IDLE_MS", "1500");
    env.emplace("RECLAIM_INTERVAL_MS", "300");
    env.emplace("RETRY_BACKOFF_MS", "20");
    env.emplace("RETRY_BACKOFF_MAX_MS", "100");
    env.emplace("PSP_DEADLINE_MS", "1000");
    env.emplace("MAX_DELIVERIES", "3");
    env.emplace("BREAKER_OPEN_MS", "300");
    env.emplace("BREAKER_OPEN_MAX_MS", "2000");
    env.emplace("TRANSACTION_RETENTION", "3600");
    auto connector = std::make_unique<ServiceProcess>(BinaryPath("connector"), env);
    EXPECT_NE(connector->WaitForMetricsPort(), 0);
    return connector;
  }

  void ChargeTheTestAmounts();

  static std::string Token() {
    return jwt::Hs256(kSecret).Sign({1, "alice", true, absl::ToUnixSeconds(absl::Now()) + 300});
  }

  // One transaction through core; its id, or "" with the status set.
  std::string CreateOne(const std::string& token, int64_t amount, grpc::Status* status,
                        std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    core::v1::CreateTransactionRequest request;
    request.set_token(token);
    request.set_amount(amount);
    request.set_currency("USD");
    core::v1::Transaction answer;
    *status = core_stub_->CreateTransaction(&context, request, &answer);
    return status->ok() ? answer.id() : "";
  }

  // Creates `count` transactions through core; returns their ids.
  std::vector<std::string> Create(size_t count, int64_t amount = 100) {
    std::vector<std::string> ids(count);
    std::vector<std::thread> threads;
    const size_t per_thread = (count + 7) / 8;
    for (size_t t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        const std::string token = Token();
        for (size_t i = t * per_thread; i < std::min(count, (t + 1) * per_thread); ++i) {
          grpc::Status status;
          ids[i] = CreateOne(token, amount, &status);
          EXPECT_TRUE(status.ok()) << status.error_message();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    return ids;
  }

  // Writers creating transactions through core until stopped, each call
  // with `deadline` (the gateway's is 2 s): what core answered OK, by id,
  // and how many calls failed, while the test breaks things under them.
  class Writers {
   public:
    Writers(ConnectorTest& test, int count, std::chrono::milliseconds deadline) {
      for (int w = 0; w < count; ++w) {
        threads_.emplace_back([this, &test, deadline] {
          const std::string token = Token();
          while (!stop_) {
            grpc::Status status;
            const std::string id = test.CreateOne(token, 100, &status, deadline);
            if (status.ok()) {
              std::lock_guard lock(mutex_);
              accepted_.push_back(id);
            } else {
              ++refused_;
              std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
          }
        });
      }
    }
    ~Writers() { Stop(); }

    void Stop() {
      stop_ = true;
      for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
      }
    }
    size_t accepted_count() const {
      std::lock_guard lock(mutex_);
      return accepted_.size();
    }
    // Waits until `count` calls in all were answered OK (or 20 s).
    void WaitForAccepted(size_t count) const {
      const absl::Time give_up = absl::Now() + testing::TimeLimit(absl::Seconds(20));
      while (accepted_count() < count && absl::Now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    std::vector<std::string> accepted() const {
      std::lock_guard lock(mutex_);
      return accepted_;
    }
    int refused() const { return refused_.load(); }

   private:
    mutable std::mutex mutex_;
    std::vector<std::string> accepted_;
    std::atomic<int> refused_{0};
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
  };

  std::string Status(const std::string& id) {
    return redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, id), "status"}).text;
  }

  // Waits until every id has a final status; returns the statuses.
  std::map<std::string, std::string> WaitUntilFinal(const std::vector<std::string>& ids,
                                                    absl::Duration timeout) {
    const absl::Time give_up = absl::Now() + timeout;
    std::map<std::string, std::string> statuses;
    while (true) {
      statuses.clear();
      size_t final = 0;
      std::vector<std::vector<std::string>> commands;
      for (const std::string& id : ids) {
        const std::string status = Status(id);
        statuses[id] = status;
        if (status == "approved" || status == "declined" || status == "failed") ++final;
      }
      if (final == ids.size() || absl::Now() > give_up) return statuses;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // The PSP's ledger by idempotency key (the transaction id). The ledger
  // keeps one charge per key by design; what shows a charge asked for twice
  // is its `repeats`, which Repeats() adds up.
  // (Of another PSP than the fixture's when `psp` is given.)
  std::map<std::string, psp::v1::Charge> Charges(psp::v1::PspService::Stub* psp = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    psp::v1::ListChargesResponse response;
    EXPECT_TRUE(
        (psp != nullptr ? psp : psp_stub_.get())->ListCharges(&context, {}, &response).ok());
    std::map<std::string, psp::v1::Charge> charges;
    for (const auto& charge : response.charges()) charges[charge.idempotency_key()] = charge;
    return charges;
  }

  static int64_t Repeats(const std::map<std::string, psp::v1::Charge>& charges) {
    int64_t repeats = 0;
    for (const auto& [key, charge] : charges) repeats += charge.repeats();
    return repeats;
  }

  // Entries read by a connector and not yet acknowledged (0 before any
  // connector made the group).
  int64_t Pending() {
    const redis::Reply reply = redis_.Run({"XPENDING", "transactions", "connectors"});
    return reply.elements.empty() ? 0 : reply.elements[0].integer;
  }

  // Every id approved, charged at the PSP with the reference the hash shows,
  // nothing charged that core did not accept, and no charge asked for again
  // more than `max_repeats` times in all (0 unless a connector died or a
  // call's answer was lost).
  void ExpectEachApprovedOnce(const std::vector<std::string>& ids, int64_t max_repeats = 0) {
    const auto statuses = WaitUntilFinal(ids, absl::Seconds(60));
    const auto charges = Charges();
    size_t approved = 0;
    for (const std::string& id : ids) {
      if (statuses.at(id) != "approved") continue;
      ++approved;
      ASSERT_EQ(charges.count(id), 1u) << id;
      EXPECT_EQ(
          redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, id), "psp_reference"})
              .text,
          charges.at(id).response().psp_reference());
    }
    EXPECT_EQ(approved, ids.size());
    EXPECT_EQ(charges.size(), ids.size());  // nothing charged that core did not accept
    EXPECT_LE(Repeats(charges), max_repeats);
  }

  // One line of figures for a chaos run: what was sent (answered 200 by
  // core), how each ended, what the PSP charged and how often a charge was
  // asked again.
  void PrintFigures(const std::string& run, const std::vector<std::string>& ids,
                    const std::string& more = "") {
    std::map<std::string, int> ended;
    for (const std::string& id : ids) ++ended[Status(id)];
    const auto charges = Charges();
    std::printf(
        "chaos | %s: %zu sent and answered 200, %d approved, %d declined, %d failed, "
        "%zu charged, %lld repeats%s%s\n",
        run.c_str(), ids.size(), ended["approved"], ended["declined"], ended["failed"],
        charges.size(), static_cast<long long>(Repeats(charges)), more.empty() ? "" : "; ",
        more.c_str());
  }

  RedisServer redis_;
  std::unique_ptr<ServiceProcess> core_;
  std::unique_ptr<ServiceProcess> psp_;
  std::string psp_address_;
  std::unique_ptr<core::v1::TransactionService::Stub> core_stub_;
  std::unique_ptr<psp::v1::PspService::Stub> psp_stub_;
};

// Faults under load (label chaos): each prints what was sent, answered,
// settled and charged.
class ConnectorChaos : public ConnectorTest {};

// Every outcome, the dead letters included, on one Redis and on a Redis
// Cluster (every script's keys in the stream's slot).
void ConnectorTest::ChargeTheTestAmounts() {
  auto connector = StartConnector({{"DEAD_LETTER_MAX_LENGTH", "1"}});
  const std::string approved = Create(1, 100)[0];
  const std::string declined = Create(1, 402)[0];
  const std::string flaky = Create(1, 503)[0];
  const std::string failing = Create(1, 500)[0];
  const std::string failing_too = Create(1, 500)[0];
  const auto statuses =
      WaitUntilFinal({approved, declined, flaky, failing, failing_too}, absl::Seconds(30));
  EXPECT_EQ(statuses.at(approved), "approved");
  EXPECT_EQ(statuses.at(declined), "declined");
  EXPECT_EQ(
      redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, declined), "reason"}).text,
      "insufficient_funds");
  EXPECT_EQ(statuses.at(flaky), "approved");  // transient twice, then approved
  for (const std::string& id : {failing, failing_too}) {
    EXPECT_EQ(statuses.at(id), "failed");
    EXPECT_NE(redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, id), "reason"})
                  .text.find("delivered 3 times"),
              std::string::npos);
  }
  // Both were dead-lettered; the stream keeps DEAD_LETTER_MAX_LENGTH of them.
  EXPECT_EQ(redis_.Run({"XLEN", ledger::DefaultDeadLetterStream(ledger::kDefaultStream)}).integer,
            1);
  // Settled transactions stay readable for the retention, then expire
  // (TRANSACTION_RETENTION, set to an hour here).
  for (const std::string& id : {approved, declined, flaky, failing, failing_too}) {
    const int64_t ttl =
        redis_.Run({"TTL", ledger::TransactionKey(ledger::kDefaultStream, id)}).integer;
    EXPECT_GT(ttl, 3500) << id;
    EXPECT_LE(ttl, 3600) << id;
  }
  // Nothing is left pending, and the PSP charged the three that got through.
  EXPECT_EQ(Pending(), 0);
  const auto charges = Charges();
  EXPECT_EQ(charges.size(), 3u);
  EXPECT_EQ(charges.count(failing), 0u);
  EXPECT_EQ(Repeats(charges), 0);  // transient refusals are not charges
  EXPECT_EQ(connector->Stop(), 0);
}

TEST_F(ConnectorTest, OutcomesFollowTheTestAmounts) { ChargeTheTestAmounts(); }

// Behind one name, every PSP replica gets its share of the charges (round
// robin over what PSP_ADDR resolves to; here an ipv4: list of two, as a
// headless Service's name would resolve), and each is charged once.
TEST_F(ConnectorTest, EveryPspReplicaGetsItsShareOfTheCharges) {
  ServiceProcess other(BinaryPath("psp_mock"),
                       {{"GRPC_HOST", "127.0.0.1"}, {"GRPC_PORT", "0"}, {"PSP_SLOW_MS", "300"}});
  const std::string other_address = Address(other.WaitForPort());
  auto other_stub = psp::v1::PspService::NewStub(
      grpc::CreateChannel(other_address, grpc::InsecureChannelCredentials()));
  auto connector = StartConnector({{"PSP_ADDR", "ipv4:" + psp_address_ + "," + other_address}});
  // Round robin picks among the connections that are up: the first charges
  // may all go to whichever PSP answered first.
  const std::vector<std::string> warm_up = Create(8);
  WaitUntilFinal(warm_up, absl::Seconds(30));
  const size_t first_before = Charges().size();
  const size_t second_before = Charges(other_stub.get()).size();
  const std::vector<std::string> ids = Create(40);
  const auto statuses = WaitUntilFinal(ids, absl::Seconds(30));
  for (const auto& [id, status] : statuses) EXPECT_EQ(status, "approved") << id;
  const auto first = Charges();
  const auto second = Charges(other_stub.get());
  std::printf("psp replicas: %zu and %zu of %zu charges\n", first.size() - first_before,
              second.size() - second_before, ids.size());
  EXPECT_GE(first.size() - first_before, ids.size() / 4);
  EXPECT_GE(second.size() - second_before, ids.size() / 4);
  EXPECT_EQ(first.size() + second.size(), warm_up.size() + ids.size());
  for (const auto& [key, charge] : first) EXPECT_EQ(second.count(key), 0u) << key;
  EXPECT_EQ(Repeats(first) + Repeats(second), 0);
  EXPECT_EQ(connector->Stop(), 0);
}

class ConnectorOnARedisClusterTest : public ConnectorTest {
 protected:
  ConnectorOnARedisClusterTest() : ConnectorTest(ClusterNode()) {}
  static RedisServer::Options ClusterNode() {
    RedisServer::Options options;
    options.cluster = true;
    return options;
  }
};

TEST_F(ConnectorOnARedisClusterTest, OutcomesFollowTheTestAmounts) { ChargeTheTestAmounts(); }

TEST_F(ConnectorChaos, AKilledConnectorLosesNothingAndChargesNothingTwice) {
  // A PSP slow enough that the kill lands mid-stream.
  StartPsp({{"PSP_LATENCY_MS", "20"}});
  constexpr int kInFlight = 64;
  const std::vector<std::string> ids = Create(Load(5000));
  auto first = StartConnector({{"MAX_IN_FLIGHT", std::to_string(kInFlight)}});
  while (Charges().size() < Load(500)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  first->Signal(SIGKILL);
  ASSERT_TRUE(first->WaitForExit(std::chrono::seconds(5)).has_value());
  // The kill landed mid-stream: entries were held by the dead connector,
  // and work was left.
  const int64_t held = Pending();
  EXPECT_GT(held, 0);
  EXPECT_LE(held, kInFlight);
  EXPECT_LT(Charges().size(), ids.size());
  auto second = StartConnector();
  // A held entry the PSP had charged is charged again under its key: at
  // most once for each entry the dead connector held.
  ExpectEachApprovedOnce(ids, /*max_repeats=*/held);
  EXPECT_EQ(second->Stop(), 0);
  PrintFigures("connector SIGKILL mid-stream", ids,
               absl::StrCat(held, " entries held by the killed connector"));
}

TEST_F(ConnectorTest, TwoConnectorsShareTheStream) {
  StartPsp({{"PSP_LATENCY_MS", "5"}});
  // Few charges at a time each, so neither can take the whole stream.
  auto one = StartConnector({{"MAX_IN_FLIGHT", "16"}});
  auto two = StartConnector({{"MAX_IN_FLIGHT", "16"}});
  const std::vector<std::string> ids = Create(Load(2000));
  ExpectEachApprovedOnce(ids, /*max_repeats=*/0);  // no entry went to both
  // Both took part: each logged charges of its own.
  EXPECT_NE(one->output().find("Making transaction with PSP"), std::string::npos);
  EXPECT_NE(two->output().find("Making transaction with PSP"), std::string::npos);
}

// The PSP goes down (killed: connections refused) for longer than the whole
// retry budget (3 attempts, 3 deliveries 1.5 s idle apart: about 6 s), with
// transactions arriving meanwhile. The connector holds every charge while
// the PSP is down instead of spending their deliveries, and once a PSP
// answers on the same address again, every transaction is approved, none
// dead-lettered. (The mock keeps its ledger in memory: the charges before
// the outage are in the first PSP's, the later ones in the second's, and no
// key may be in both.)
TEST_F(ConnectorChaos, APspDownLongerThanTheRetryBudgetFailsNothing) {
  auto connector = StartConnector();
  const std::vector<std::string> before = Create(Load(200));
  ExpectEachApprovedOnce(before);
  const auto first_ledger = Charges();
  const std::string port = psp_address_.substr(psp_address_.rfind(':') + 1);
  psp_->Signal(SIGKILL);
  ASSERT_TRUE(psp_->WaitForExit(std::chrono::seconds(5)).has_value());
  const std::vector<std::string> during = Create(Load(300));
  ASSERT_TRUE(connector->WaitForOutput("circuit open", std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(12));
  // What the connector read is held, each delivered once: nothing spent.
  const redis::Reply held =
      redis_.Run({"XPENDING", "transactions", "connectors", "-", "+", "1000"});
  int64_t most_deliveries = 0;
  for (const redis::Reply& row : held.elements) {
    most_deliveries = std::max(most_deliveries, row.elements.at(3).integer);
  }
  StartPsp({{"GRPC_PORT", port}});
  ASSERT_TRUE(connector->WaitForOutput("circuit closed", std::chrono::seconds(10)));
  const auto statuses = WaitUntilFinal(during, absl::Seconds(60));
  const auto second_ledger = Charges();
  size_t approved = 0;
  for (const std::string& id : during) {
    EXPECT_EQ(statuses.at(id), "approved")
        << id << " "
        << redis_.Run({"HGET", ledger::TransactionKey(ledger::kDefaultStream, id), "reason"}).text;
    EXPECT_EQ(second_ledger.count(id), 1u) << id;
    EXPECT_EQ(first_ledger.count(id), 0u) << id;
    if (statuses.at(id) == "approved") ++approved;
  }
  for (const std::string& id : before) EXPECT_EQ(second_ledger.count(id), 0u) << id;
  const int64_t dead =
      redis_.Run({"XLEN", ledger::DefaultDeadLetterStream(ledger::kDefaultStream)}).integer;
  EXPECT_EQ(dead, 0);
  EXPECT_FALSE(held.elements.empty());
  EXPECT_EQ(most_deliveries, 1);
  EXPECT_EQ(Repeats(second_ledger), 0);
  PrintFigures("PSP down 12 s", during,
               absl::StrCat(held.elements.size(), " held in the outage, delivered at most ",
                            most_deliveries, " times, ", dead, " dead-lettered"));
}

// Writers keep creating while Redis is killed and started again, with a
// PSP slow enough that work is pending at the kill: every transaction core
// answered is approved and charged, by id.
TEST_F(ConnectorChaos, ARedisRestartUnderLoadLosesNothing) {
  constexpr int kInFlight = 64;
  constexpr int kWriters = 4;
  StartPsp({{"PSP_LATENCY_MS", "20"}});
  auto connector = StartConnector({{"MAX_IN_FLIGHT", std::to_string(kInFlight)}});
  Writers writers(*this, kWriters, std::chrono::seconds(10));
  writers.WaitForAccepted(Load(300));
  const absl::Time busy_by = absl::Now() + testing::TimeLimit(absl::Seconds(10));
  while (Pending() == 0 && absl::Now() < busy_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const int64_t pending_at_kill = Pending();
  redis_.Kill();  // writes in flight, charges in flight
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  redis_.Start();  // the AOF brings back every entry core acknowledged
  const size_t before_restart = writers.accepted_count();
  writers.WaitForAccepted(before_restart + Load(100));
  writers.Stop();
  const std::vector<std::string> accepted = writers.accepted();

  EXPECT_GT(pending_at_kill, 0) << "the connector had nothing in hand when Redis died";
  EXPECT_GT(writers.refused(), 0) << "no write was refused: Redis was not down under load";
  EXPECT_GE(accepted.size(), before_restart + Load(100)) << "core did not recover by itself";
  const auto statuses = WaitUntilFinal(accepted, absl::Seconds(60));
  const auto charges = Charges();
  for (const std::string& id : accepted) {
    EXPECT_EQ(statuses.at(id), "approved") << id;
    EXPECT_EQ(charges.count(id), 1u) << id;
  }
  // A write Redis made as it died, whose answer never left, may be charged
  // without a 200: one per writer at most. A settle lost with Redis is
  // charged again under its key: at most once for each entry held.
  EXPECT_LE(charges.size(), accepted.size() + kWriters);
  EXPECT_LE(Repeats(charges), kInFlight);
  PrintFigures("Redis killed and restarted under writers", accepted,
               absl::StrCat(writers.refused(), " calls refused while it was down, ",
                            pending_at_kill, " entries pending at the kill"));
}

// Redis stalls for 3 s (CLIENT PAUSE WRITE) while writers with the
// gateway's 2 s deadline keep creating: what core answered OK is charged,
// once; what it answered with an error is never charged, whatever Redis
// runs once it resumes.
TEST_F(ConnectorChaos, ARedisThatStallsChargesExactlyWhatWasAnswered) {
  constexpr int kInFlight = 64;
  auto connector = StartConnector({{"MAX_IN_FLIGHT", std::to_string(kInFlight)}});
  Writers writers(*this, 4, std::chrono::seconds(2));
  writers.WaitForAccepted(Load(200));
  redis_.Run({"CLIENT", "PAUSE", "3000", "WRITE"});
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  writers.WaitForAccepted(writers.accepted_count() + Load(100));
  writers.Stop();
  EXPECT_GT(writers.refused(), 0) << "no call failed: Redis did not stall under load";
  const std::vector<std::string> accepted = writers.accepted();
  const std::vector<std::string>& ids = accepted;
  const auto statuses = WaitUntilFinal(ids, absl::Seconds(60));
  // Give anything Redis ran late the time to reach the PSP too.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto charges = Charges();
  for (const std::string& id : ids) {
    EXPECT_EQ(statuses.at(id), "approved") << id;
    EXPECT_EQ(charges.count(id), 1u) << id;
  }
  EXPECT_EQ(charges.size(), accepted.size()) << "a call answered with an error was charged";
  // A settle the stall held up past RECLAIM_IDLE_MS is claimed and asked of
  // the PSP again, which answers its first charge: at most once per entry held.
  EXPECT_LE(Repeats(charges), kInFlight);
  PrintFigures("Redis stalled 3 s (CLIENT PAUSE WRITE) under writers", accepted,
               absl::StrCat(writers.refused(), " calls answered with an error, none charged"));
}

TEST_F(ConnectorTest, StopsWithinSecondsOnSigterm) {
  StartPsp({{"PSP_LATENCY_MS", "50"}});
  Create(Load(500));
  auto connector = StartConnector();
  // Busy: charges at the PSP and entries in hand.
  ASSERT_TRUE(connector->WaitForOutput("Making transaction with PSP"));
  EXPECT_GT(Pending(), 0);
  const absl::Time start = absl::Now();
  EXPECT_EQ(connector->Stop(), 0);
  EXPECT_LT(absl::Now() - start, testing::TimeLimit(absl::Seconds(6)));
  // It drained what it held: every charge it made was settled, none asked twice.
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(Repeats(Charges()), 0);
  // And it left the stream trimmed of what it settled: what is left is what
  // no connector has read yet, still queued (none, when it read everything).
  size_t queued = 0;
  for (const auto& key : redis_.Run({"KEYS", "transaction:*"}).elements) {
    if (redis_.Run({"HGET", key.text, "status"}).text == "queued") ++queued;
  }
  EXPECT_EQ(redis_.Run({"XLEN", "transactions"}).integer, static_cast<int64_t>(queued));
}

TEST_F(ConnectorTest, StopsCleanlyOnSigtermWhileThePspHangs) {
  Create(Load(300));
  psp_->Signal(SIGSTOP);
  auto connector = StartConnector({{"SHUTDOWN_GRACE_MS", "500"}});
  ASSERT_TRUE(connector->WaitForOutput("Making transaction with PSP"));
  const absl::Time start = absl::Now();
  EXPECT_EQ(connector->Stop(), 0) << connector->output();
  EXPECT_LT(absl::Now() - start, testing::TimeLimit(absl::Seconds(5)));
  const int64_t held = Pending();
  EXPECT_GT(held, 0);
  psp_->Signal(SIGCONT);
  // What it held is still pending: another connector finishes it.
  auto next = StartConnector();
  const auto statuses = WaitUntilFinal(
      [&] {
        std::vector<std::string> ids;
        for (const auto& reply : redis_.Run({"KEYS", "transaction:*"}).elements) {
          ids.push_back(reply.text.substr(reply.text.rfind(':') + 1));
        }
        return ids;
      }(),
      absl::Seconds(30));
  for (const auto& [id, status] : statuses) EXPECT_EQ(status, "approved") << id;
  EXPECT_EQ(statuses.size(), Load(300));
  // A cancelled call the hung PSP still took when it woke is charged again
  // by the next connector: at most each call of each entry held.
  EXPECT_LE(Repeats(Charges()), held * 3);
}

}  // namespace
}  // namespace platform::connector
