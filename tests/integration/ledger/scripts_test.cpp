#include "actors/shared/ledger/scripts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/shared/ledger/schema.h"
#include "actors/shared/redis/hash_slot.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace platform::ledger {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every .lua file of the product, wherever it lives.
std::vector<std::filesystem::path> LuaFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(PLATFORM_SOURCE_DIR "/actors")) {
    if (entry.path().extension() == ".lua") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(LedgerScripts, EveryLuaFileLoadsIntoRedis) {
  testing::RedisServer server;
  const std::vector<std::filesystem::path> files = LuaFiles();
  ASSERT_GE(files.size(), 7u);  // the ledger's five and auth's two, at least
  for (const std::filesystem::path& file : files) {
    const redis::Reply loaded = server.Run({"SCRIPT", "LOAD", ReadFile(file)});
    EXPECT_FALSE(loaded.is_error()) << file << ": " << loaded.text;
    EXPECT_EQ(loaded.text.size(), 40u) << file;
  }
}

TEST(LedgerScripts, TheProgramsCallEachFileAsItIsWritten) {
  testing::RedisServer server;
  std::vector<std::string> texts;
  for (const std::filesystem::path& file : LuaFiles()) {
    if (file.parent_path().filename() == "scripts" &&
        file.parent_path().parent_path().filename() == "ledger") {
      texts.push_back(ReadFile(file));
    }
  }
  const std::vector<const redis::Script*> scripts = AllScripts();
  ASSERT_EQ(scripts.size(), texts.size());
  for (const redis::Script* script : scripts) {
    EXPECT_NE(std::find(texts.begin(), texts.end(), script->text()), texts.end())
        << "an embedded script is no file's text:\n"
        << script->text();
    // The SHA-1 the programs call is the one Redis gives the text.
    EXPECT_EQ(server.Run({"SCRIPT", "LOAD", script->text()}).text, script->sha1());
  }
}

// The scripts run alike on one Redis and on a Redis Cluster, which refuses
// a script whose keys are in more than one slot, or that touches a key it
// was not given.
class LedgerScriptsOn : public ::testing::TestWithParam<bool> {
 protected:
  static testing::RedisServer::Options ServerOptions() {
    testing::RedisServer::Options options;
    options.cluster = GetParam();
    return options;
  }

  LedgerScriptsOn() : server_(ServerOptions()) {
    for (const redis::Script* script : AllScripts()) {
      server_.Run({"SCRIPT", "LOAD", script->text()});
    }
    server_.Run({"XGROUP", "CREATE", stream_, group_, "$", "MKSTREAM"});
  }

  redis::Reply Create(const std::string& id, const std::string& user_key = "") {
    std::vector<std::string> keys = {TransactionKey(stream_, id), stream_};
    if (!user_key.empty()) keys.push_back(IdempotencyKey(stream_, "7", user_key));
    return server_.Run(CreateTransactionScript().Call(
        std::move(keys),
        {id, "7", "100", "USD", "r1", "1000", "event", "fp", "60", "99999999999999"}));
  }
  // The id of the next entry the connectors' group is given.
  std::string ReadOne() {
    const redis::Reply read =
        server_.Run({"XREADGROUP", "GROUP", group_, "c1", "COUNT", "1", "STREAMS", stream_, ">"});
    EXPECT_EQ(read.elements.size(), 1u) << read.text;
    return read.elements.empty() ? "" : read.elements[0].elements[1].elements[0].elements[0].text;
  }

  testing::RedisServer server_;
  const std::string stream_{kDefaultStream};
  const std::string group_{kDefaultGroup};
};

INSTANTIATE_TEST_SUITE_P(OneRedisAndACluster, LedgerScriptsOn, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Cluster" : "OneRedis";
                         });

// The status machine the scripts keep: created queued, held reads as
// processing, settled once, and a second settle (a redelivery) changes nothing.
TEST_P(LedgerScriptsOn, AStatusMovesOnlyForward) {
  const std::string key = TransactionKey(stream_, "t1");
  const redis::Reply created = Create("t1");
  ASSERT_EQ(created.elements.size(), 1u) << created.text;
  EXPECT_EQ(created.elements[0].text, "created");
  EXPECT_EQ(server_.Run({"HGET", key, std::string(field::kStatus)}).text, status::kQueued);

  const std::string entry = ReadOne();
  const redis::Reply held = server_.Run(ReadTransactionScript().Call({key, stream_}, {group_}));
  const auto& fields = held.elements;
  EXPECT_NE(std::find_if(fields.begin(), fields.end(),
                         [](const redis::Reply& r) { return r.text == "held"; }),
            fields.end())
      << held.text;

  const auto settle = [&](absl::string_view status) {
    return server_.Run(SettleTransactionScript().Call(
        {key, stream_}, {group_, entry, std::string(status), "psp-1", "", "1", "2000", "60"}));
  };
  EXPECT_EQ(settle(status::kApproved).integer, 1);
  EXPECT_EQ(settle(status::kDeclined).integer, 1);
  EXPECT_EQ(server_.Run({"HGET", key, std::string(field::kStatus)}).text, status::kApproved);
  EXPECT_EQ(server_.Run({"XPENDING", stream_, group_}).elements[0].integer, 0);
  EXPECT_GT(server_.Run({"TTL", key}).integer, 0);  // kept for the retention only
}

TEST_P(LedgerScriptsOn, AnIdempotencyKeyAnswersItsFirstTransaction) {
  EXPECT_EQ(Create("first", "k1").elements.at(0).text, "created");
  const redis::Reply again = Create("second", "k1");
  ASSERT_EQ(again.elements.size(), 3u) << again.text;
  EXPECT_EQ(again.elements[0].text, "replay");
  EXPECT_EQ(again.elements[2].text, "first");
  EXPECT_EQ(server_.Run({"XLEN", stream_}).integer, 1);
}

// A create no replica confirmed is taken back, unless a connector has read
// it: then it goes on to be charged.
TEST_P(LedgerScriptsOn, AWithdrawalTakesBackOnlyWhatNoConnectorHasRead) {
  const auto withdraw = [&](const std::string& id, const std::string& user_key) {
    std::vector<std::string> keys = {TransactionKey(stream_, id), stream_};
    if (!user_key.empty()) keys.push_back(IdempotencyKey(stream_, "7", user_key));
    return server_.Run(WithdrawTransactionScript().Call(std::move(keys), {group_, id})).text;
  };
  EXPECT_EQ(Create("read").elements.at(0).text, "created");
  ReadOne();
  EXPECT_EQ(Create("unread", "k1").elements.at(0).text, "created");

  EXPECT_EQ(withdraw("read", ""), "kept");
  EXPECT_EQ(withdraw("unread", "k1"), "withdrawn");
  EXPECT_EQ(withdraw("unread", "k1"), "gone");
  EXPECT_EQ(server_.Run({"EXISTS", TransactionKey(stream_, "read")}).integer, 1);
  EXPECT_EQ(server_.Run({"EXISTS", TransactionKey(stream_, "unread")}).integer, 0);
  EXPECT_EQ(server_.Run({"EXISTS", IdempotencyKey(stream_, "7", "k1")}).integer, 0);
  EXPECT_EQ(server_.Run({"XLEN", stream_}).integer, 1);  // the read one's entry only
  // Nothing is left for a connector to charge.
  const redis::Reply next =
      server_.Run({"XREADGROUP", "GROUP", group_, "c1", "STREAMS", stream_, ">"});
  EXPECT_TRUE(next.is_nil()) << next.text;
}

// An entry no one could charge: copied to the dead letters, the
// transaction it names failed, the entry acknowledged.
TEST_P(LedgerScriptsOn, ADeadLetterFailsTheTransactionItNames) {
  const std::string dead = DefaultDeadLetterStream(stream_);
  Create("t1");
  const std::string entry = ReadOne();
  const redis::Reply moved = server_.Run(
      DeadLetterScript().Call({stream_, dead, TransactionKey(stream_, "t1")},
                              {group_, entry, "3000", "no outcome", "60", "100", "t1"}));
  EXPECT_EQ(moved.integer, 1) << moved.text;
  EXPECT_EQ(server_.Run({"HGET", TransactionKey(stream_, "t1"), "status"}).text, status::kFailed);
  EXPECT_EQ(server_.Run({"HGET", TransactionKey(stream_, "t1"), "reason"}).text, "no outcome");
  EXPECT_EQ(server_.Run({"XLEN", dead}).integer, 1);
  EXPECT_EQ(server_.Run({"XPENDING", stream_, group_}).elements[0].integer, 0);

  // An entry that names no transaction is only moved.
  server_.Run({"XADD", stream_, "*", "event", "unreadable"});
  const std::string stray = ReadOne();
  EXPECT_EQ(server_
                .Run(DeadLetterScript().Call(
                    {stream_, dead}, {group_, stray, "3000", "unreadable", "60", "100", ""}))
                .integer,
            1);
  EXPECT_EQ(server_.Run({"XLEN", dead}).integer, 2);
}

// The layout's promise: every key of the stream's transactions in the
// stream's slot, as the node itself computes it.
TEST(LedgerScripts, EveryKeyOfAStreamSharesItsSlotOnACluster) {
  testing::RedisServer::Options cluster;
  cluster.cluster = true;
  testing::RedisServer server(cluster);
  const std::string stream(kDefaultStream);
  const int64_t slot = server.Run({"CLUSTER", "KEYSLOT", stream}).integer;
  EXPECT_EQ(slot, redis::HashSlot(stream));
  for (const std::string& key :
       {TransactionKey(stream, "tx_01jd"), IdempotencyKey(stream, "7", "abc"),
        DefaultDeadLetterStream(stream)}) {
    EXPECT_EQ(server.Run({"CLUSTER", "KEYSLOT", key}).integer, slot) << key;
  }
  // What the node refuses, and the layout avoids: keys in two slots.
  const redis::Reply refused = server.Run(CreateTransactionScript().Call(
      {"transaction:t9", stream},
      {"t9", "7", "100", "USD", "r1", "1000", "event", "", "60", "99999999999999"}));
  EXPECT_TRUE(refused.is_error());
  EXPECT_NE(refused.text.find("CROSSSLOT"), std::string::npos) << refused.text;
}

}  // namespace
}  // namespace platform::ledger
