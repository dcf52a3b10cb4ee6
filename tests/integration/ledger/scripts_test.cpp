#include "actors/shared/ledger/scripts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/shared/ledger/schema.h"
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

// The status machine the scripts keep: created queued, held reads as
// processing, settled once, and a second settle (a redelivery) changes nothing.
TEST(LedgerScripts, AStatusMovesOnlyForward) {
  testing::RedisServer server;
  for (const redis::Script* script : AllScripts()) server.Run({"SCRIPT", "LOAD", script->text()});
  const std::string key = TransactionKey("t1");
  const std::string stream(kDefaultStream), group(kDefaultGroup);
  server.Run({"XGROUP", "CREATE", stream, group, "$", "MKSTREAM"});
  const redis::Reply created = server.Run(CreateTransactionScript().Call(
      {key, stream, ""},
      {"t1", "7", "100", "USD", "r1", "1000", "event", "", "60", "99999999999999"}));
  ASSERT_EQ(created.elements.size(), 1u) << created.text;
  EXPECT_EQ(created.elements[0].text, "created");
  EXPECT_EQ(server.Run({"HGET", key, std::string(field::kStatus)}).text, status::kQueued);

  const redis::Reply read =
      server.Run({"XREADGROUP", "GROUP", group, "c1", "STREAMS", stream, ">"});
  ASSERT_EQ(read.elements.size(), 1u) << read.text;
  const std::string entry = read.elements[0].elements[1].elements[0].elements[0].text;
  const redis::Reply held = server.Run(ReadTransactionScript().Call({key, stream}, {group}));
  const auto& fields = held.elements;
  EXPECT_NE(std::find_if(fields.begin(), fields.end(),
                         [](const redis::Reply& r) { return r.text == "held"; }),
            fields.end());

  const auto settle = [&](absl::string_view status) {
    return server.Run(SettleTransactionScript().Call(
        {key, stream}, {group, entry, std::string(status), "psp-1", "", "1", "2000", "60"}));
  };
  EXPECT_EQ(settle(status::kApproved).integer, 1);
  EXPECT_EQ(settle(status::kDeclined).integer, 1);
  EXPECT_EQ(server.Run({"HGET", key, std::string(field::kStatus)}).text, status::kApproved);
  EXPECT_EQ(server.Run({"XPENDING", stream, group}).elements[0].integer, 0);
  EXPECT_GT(server.Run({"TTL", key}).integer, 0);  // kept for the retention only
}

// A create no replica confirmed is taken back, unless a connector has read
// it: then it goes on to be charged.
TEST(LedgerScripts, AWithdrawalTakesBackOnlyWhatNoConnectorHasRead) {
  testing::RedisServer server;
  for (const redis::Script* script : AllScripts()) server.Run({"SCRIPT", "LOAD", script->text()});
  const std::string stream(kDefaultStream), group(kDefaultGroup);
  server.Run({"XGROUP", "CREATE", stream, group, "$", "MKSTREAM"});
  const auto create = [&](const std::string& id, const std::string& idempotency_key) {
    const redis::Reply created = server.Run(CreateTransactionScript().Call(
        {TransactionKey(id), stream, idempotency_key},
        {id, "7", "100", "USD", "r1", "1000", "event", "fp", "60", "99999999999999"}));
    EXPECT_EQ(created.elements.at(0).text, "created");
  };
  const auto withdraw = [&](const std::string& id, const std::string& idempotency_key) {
    return server
        .Run(WithdrawTransactionScript().Call({TransactionKey(id), stream, idempotency_key},
                                              {group, id}))
        .text;
  };
  create("read", "");
  server.Run({"XREADGROUP", "GROUP", group, "c1", "COUNT", "1", "STREAMS", stream, ">"});
  create("unread", "idempotency:7:k1");

  EXPECT_EQ(withdraw("read", ""), "kept");
  EXPECT_EQ(withdraw("unread", "idempotency:7:k1"), "withdrawn");
  EXPECT_EQ(withdraw("unread", "idempotency:7:k1"), "gone");
  EXPECT_EQ(server.Run({"EXISTS", TransactionKey("read")}).integer, 1);
  EXPECT_EQ(server.Run({"EXISTS", TransactionKey("unread"), "idempotency:7:k1"}).integer, 0);
  EXPECT_EQ(server.Run({"XLEN", stream}).integer, 1);  // the read one's entry only
  // Nothing is left for a connector to charge.
  const redis::Reply next =
      server.Run({"XREADGROUP", "GROUP", group, "c1", "STREAMS", stream, ">"});
  EXPECT_TRUE(next.is_nil()) << next.text;
}

}  // namespace
}  // namespace platform::ledger
