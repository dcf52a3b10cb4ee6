#include "actors/shared/runtime/json_text.h"

#include "gtest/gtest.h"

namespace platform::json {
namespace {

// Expected texts are what Python's json.dumps writes for the same strings.
TEST(JsonText, QuotesAsciiAsItIs) {
  EXPECT_EQ(Quoted("alice"), R"("alice")");
  EXPECT_EQ(Quoted("a/b ~"), R"("a/b ~")");
}

TEST(JsonText, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Quoted("say \"hi\"\\"), R"("say \"hi\"\\")");
  EXPECT_EQ(Quoted("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(Quoted(std::string("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
}

TEST(JsonText, EscapesNonAsciiAsPythonDoes) {
  EXPECT_EQ(Quoted("zo\xc3\xab"), R"("zo\u00eb")");
  EXPECT_EQ(Quoted("\xe2\x80\xa8"), R"("\u2028")");
  EXPECT_EQ(Quoted("\xf0\x9f\x98\x80"), R"("\ud83d\ude00")");  // surrogate pair
}

TEST(JsonText, TellsWellFormedUtf8FromBytes) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("alice"));
  EXPECT_TRUE(IsValidUtf8("zo\xc3\xab \xf0\x9f\x98\x80"));
  EXPECT_TRUE(IsValidUtf8("\xef\xbf\xbd"));  // U+FFFD itself
  EXPECT_FALSE(IsValidUtf8("a\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // a surrogate
}

TEST(JsonText, ReplacesInvalidUtf8) {
  EXPECT_EQ(Quoted("a\xff"
                   "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(Quoted("\xc3"), R"("\ufffd")");            // truncated sequence
  EXPECT_EQ(Quoted("\xc0\xaf"), R"("\ufffd\ufffd")");  // overlong
}

TEST(JsonText, ErrorBodyHasTheOneErrorShape) {
  EXPECT_EQ(ErrorBody("User not found"), R"({"error": "User not found"})");
  EXPECT_EQ(ErrorBody("a \"b\""), R"({"error": "a \"b\""})");
}

}  // namespace
}  // namespace platform::json
