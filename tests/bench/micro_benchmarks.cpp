// Micro-benchmarks (Google Benchmark) of the steps every request pays for,
// one process, no I/O: the JWT (sign at auth, verify at core), the JSON of
// the two request bodies into their messages and of an answer out, the
// gateway's routing, and the Redis command that creates a transaction,
// encoded as hiredis puts it on the wire. Run by tests/bench/run; read the
// figures as ratios between builds, not as absolutes (shared machines).
#include <hiredis/hiredis.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "actors/core/redis_transaction_store.h"
#include "actors/shared/jwt/hs256.h"
#include "actors/shared/runtime/env_config.h"
#include "benchmark/benchmark.h"
#include "gateway/config.h"
#include "gateway/route_table.h"
#include "gateway/router.h"
#include "gateway/transcoder.h"
#include "google/protobuf/descriptor.h"
#include "platform/auth/v1/auth.pb.h"
#include "platform/core/v1/core.pb.h"

namespace platform {
namespace {

constexpr char kSecret[] = "bench-secret-of-at-least-thirty-two-bytes";
const jwt::Claims kAlice{1, "alice", true, 1'750'000'030};
const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

void BM_JwtSign(benchmark::State& state) {
  const jwt::Hs256 codec(kSecret);
  for (auto _ : state) benchmark::DoNotOptimize(codec.Sign(kAlice));
}
BENCHMARK(BM_JwtSign);

void BM_JwtVerify(benchmark::State& state) {
  const jwt::Hs256 codec(kSecret);
  const std::string token = codec.Sign(kAlice);
  for (auto _ : state) benchmark::DoNotOptimize(codec.Verify(token, kNow));
}
BENCHMARK(BM_JwtVerify);

void BM_TokenBodyToMessage(benchmark::State& state) {
  const std::string body = R"({"username": "alice", "password": "password"})";
  for (auto _ : state) {
    auth::v1::IssueTokenRequest request;
    benchmark::DoNotOptimize(gateway::JsonToMessage(body, request));
  }
}
BENCHMARK(BM_TokenBodyToMessage);

void BM_TransactionBodyToMessage(benchmark::State& state) {
  const std::string body = R"({"token": ")" + jwt::Hs256(kSecret).Sign(kAlice) +
                           R"(", "amount": 100, "currency": "USD"})";
  for (auto _ : state) {
    core::v1::CreateTransactionRequest request;
    benchmark::DoNotOptimize(gateway::JsonToMessage(body, request));
  }
}
BENCHMARK(BM_TransactionBodyToMessage);

void BM_TransactionToJson(benchmark::State& state) {
  core::v1::Transaction answer;
  answer.set_id("tx_01m8apf10jb3yc6snyw049bk2m");
  answer.set_amount(100);
  answer.set_currency("USD");
  answer.set_user_id(1);
  answer.set_status("queued");
  for (auto _ : state) benchmark::DoNotOptimize(gateway::MessageToJson(answer));
}
BENCHMARK(BM_TransactionToJson);

const gateway::Router& TheRouter() {
  static const gateway::Router* router = [] {
    config::Environment env([](absl::string_view) { return std::optional<std::string>(); });
    return new gateway::Router(
        *gateway::BuildRoutes(gateway::LoadGatewayConfig(env).published_services,
                              *google::protobuf::DescriptorPool::generated_pool()));
  }();
  return *router;
}

void BM_RoutePostTransaction(benchmark::State& state) {
  const gateway::Router& router = TheRouter();
  for (auto _ : state) benchmark::DoNotOptimize(router.Match("POST", "/transaction"));
}
BENCHMARK(BM_RoutePostTransaction);

void BM_RouteGetTransaction(benchmark::State& state) {
  const gateway::Router& router = TheRouter();
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.Match("GET", "/transaction/tx_01m8apf10jb3yc6snyw049bk2m"));
  }
}
BENCHMARK(BM_RouteGetTransaction);

void BM_CreateCommandEncoded(benchmark::State& state) {
  core::TransactionRecord record;
  record.id = "tx_01m8apf10jb3yc6snyw049bk2m";
  record.user_id = 1;
  record.amount = 100;
  record.currency = "USD";
  record.request_id = "5f0c6b8e-7a1d-4c3e-9b2a-1d2e3f4a5b6c";
  record.created_at_ms = 1'750'000'000'000;
  const core::RedisStoreOptions options;
  for (auto _ : state) {
    const std::vector<std::string> argv =
        core::CreateCommand(record, std::nullopt, kNow + absl::Seconds(2), options);
    std::vector<const char*> pointers;
    std::vector<size_t> lengths;
    for (const std::string& arg : argv) {
      pointers.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    char* wire = nullptr;
    const int size = redisFormatCommandArgv(&wire, static_cast<int>(argv.size()), pointers.data(),
                                            lengths.data());
    benchmark::DoNotOptimize(size);
    redisFreeCommand(wire);
  }
}
BENCHMARK(BM_CreateCommandEncoded);

}  // namespace
}  // namespace platform

BENCHMARK_MAIN();
