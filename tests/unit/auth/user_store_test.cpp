#include "actors/auth/user_store.h"

#include <argon2.h>

#include "gtest/gtest.h"

namespace platform::auth {
namespace {

TEST(UserStore, LoadsTheShippedUsersOfTheReference) {
  const absl::StatusOr<UserStore> store =
      UserStore::LoadFile(std::string(PLATFORM_SOURCE_DIR) + "/actors/auth/users.json");
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->size(), 3u);
  const User* alice = store->Find("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->id, 1);
  EXPECT_TRUE(alice->enabled);
  EXPECT_TRUE(alice->PasswordMatches("password"));
  EXPECT_EQ(store->Find("becky")->id, 2);
  EXPECT_FALSE(store->Find("charlie")->enabled);
}

TEST(UserStore, UsernamesAreCaseSensitive) {
  const absl::StatusOr<UserStore> store =
      UserStore::Parse(R"([{"id": 1, "username": "alice", "password": "pw", "enabled": true}])");
  ASSERT_TRUE(store.ok());
  EXPECT_NE(store->Find("alice"), nullptr);
  EXPECT_EQ(store->Find("Alice"), nullptr);
  EXPECT_EQ(store->Find("alice "), nullptr);
}

TEST(UserStore, PlainPasswordsMustMatchExactly) {
  const absl::StatusOr<UserStore> store =
      UserStore::Parse(R"([{"id": 1, "username": "a", "password": "password", "enabled": true}])");
  const User& user = *store->Find("a");
  EXPECT_TRUE(user.PasswordMatches("password"));
  EXPECT_FALSE(user.PasswordMatches("Password"));
  EXPECT_FALSE(user.PasswordMatches("password "));
  EXPECT_FALSE(user.PasswordMatches("passwor"));
  EXPECT_FALSE(user.PasswordMatches(""));
}

TEST(UserStore, AcceptsArgon2idHashes) {
  char encoded[256];
  const char salt[] = "0123456789abcdef";
  ASSERT_EQ(
      argon2id_hash_encoded(1, 1 << 10, 1, "hunter2", 7, salt, 16, 32, encoded, sizeof encoded),
      ARGON2_OK);
  const absl::StatusOr<UserStore> store =
      UserStore::Parse(std::string(R"([{"id": 9, "username": "h", "password_hash": ")") + encoded +
                       R"(", "enabled": true}])");
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(store->Find("h")->PasswordMatches("hunter2"));
  EXPECT_FALSE(store->Find("h")->PasswordMatches("hunter3"));
}

TEST(UserStore, RejectsMalformedFilesWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"{}", "not a JSON list"},
      {"[1]", "user #1: not a JSON object"},
      {R"([{"username": "a", "password": "p", "enabled": true}])", "\"id\""},
      {R"([{"id": 1.5, "username": "a", "password": "p", "enabled": true}])", "\"id\""},
      // Past 2^53 a JSON number is no exact integer, past int64 no id at all
      // (the users-file fuzzer's find: the conversion was undefined).
      {R"([{"id": 4.4e51, "username": "a", "password": "p", "enabled": true}])", "\"id\""},
      {R"([{"id": -9007199254740994, "username": "a", "password": "p", "enabled": true}])",
       "\"id\""},
      {R"([{"id": 1, "username": "", "password": "p", "enabled": true}])", "\"username\""},
      {R"([{"id": 1, "username": "a", "enabled": true}])", "exactly one"},
      {R"([{"id": 1, "username": "a", "password": "p", "password_hash": "x", "enabled": true}])",
       "exactly one"},
      {R"([{"id": 1, "username": "a", "password_hash": "md5", "enabled": true}])", "argon2id"},
      {R"([{"id": 1, "username": "a", "password": "p", "enabled": "yes"}])", "\"enabled\""},
      {R"([{"id": 1, "username": "a", "password": "p", "enabled": true},
           {"id": 2, "username": "a", "password": "p", "enabled": true}])",
       "duplicate"},
  };
  for (const auto& [json, reason] : cases) {
    const absl::StatusOr<UserStore> store = UserStore::Parse(json);
    ASSERT_FALSE(store.ok()) << json;
    EXPECT_NE(store.status().message().find(reason), absl::string_view::npos)
        << json << " -> " << store.status();
  }
}

TEST(UserStore, NamesTheFileItCannotRead) {
  const absl::StatusOr<UserStore> store = UserStore::LoadFile("/nonexistent/users.json");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent/users.json"), absl::string_view::npos);
}

}  // namespace
}  // namespace platform::auth
