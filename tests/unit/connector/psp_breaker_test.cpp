#include "actors/connector/psp_breaker.h"

#include "gtest/gtest.h"

namespace platform::connector {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

PspBreaker::Options Options() {
  return {/*failures_to_open=*/3, absl::Seconds(1), absl::Seconds(4), absl::Milliseconds(100)};
}

TEST(PspBreaker, LetsCallsThroughUntilFailuresInARowShowThePspDown) {
  PspBreaker breaker(Options());
  EXPECT_EQ(breaker.HoldFor(kStart), absl::ZeroDuration());
  EXPECT_FALSE(breaker.Failed(kStart));  // these attempts count: the PSP may be fine
  EXPECT_FALSE(breaker.Failed(kStart));
  EXPECT_EQ(breaker.HoldFor(kStart), absl::ZeroDuration());
  EXPECT_TRUE(breaker.Failed(kStart));  // the third in a row: down
  EXPECT_TRUE(breaker.open());
  EXPECT_EQ(breaker.times_opened(), 1u);
  // Held until the probe, and a little after it, to see what it found.
  EXPECT_EQ(breaker.HoldFor(kStart), absl::Milliseconds(1100));
  EXPECT_EQ(breaker.HoldFor(kStart + absl::Seconds(2)), absl::Milliseconds(100));
  EXPECT_EQ(breaker.NextProbe(), kStart + absl::Seconds(1));
  // Calls that were in flight and fail now do not count either.
  EXPECT_TRUE(breaker.Failed(kStart + absl::Milliseconds(10)));
  EXPECT_EQ(breaker.times_opened(), 1u);
}

TEST(PspBreaker, AnAnswerInBetweenStartsTheCountAgain) {
  PspBreaker breaker(Options());
  breaker.Failed(kStart);
  breaker.Failed(kStart);
  breaker.Answered();  // a decline is an answer: the PSP is up
  EXPECT_FALSE(breaker.Failed(kStart));
  EXPECT_FALSE(breaker.Failed(kStart));
  EXPECT_FALSE(breaker.open());
  EXPECT_EQ(breaker.NextProbe(), absl::InfiniteFuture());
}

TEST(PspBreaker, FailedProbesWaitTwiceAsLongUpToTheMaximum) {
  PspBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.Failed(kStart);
  absl::Time now = kStart + absl::Seconds(1);
  breaker.ProbeStarted(now, absl::Seconds(5));
  // While the probe runs, held entries wait for its verdict.
  EXPECT_EQ(breaker.HoldFor(now), absl::Milliseconds(5100));
  breaker.ProbeFailed(now);
  EXPECT_EQ(breaker.NextProbe(), now + absl::Seconds(2));
  now += absl::Seconds(2);
  breaker.ProbeFailed(now);
  EXPECT_EQ(breaker.NextProbe(), now + absl::Seconds(4));
  now += absl::Seconds(4);
  breaker.ProbeFailed(now);
  EXPECT_EQ(breaker.NextProbe(), now + absl::Seconds(4));  // the maximum
  EXPECT_TRUE(breaker.open());
}

TEST(PspBreaker, AProbeThatFindsThePspServingClosesItAndResetsTheWait) {
  PspBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.Failed(kStart);
  breaker.ProbeFailed(kStart + absl::Seconds(1));  // the wait is 2 s now
  breaker.ProbeSucceeded();
  EXPECT_FALSE(breaker.open());
  EXPECT_EQ(breaker.HoldFor(kStart), absl::ZeroDuration());
  // Down again later: the first wait is the short one again.
  const absl::Time later = kStart + absl::Minutes(1);
  for (int i = 0; i < 3; ++i) breaker.Failed(later);
  EXPECT_EQ(breaker.NextProbe(), later + absl::Seconds(1));
  EXPECT_EQ(breaker.times_opened(), 2u);
}

TEST(PspBreaker, AProbeThatFailsAfterACallGotThroughChangesNothing) {
  PspBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.Failed(kStart);
  breaker.Answered();  // a call in flight came back with an answer: closed
  breaker.ProbeFailed(kStart + absl::Seconds(1));
  EXPECT_FALSE(breaker.open());
}

}  // namespace
}  // namespace platform::connector
