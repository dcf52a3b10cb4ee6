#include "actors/shared/runtime/logger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "re2/re2.h"

namespace platform::log {
namespace {

// The logger writing to a file of the test's own instead of stdout.
class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/logger_test_XXXXXX";
    fd_ = mkstemp(name);
    ASSERT_GE(fd_, 0);
    path_ = name;
    internal::WriteTo(fd_);
  }
  void TearDown() override {
    internal::WriteTo(STDOUT_FILENO);
    close(fd_);
    unlink(path_.c_str());
  }
  std::vector<std::string> Lines() const {
    std::ifstream file(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) lines.push_back(line);
    return lines;
  }

  int fd_ = -1;
  std::string path_;
};

TEST_F(LoggerTest, LinesFromManyThreadsArriveWholeAndInEachThreadsOrder) {
  constexpr int kThreads = 4, kLines = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) Info("line", {{"thread", t}, {"n", i}});
    });
  }
  for (auto& thread : threads) thread.join();
  Flush();
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  std::map<int, int> next;
  for (const std::string& line : lines) {
    int thread = -1, n = -1;
    ASSERT_TRUE(RE2::FullMatch(
        line,
        R"(\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"info","service":"[a-z_]+","msg":"line","thread":(\d+),"n":(\d+)\})",
        &thread, &n))
        << line;
    EXPECT_EQ(n, next[thread]++) << line;
  }
}

TEST_F(LoggerTest, InfoLinesAreWrittenWithinMillisecondsWithoutAFlush) {
  Info("soon");
  for (int i = 0; i < 200 && Lines().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(Lines().size(), 1u);
  EXPECT_NE(Lines()[0].find(R"("msg":"soon")"), std::string::npos);
}

TEST_F(LoggerTest, AWarningIsWrittenAtOnceAfterWhatCameBefore) {
  Info("before");
  Warn("trouble", {{"code", 7}});
  const std::vector<std::string> lines = Lines();  // no Flush, no wait
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(R"("msg":"before")"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("level":"warn","service":)"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("msg":"trouble","code":7})"), std::string::npos);
}

TEST_F(LoggerTest, LinesBelowTheMinimumLevelAreDropped) {
  SetMinimumLevel(Level::kWarn);
  Info("dropped");
  Error("kept");
  SetMinimumLevel(Level::kInfo);
  Flush();
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("msg":"kept")"), std::string::npos);
}

}  // namespace
}  // namespace platform::log
