#include "actors/shared/runtime/trace_context.h"

#include "gtest/gtest.h"

namespace platform {
namespace {

constexpr char kExample[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ReadsTheRecommendationsExample) {
  const std::optional<TraceContext> context = ParseTraceparent(kExample);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id, "00f067aa0ba902b7");
  EXPECT_EQ(context->flags, "01");
  EXPECT_EQ(context->Header(), kExample);
}

TEST(TraceContext, RefusesWhatTheRecommendationForbids) {
  for (const char* header : {
           "",
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version ff
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // 00 has no more
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",     // short trace id
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",    // not dashes
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\t",   // a tab
       }) {
    EXPECT_FALSE(ParseTraceparent(header).has_value()) << header;
  }
}

TEST(TraceContext, ReadsALaterVersionAsVersionZero) {
  const std::optional<TraceContext> context =
      ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->Header(), kExample);  // passed on as version 00
}

TEST(TraceContext, AChildKeepsTheTraceWithASpanOfItsOwn) {
  const TraceContext parent = *ParseTraceparent(kExample);
  const TraceContext child = parent.Child();
  EXPECT_EQ(child.trace_id, parent.trace_id);
  EXPECT_EQ(child.flags, parent.flags);
  EXPECT_NE(child.span_id, parent.span_id);
  EXPECT_TRUE(ParseTraceparent(child.Header()).has_value());
}

TEST(TraceContext, ANewTraceIsValidAndUnlikeTheLast) {
  const TraceContext first = NewTrace();
  const TraceContext second = NewTrace();
  EXPECT_TRUE(ParseTraceparent(first.Header()).has_value()) << first.Header();
  EXPECT_NE(first.trace_id, second.trace_id);
  EXPECT_EQ(ContinueOrStartTrace("not a traceparent").trace_id.size(), 32u);
  EXPECT_EQ(ContinueOrStartTrace(kExample).trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

}  // namespace
}  // namespace platform
