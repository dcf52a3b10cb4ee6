#include "actors/connector/held_entries.h"

#include "gtest/gtest.h"

namespace platform::connector {
namespace {

TEST(HeldEntries, KnowsWhatIsHeldUntilItIsRemoved) {
  HeldEntries held;
  held.Add("1700000000000-1");
  held.Add("1700000000000-2");
  held.Add("1700000000000-1");  // reclaimed while held: still one
  EXPECT_TRUE(held.Contains("1700000000000-1"));
  EXPECT_EQ(held.List(), (std::vector<std::string>{"1700000000000-1", "1700000000000-2"}));
  held.Remove("1700000000000-1");
  EXPECT_FALSE(held.Contains("1700000000000-1"));
  held.Remove("1700000000000-9");  // never held: nothing happens
  EXPECT_EQ(held.List(), (std::vector<std::string>{"1700000000000-2"}));
}

}  // namespace
}  // namespace platform::connector
