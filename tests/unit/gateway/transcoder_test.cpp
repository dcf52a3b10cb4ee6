#include "gateway/transcoder.h"

#include "gtest/gtest.h"
#include "platform/auth/v1/auth.pb.h"
#include "platform/core/v1/core.pb.h"
#include "platform/psp/v1/psp.pb.h"

namespace platform::gateway {
namespace {

using core::v1::CreateTransactionRequest;

CreateTransactionRequest ReadTransaction(const std::string& json) {
  CreateTransactionRequest request;
  const absl::Status status = JsonToMessage(json, request);
  EXPECT_TRUE(status.ok()) << json << ": " << status;
  return request;
}

TEST(Transcoder, ReadsAWellTypedRequest) {
  const auto request = ReadTransaction(R"({"token": "t", "amount": 100, "currency": "USD"})");
  EXPECT_EQ(request.token(), "t");
  EXPECT_EQ(request.amount(), 100);
  EXPECT_EQ(request.currency(), "USD");
  EXPECT_TRUE(request.unreadable_members().empty());
}

TEST(Transcoder, TakesAnAmountSentAsAStringOfDigits) {
  // HTTPie's `amount=100` sends "100".
  EXPECT_EQ(ReadTransaction(R"({"amount": "100"})").amount(), 100);
  EXPECT_EQ(ReadTransaction(R"({"amount": "0"})").amount(), 0);
  EXPECT_EQ(ReadTransaction(R"({"amount": "9223372036854775807"})").amount(), INT64_MAX);
  EXPECT_EQ(ReadTransaction(R"({"amount": 1e2})").amount(), 100);
  EXPECT_EQ(ReadTransaction(R"({"amount": -5})").amount(), -5);
}

TEST(Transcoder, ListsMembersThatDoNotFitTheirField) {
  for (const char* amount :
       {R"("abc")", R"("1.5")", "1.5", "true", "null", "[]", "{}", "1e400", "-1e400", R"("")",
        R"(" 1")", R"("+1")", "9007199254740993", R"("9223372036854775808")"}) {
    const auto request = ReadTransaction(std::string(R"({"amount": )") + amount + "}");
    EXPECT_EQ(request.amount(), 0) << amount;
    ASSERT_EQ(request.unreadable_members_size(), 1) << amount;
    EXPECT_EQ(request.unreadable_members(0), "amount") << amount;
  }
  const auto request = ReadTransaction(R"({"token": 12345, "amount": 1, "currency": ["USD"]})");
  EXPECT_EQ(request.token(), "");
  EXPECT_EQ(request.currency(), "");
  ASSERT_EQ(request.unreadable_members_size(), 2);
  EXPECT_EQ(request.unreadable_members(0), "token");
  EXPECT_EQ(request.unreadable_members(1), "currency");
}

TEST(Transcoder, ClientsCannotFillTheUnreadableList) {
  const auto request = ReadTransaction(R"({"unreadable_members": ["amount"]})");
  EXPECT_TRUE(request.unreadable_members().empty());
}

TEST(Transcoder, LeavesOutUnfitMembersWhenTheRequestKeepsNoList) {
  // Auth keeps no list: a username that is not a string is blank.
  auth::v1::IssueTokenRequest request;
  ASSERT_TRUE(JsonToMessage(R"({"username": 123, "password": ["p"]})", request).ok());
  EXPECT_EQ(request.username(), "");
  EXPECT_EQ(request.password(), "");
}

TEST(Transcoder, IgnoresUnknownMembersAndTakesCamelCaseNames) {
  auth::v1::IssueTokenRequest request;
  ASSERT_TRUE(JsonToMessage(R"({"username": "alice", "password": "p", "extra": 1})", request).ok());
  EXPECT_EQ(request.username(), "alice");
  // Protobuf's JSON names: a member may be written as the proto field
  // (user_id) or in lowerCamelCase (userId).
  psp::v1::ChargeRequest camel, snake;
  ASSERT_TRUE(JsonToMessage(R"({"idempotencyKey": "k", "userId": 7})", camel).ok());
  EXPECT_EQ(camel.idempotency_key(), "k");
  EXPECT_EQ(camel.user_id(), 7);
  ASSERT_TRUE(JsonToMessage(R"({"idempotency_key": "k", "user_id": 7})", snake).ok());
  EXPECT_EQ(snake.idempotency_key(), "k");
  EXPECT_EQ(snake.user_id(), 7);
}

TEST(Transcoder, RefusesBodiesThatAreNotAJsonObject) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "Request body is empty"},
      {"   ", "Request body is empty"},
      {"[1, 2]", "Request body must be a JSON object"},
      {"null", "Request body must be a JSON object"},
      {R"("text")", "Request body must be a JSON object"},
      {"42", "Request body must be a JSON object"},
      {"{", "Request body is not valid JSON"},
      {"username=alice", "Request body is not valid JSON"},
      {R"({"a": })", "Request body is not valid JSON"},
      {R"({"a": "1e400})", "Request body is not valid JSON"},
  };
  for (const auto& [body, message] : cases) {
    auth::v1::IssueTokenRequest request;
    const absl::Status status = JsonToMessage(body, request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(status.message(), message) << body;
  }
}

// JSON as RFC 8259 writes it, nothing looser: what protobuf's own parser
// let through (and a client's bug would have relied on) is a 400.
TEST(Transcoder, RefusesTextThatIsNotStrictJson) {
  for (const std::string body :
       {R"({"token": "t",})",     R"({"currency": ["USD",]})", R"({'token': "t"})",
        R"({token: "t"})",        R"({"amount": 5.})",         R"({"amount": 1e})",
        R"({"amount": 9-0})",     R"({"amount": +5})",         R"({"amount": .5})",
        R"({"amount": 0x10})",    R"({"amount": 01})",         R"({"amount": NaN})",
        R"({"token": "\x41"})",   R"({"token": "\d800"})",     R"({"token": "\udc00"})",
        R"({"token": "\ud800"})", R"({"\udf3d\ude00": 1})",    "{\"token\": \"a\tb\"}",
        "{\"token\": \"\xff\"}",  R"({"token": "t"} {})",      R"({"token": /* c */ "t"})"}) {
    auth::v1::IssueTokenRequest request;
    const absl::Status status = JsonToMessage(body, request);
    EXPECT_EQ(status.message(), "Request body is not valid JSON") << body;
  }
}

TEST(Transcoder, ReadsWhatJsonAllowsAsPythonsJsonReadsIt) {
  // A name given twice: the last counts.
  EXPECT_EQ(ReadTransaction(R"({"amount": 1, "amount": 2})").amount(), 2);
  EXPECT_EQ(ReadTransaction(R"({"amount": "x", "amount": 3})").amount(), 3);
  // A byte order mark before the text.
  EXPECT_EQ(ReadTransaction("\xef\xbb\xbf{\"amount\": 4}").amount(), 4);
  // Escapes, surrogate pairs and NUL inside strings.
  EXPECT_EQ(ReadTransaction(R"({"token": "a\u0000b\ud83d\ude00\/"})").token(),
            std::string("a\0b\xf0\x9f\x98\x80/", 8));
  // Nesting in a member no field reads, up to 100 levels in all.
  const std::string deep =
      "{\"x\": " + std::string(99, '[') + std::string(99, ']') + ", \"amount\": 5}";
  EXPECT_EQ(ReadTransaction(deep).amount(), 5);
}

TEST(Transcoder, RefusesNestingDeeperThanAHundredLevels) {
  // The reader recurses once per level: a body of 64 KiB of '[' must not
  // reach the end of the thread's stack.
  for (const size_t depth : {size_t{100}, size_t{101}, size_t{60000}}) {
    const std::string body = "{\"x\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
    auth::v1::IssueTokenRequest request;
    const absl::Status status = JsonToMessage(body, request);
    EXPECT_EQ(status.message(), "Request body is nested too deeply") << depth;
  }
}

TEST(Transcoder, WritesIntegersAsJsonNumbers) {
  core::v1::Transaction transaction;
  transaction.set_amount(100);
  transaction.set_currency("USD");
  transaction.set_user_id(1);
  const std::string json = MessageToJson(transaction);
  EXPECT_NE(json.find(R"("amount":100)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("user_id":1)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("currency":"USD")"), std::string::npos) << json;
  EXPECT_EQ(json.find("psp_reference"), std::string::npos) << json;  // default: omitted
}

TEST(Transcoder, WritesIntegersBeyondDoublePrecisionAsText) {
  core::v1::Transaction transaction;
  transaction.set_amount(9007199254740993);
  EXPECT_NE(MessageToJson(transaction).find(R"("amount":"9007199254740993")"), std::string::npos);
}

TEST(Transcoder, SetsFieldsFromPathText) {
  core::v1::GetTransactionRequest request;
  const auto* id = request.GetDescriptor()->FindFieldByName("id");
  ASSERT_TRUE(SetFieldFromText(request, *id, "tx_1").ok());
  EXPECT_EQ(request.id(), "tx_1");
  CreateTransactionRequest create;
  const auto* amount = create.GetDescriptor()->FindFieldByName("amount");
  EXPECT_TRUE(SetFieldFromText(create, *amount, "42").ok());
  EXPECT_EQ(create.amount(), 42);
  EXPECT_FALSE(SetFieldFromText(create, *amount, "4x").ok());
}

TEST(Transcoder, PathOrQueryTextThatIsNotUtf8FitsNoStringField) {
  // A decoded %FF: a proto3 string must be UTF-8, or the service cannot parse it.
  CreateTransactionRequest create;
  const auto* token = create.GetDescriptor()->FindFieldByName("token");
  EXPECT_FALSE(SetFieldFromText(create, *token, "ey\xff").ok());
  EXPECT_TRUE(SetFieldFromText(create, *token, "zo\xc3\xab").ok());
  EXPECT_EQ(create.token(), "zo\xc3\xab");
}

}  // namespace
}  // namespace platform::gateway
