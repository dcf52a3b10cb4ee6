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

namespace platform::testing {

// One of the platform's real binaries, started for a test with its own
// environment. Its stdout (JSON log lines) and stderr are collected so that
// a test can wait for "listening" and read the port it bound (services are
// started on port 0: the kernel picks a free one at run time).
class ServiceProcess {
 public:
  ServiceProcess(std::string binary, std::map<std::string, std::string> env,
                 std::vector<std::string> args = {});
  // SIGKILL if still running; fails the test if the program's output holds
  // a sanitizer's report.
  ~ServiceProcess();

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Waits for the "listening" log line and returns its port; fails the
  // test (and returns 0) if the process exits or is silent for `timeout`.
  uint16_t WaitForPort(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Waits until a line of output contains `text`.
  bool WaitForOutput(const std::string& text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

  void Signal(int signal_number);
  // Sends SIGTERM and returns the exit code (or 128 + signal).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for the process to end by itself; the exit code, or nullopt.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);

  // Everything written to stdout and stderr so far.
  std::string output() const;
  pid_t pid() const { return pid_; }

 private:
  void ReadOutput(int fd);

  std::string binary_;
  pid_t pid_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool output_closed_ = false;
  std::optional<int> exit_code_;
};

// The path of a binary built next to the tests (set by CMake).
std::string BinaryPath(const std::string& name);
// The repository's source directory (set by CMake).
std::string SourcePath(const std::string& relative);

}  // namespace platform::testing
