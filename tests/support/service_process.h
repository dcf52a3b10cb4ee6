#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace platform::testing {

// One of the platform's real binaries, started for a test with its own
// environment. Its stdout (JSON log lines) and stderr are collected so that
// a test can wait for "listening" and read the port it bound (services are
// started on port 0: the kernel picks a free one at run time).
class ServiceProcess {
 public:
  ServiceProcess(std::string binary, const std::map<std::string, std::string>& env,
                 std::vector<std::string> args = {});
  // Ends the program as an operator would: SIGTERM (and SIGCONT, should a
  // test have left it stopped), then SIGKILL after a grace period, so that
  // every program's own exit path, LeakSanitizer's check included, runs in
  // every test. Fails the test when the program had ended by itself without
  // the test expecting it, did not end with 0 on SIGTERM, needed SIGKILL,
  // or printed a sanitizer's report.
  ~ServiceProcess();

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Waits for the "listening" log line and returns its port; fails the
  // test (and returns 0) if the process exits or is silent for `timeout`.
  uint16_t WaitForPort(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The same for the metrics port ("serving metrics"; METRICS_PORT is 0
  // unless the test's environment sets it).
  uint16_t WaitForMetricsPort(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Waits until a line of output contains `text`.
  bool WaitForOutput(const std::string& text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Sends a signal; SIGKILL, SIGTERM and SIGINT tell this object that the
  // program's end is the test's doing.
  void Signal(int signal_number);
  // The test expects the program to end by itself (bad configuration, a
  // crash it provokes): its exit is then not a failure.
  void ExpectExit() { exit_expected_ = true; }
  // Sends SIGTERM and returns the exit code (or 128 + signal).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for the process to end, and for the last of its output to be
  // read; the exit code (128 + signal when killed), or nullopt. Waiting for
  // an exit expects it.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);

  // Everything written to stdout and stderr so far.
  std::string output() const;
  pid_t pid() const { return pid_; }

 private:
  void ReadOutput(int fd);
  uint16_t PortLoggedAs(const std::string& message, std::chrono::milliseconds timeout);
  // WaitForExit without expecting the exit (the destructor's own check).
  std::optional<int> WaitForExitQuietly(std::chrono::milliseconds timeout);
  static std::string DescribeExit(int code);

  std::string binary_;
  pid_t pid_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool output_closed_ = false;
  std::optional<int> exit_code_;
  bool exit_expected_ = false;
};

// A wall-clock limit for a test's check, scaled for slow builds: times 5
// when the tests are built with a sanitizer, and times
// PLATFORM_TEST_TIME_SCALE when set (the TSan run, whose connector is slow).
// What a user would call fast is a benchmark's business, not a test's.
absl::Duration TimeLimit(absl::Duration limit);

// The path of a binary built next to the tests (set by CMake).
std::string BinaryPath(const std::string& name);
// The repository's source directory (set by CMake).
std::string SourcePath(const std::string& relative);

}  // namespace platform::testing
