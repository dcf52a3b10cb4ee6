#include "actors/shared/runtime/request_id.h"

#include <set>

#include "gtest/gtest.h"

namespace platform {
namespace {

TEST(RequestId, NewIdsAreUuidV4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(IsUsableRequestId(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RequestId, AcceptsOnlySafeClientIds) {
  EXPECT_TRUE(IsUsableRequestId("abc-123_X.y:z"));
  EXPECT_FALSE(IsUsableRequestId(""));
  EXPECT_FALSE(IsUsableRequestId(std::string(129, 'a')));
  EXPECT_FALSE(IsUsableRequestId("has space"));
  EXPECT_FALSE(IsUsableRequestId("new\nline"));
  EXPECT_FALSE(IsUsableRequestId("quote\""));
}

}  // namespace
}  // namespace platform
