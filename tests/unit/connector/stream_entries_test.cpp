#include "actors/connector/stream_entries.h"

#include "gtest/gtest.h"
#include "platform/core/v1/transaction_event.pb.h"

namespace platform::connector {
namespace {

using redis::Reply;

Reply Text(std::string text) {
  Reply reply;
  reply.type = Reply::Type::kString;
  reply.text = std::move(text);
  return reply;
}

Reply Array(std::vector<Reply> elements) {
  Reply reply;
  reply.type = Reply::Type::kArray;
  reply.elements = std::move(elements);
  return reply;
}

Reply Entry(const std::string& entry_id, const std::string& tx_id,
            const std::string& request_id = "req-1") {
  core::v1::TransactionQueued event;
  event.set_id(tx_id);
  event.set_user_id(7);
  event.set_amount(250);
  event.set_currency("EUR");
  event.set_request_id(request_id);
  return Array({Text(entry_id),
                Array({Text("id"), Text(tx_id), Text("event"), Text(event.SerializeAsString())})});
}

TEST(StreamEntries, ReadsAnXreadgroupAnswer) {
  const Reply reply =
      Array({Array({Text("transactions"), Array({Entry("1-0", "tx_a"), Entry("1-1", "tx_b")})})});
  const std::vector<StreamEntry> entries = EntriesOfRead(reply);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].entry_id, "1-0");
  EXPECT_EQ(entries[0].transaction_id, "tx_a");
  EXPECT_EQ(entries[0].user_id, 7);
  EXPECT_EQ(entries[0].amount, 250);
  EXPECT_EQ(entries[0].currency, "EUR");
  EXPECT_EQ(entries[0].request_id, "req-1");
  EXPECT_EQ(entries[1].transaction_id, "tx_b");
}

// An event that does not parse is not charged, but the entry still names
// its transaction: the one a dead letter fails.
TEST(StreamEntries, AnUnreadableEventKeepsTheIdTheEntryNames) {
  const StreamEntry entry = EntryOf(
      Array({Text("1-0"), Array({Text("id"), Text("tx_a"), Text("event"), Text("\xff\x01junk")})}));
  EXPECT_EQ(entry.entry_id, "1-0");
  EXPECT_EQ(entry.transaction_id, "");
  EXPECT_EQ(entry.listed_id, "tx_a");
  EXPECT_EQ(EntryOf(Entry("1-1", "tx_b")).listed_id, "tx_b");
}

TEST(StreamEntries, ARequestIdUnfitForMetadataOrLogsIsDropped) {
  // Not core's writing: a tab or a byte >= 0x80 would abort gRPC's call.
  for (const std::string& poison : {std::string("a\tb"), std::string("caf\xc3\xa9"),
                                    std::string(200, 'x'), std::string("a b")}) {
    const StreamEntry entry = EntryOf(Entry("1-0", "tx_a", poison));
    EXPECT_EQ(entry.request_id, "") << poison;
    EXPECT_EQ(entry.transaction_id, "tx_a");
  }
}

TEST(StreamEntries, ATraceparentIsKeptOnlyWhenValid) {
  Reply reply = Entry("1-0", "tx_a");
  core::v1::TransactionQueued event;
  const auto with = [&](const std::string& traceparent) {
    event.set_id("tx_a");
    event.set_traceparent(traceparent);
    reply.elements[1].elements[3] = Text(event.SerializeAsString());
    return EntryOf(reply);
  };
  const std::string valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  EXPECT_EQ(with(valid).traceparent, valid);
  EXPECT_EQ(with(valid).trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");
  // Not core's writing: a tab or a byte >= 0x80 would abort the PSP call.
  for (const std::string& poison :
       {std::string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\t"),
        std::string("00-4bf92f3577b34da6a3ce929d0e0e473\xc3\xa9-00f067aa0ba902b7-01"),
        std::string(5000, 'a'), std::string()}) {
    EXPECT_EQ(with(poison).traceparent, "") << poison;
    EXPECT_EQ(with(poison).trace_id(), "");
  }
}

TEST(StreamEntries, ANilReadIsNoEntries) { EXPECT_TRUE(EntriesOfRead(Reply{}).empty()); }

TEST(StreamEntries, ReadsTheThreeElementXautoclaimOfRedis7) {
  const Reply reply = Array({Text("5-0"), Array({Entry("2-0", "tx_c")}), Array({Text("3-0")})});
  std::string cursor;
  const std::vector<StreamEntry> entries = EntriesOfAutoClaim(reply, &cursor);
  EXPECT_EQ(cursor, "5-0");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].transaction_id, "tx_c");
}

TEST(StreamEntries, KeepsTheIdOfAnEntryWhoseEventCannotBeRead) {
  const Reply broken = Array({Text("9-0"), Array({Text("event"), Text("\xff\xff not proto")})});
  const StreamEntry entry = EntryOf(broken);
  EXPECT_EQ(entry.entry_id, "9-0");
  EXPECT_TRUE(entry.transaction_id.empty());  // to be dead-lettered, not charged
}

}  // namespace
}  // namespace platform::connector
