#include "gateway/router.h"

#include "gateway/route_table.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "platform/auth/v1/auth.pb.h"
#include "platform/core/v1/core.pb.h"

namespace platform::gateway {
namespace {

using Outcome = RouteMatch::Outcome;

const Router& PlatformRouter() {
  // The routes the gateway really serves, from the real contracts.
  static const Router router = [] {
    auth::v1::IssueTokenRequest::descriptor();  // link the contracts in
    core::v1::CreateTransactionRequest::descriptor();
    absl::StatusOr<std::vector<Route>> routes =
        BuildRoutes({"platform.auth.v1.AuthService", "platform.core.v1.TransactionService"},
                    *google::protobuf::DescriptorPool::generated_pool());
    EXPECT_TRUE(routes.ok()) << routes.status();
    return Router(*std::move(routes));
  }();
  return router;
}

std::string Target(const RouteMatch& match) {
  return match.route == nullptr ? "" : match.route->grpc_target;
}

TEST(Router, RoutesAuthPathsWithThePrefixStripped) {
  const RouteMatch token = PlatformRouter().Match("POST", "/auth/token");
  ASSERT_EQ(token.outcome, Outcome::kFound);
  EXPECT_EQ(Target(token), "/platform.auth.v1.AuthService/IssueToken");
  EXPECT_EQ(token.route->upstream, "auth");
  EXPECT_TRUE(token.route->body);
}

TEST(Router, RoutesBothTransactionPaths) {
  for (const char* path : {"/transaction", "/transaction/transaction"}) {
    const RouteMatch match = PlatformRouter().Match("POST", path);
    ASSERT_EQ(match.outcome, Outcome::kFound) << path;
    EXPECT_EQ(Target(match), "/platform.core.v1.TransactionService/CreateTransaction");
    EXPECT_EQ(match.route->upstream, "core");
    EXPECT_EQ(match.route->forward_headers, std::vector<std::string>{"idempotency-key"});
  }
}

TEST(Router, HealthRoutesAskTheServiceBehindThePrefix) {
  const RouteMatch auth = PlatformRouter().Match("GET", "/auth/health");
  ASSERT_EQ(auth.outcome, Outcome::kFound);
  EXPECT_EQ(auth.route->kind, RouteKind::kServiceHealth);
  EXPECT_EQ(auth.route->grpc_target, "platform.auth.v1.AuthService");
  const RouteMatch core = PlatformRouter().Match("GET", "/transaction/health");
  ASSERT_EQ(core.outcome, Outcome::kFound);
  EXPECT_EQ(core.route->upstream, "core");
  EXPECT_EQ(PlatformRouter().Match("GET", "/health").route->kind, RouteKind::kGatewayHealth);
  // Metrics are on the metrics port only, never on the public one.
  EXPECT_EQ(PlatformRouter().Match("GET", "/metrics").outcome, Outcome::kNotFound);
}

TEST(Router, WrongMethodOnAKnownPathIs405WithAllow) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"GET", "/transaction/transaction", "POST"},
      {"POST", "/transaction/health", "GET"},
      {"GET", "/auth/token", "POST"},
      {"POST", "/auth/health", "GET"},
      {"DELETE", "/transaction", "POST"},
      {"POST", "/health", "GET"},
  };
  for (const auto& [method, path, allow] : cases) {
    const RouteMatch match = PlatformRouter().Match(method, path);
    EXPECT_EQ(match.outcome, Outcome::kMethodNotAllowed) << method << " " << path;
    EXPECT_EQ(match.allow, allow) << method << " " << path;
  }
}

TEST(Router, AnyOtherPathIs404WhateverTheMethod) {
  for (const char* path : {"/", "/auth/nope", "/transaction/token", "/auth/transaction", "/auth",
                           "/auth/token/", "/auth//token", "/transaction/no-such-endpoint",
                           "/transaction/tx_short", "/transactions", "", "auth/token"}) {
    for (const char* method : {"GET", "POST"}) {
      EXPECT_EQ(PlatformRouter().Match(method, path).outcome, Outcome::kNotFound)
          << method << " " << path;
    }
  }
}

TEST(Router, BindsATransactionIdOfTheRecognisedForm) {
  const std::string id = "tx_01hzy3k4m5n6p7q8r9s0t1v2w3";
  const RouteMatch match = PlatformRouter().Match("GET", "/transaction/" + id);
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(Target(match), "/platform.core.v1.TransactionService/GetTransaction");
  ASSERT_EQ(match.bindings.size(), 1u);
  EXPECT_EQ(match.bindings[0].first->name(), "id");
  EXPECT_EQ(match.bindings[0].second, id);
  // The same path with another method is a known path: 405.
  EXPECT_EQ(PlatformRouter().Match("POST", "/transaction/" + id).outcome,
            Outcome::kMethodNotAllowed);
  // Upper case, wrong length or a letter ULIDs never use: not an id.
  EXPECT_EQ(PlatformRouter().Match("GET", "/transaction/TX_01HZY3K4M5N6P7Q8R9S0T1V2W3").outcome,
            Outcome::kNotFound);
  EXPECT_EQ(PlatformRouter().Match("GET", "/transaction/tx_01hzy3k4m5n6p7q8r9s0t1v2wu").outcome,
            Outcome::kNotFound);
}

TEST(RouteTable, RefusesAnUnknownService) {
  const absl::StatusOr<std::vector<Route>> routes = BuildRoutes(
      {"platform.nope.v1.Nothing"}, *google::protobuf::DescriptorPool::generated_pool());
  EXPECT_FALSE(routes.ok());
}

TEST(RouteTable, RefusesAServiceWithoutHttpOptions) {
  // The PSP is internal: it declares no http_service and cannot be published.
  const absl::StatusOr<std::vector<Route>> routes = BuildRoutes(
      {"platform.psp.v1.PspService"}, *google::protobuf::DescriptorPool::generated_pool());
  ASSERT_FALSE(routes.ok());
  EXPECT_NE(routes.status().message().find("http_service"), absl::string_view::npos);
}

}  // namespace
}  // namespace platform::gateway
