#include "actors/shared/redis/redis_url.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace platform::redis {
namespace {

TEST(RedisUrl, ReadsTheReferenceForm) {
  const auto plain = ParseUrl("redis://127.0.0.1:6379/0");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 6379);
  EXPECT_EQ(plain->db, 0);
  EXPECT_EQ(plain->password, "");

  const auto full = ParseUrl("redis://:s3cr:et@redis.internal:6380/2");
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->host, "redis.internal");
  EXPECT_EQ(full->port, 6380);
  EXPECT_EQ(full->db, 2);
  EXPECT_EQ(full->password, "s3cr:et");
}

TEST(RedisUrl, FillsDefaults) {
  const auto url = ParseUrl("redis://redis");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "redis");
  EXPECT_EQ(url->port, 6379);
  EXPECT_EQ(url->db, 0);
}

TEST(RedisUrl, RefusesWhatItCannotRead) {
  for (const char* url :
       {"http://x:1/0", "redis://", "redis://h:0/0", "redis://h:99999/0", "redis://h:port/0",
        "redis://h:1/x", "redis://h:1/-1", "127.0.0.1:6379"}) {
    const auto parsed = ParseUrl(url);
    EXPECT_FALSE(parsed.ok()) << url;
    if (!parsed.ok()) {
      EXPECT_NE(parsed.status().message().find("REDIS_URL="), absl::string_view::npos);
    }
  }
}

TEST(RedisUrl, ARefusedUrlIsReportedWithoutItsPassword) {
  for (const char* url :
       {"redis://:s3cret-pw@h:port/0", "redis://user:s3cret-pw@h:1/x", "s3cret-pw@h:1/0"}) {
    const auto parsed = ParseUrl(url);
    ASSERT_FALSE(parsed.ok()) << url;
    const std::string message(parsed.status().message());
    EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
    EXPECT_NE(message.find("***@h:"), std::string::npos) << message;
  }
}

TEST(RedisSentinels, ReadsAListWithSentinelsDefaultPort) {
  absl::StatusOr<std::vector<HostPort>> sentinels =
      ParseSentinels("sentinel-1:26380, sentinel-2 ,10.0.0.3:1");
  ASSERT_TRUE(sentinels.ok()) << sentinels.status();
  ASSERT_EQ(sentinels->size(), 3u);
  EXPECT_EQ((*sentinels)[0].host, "sentinel-1");
  EXPECT_EQ((*sentinels)[0].port, 26380);
  EXPECT_EQ((*sentinels)[1].host, "sentinel-2");
  EXPECT_EQ((*sentinels)[1].port, 26379);
  EXPECT_EQ((*sentinels)[2].port, 1);
  EXPECT_TRUE(ParseSentinels("")->empty());
  EXPECT_EQ(ParseSentinels("a:port").status().message(),
            "REDIS_SENTINELS: a:port is not host:port");
  EXPECT_EQ(ParseSentinels(":26379").status().message(), "REDIS_SENTINELS: :26379 has no host");
}

// Whatever bytes come, the answer is a refusal on one readable line.
TEST(RedisSentinels, RefusesHostileBytesOnOneLine) {
  for (const std::string& list :
       {std::string("sentinel\n-1:26379"), std::string("a b:26379"), std::string("h\x01st"),
        std::string("caf\xc3\xa9:1"), std::string("x:26379\r1"), std::string("h;rm -rf /:1"),
        std::string("h:1\0x", 5)}) {
    const absl::StatusOr<std::vector<HostPort>> parsed = ParseSentinels(list);
    ASSERT_FALSE(parsed.ok()) << list;
    const std::string message(parsed.status().message());
    EXPECT_EQ(message.rfind("REDIS_SENTINELS: ", 0), 0u) << message;
    for (const char c : message) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7f) << absl::CHexEscape(message);
    }
  }
}

}  // namespace
}  // namespace platform::redis
