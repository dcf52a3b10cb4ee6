#include "actors/shared/redis/hash_slot.h"

#include "gtest/gtest.h"

namespace platform::redis {
namespace {

// The examples of the Redis Cluster specification.
TEST(HashSlot, HashesTheTagWhenThereIsOne) {
  EXPECT_EQ(HashTagOf("{user1000}.following"), "user1000");
  EXPECT_EQ(HashTagOf("foo{}{bar}"), "foo{}{bar}");  // an empty tag: the whole key
  EXPECT_EQ(HashTagOf("foo{{bar}}zap"), "{bar");
  EXPECT_EQ(HashTagOf("foo{bar}{zap}"), "bar");
  EXPECT_EQ(HashTagOf("no-tag"), "no-tag");
  EXPECT_EQ(HashTagOf("open{only"), "open{only");
  EXPECT_EQ(HashSlot("{user1000}.following"), HashSlot("{user1000}.followers"));
  EXPECT_EQ(HashSlot("{user1000}.following"), HashSlot("user1000"));
}

TEST(HashSlot, IsTheSpecificationsCrc16) {
  // CRC16-XMODEM of "123456789" is 0x31C3.
  EXPECT_EQ(HashSlot("123456789"), 0x31C3 % kHashSlots);
  EXPECT_EQ(HashSlot(""), 0);
  for (const char* key : {"a", "transactions", "\xff\x80 bytes", "{x}"}) {
    EXPECT_GE(HashSlot(key), 0);
    EXPECT_LT(HashSlot(key), kHashSlots);
  }
}

}  // namespace
}  // namespace platform::redis
