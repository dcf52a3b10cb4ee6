#include "tests/support/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

extern char** environ;

namespace platform::testing {

ServiceProcess::ServiceProcess(std::string binary, const std::map<std::string, std::string>& env,
                               std::vector<std::string> args)
    : binary_(binary) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return;
  }
  // Build everything the child needs before fork: nothing allocates after.
  // Each program's metrics port is a fixed default (9401-9405): tests run
  // side by side, so unless a test says otherwise the kernel picks one.
  std::map<std::string, std::string> settings = {{"METRICS_PORT", "0"}};
  for (const auto& [name, value] : env) settings[name] = value;
  std::vector<std::string> env_text;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    if (settings.count(name) == 0) env_text.push_back(text);
  }
  for (const auto& [name, value] : settings) env_text.push_back(absl::StrCat(name, "=", value));
  std::vector<char*> envp;
  for (std::string& text : env_text) envp.push_back(text.data());
  envp.push_back(nullptr);
  std::vector<char*> argv = {binary.data()};
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // Should the test crash, its services go with it: no orphans left behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    // The test runner may block signals; the service must get them.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid_ < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    close(pipe_fds[0]);
    return;
  }
  reader_ = std::thread([this, fd = pipe_fds[0]] { ReadOutput(fd); });
}

namespace {

// Long enough for a program under a sanitizer to drain, free everything and
// let LeakSanitizer scan its heap.
constexpr std::chrono::seconds kStopGrace(30);

// Every thread's stack of a hung program, as gdb prints them ("" without gdb).
std::string ThreadStacks(pid_t pid) {
  const std::string command =
      "gdb -p " + std::to_string(pid) + " -batch -nx -ex 'thread apply all bt 30' 2>/dev/null";
  std::string stacks;
  if (FILE* gdb = popen(command.c_str(), "r"); gdb != nullptr) {
    char chunk[4096];
    size_t n = 0;
    while ((n = fread(chunk, 1, sizeof chunk, gdb)) > 0) stacks.append(chunk, n);
    pclose(gdb);
  }
  return stacks;
}

}  // namespace

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) {
    // A program the test signalled or expects to end is given time to.
    std::optional<int> ended =
        WaitForExitQuietly(exit_expected_ ? kStopGrace : std::chrono::seconds(0));
    if (ended.has_value() && !exit_expected_) {
      ADD_FAILURE() << binary_ << " ended by itself with " << DescribeExit(*ended)
                    << " while the test expected it to run; output:\n"
                    << output();
    }
    if (!ended.has_value()) {
      kill(pid_, SIGTERM);
      kill(pid_, SIGCONT);
      ended = WaitForExitQuietly(kStopGrace);
      if (!ended.has_value()) {
        ADD_FAILURE() << binary_ << " did not stop within " << kStopGrace.count()
                      << " s of SIGTERM; killed. Its threads:\n"
                      << ThreadStacks(pid_) << "Output:\n"
                      << output();
        kill(pid_, SIGKILL);
        WaitForExitQuietly(std::chrono::seconds(10));
      } else if (*ended != 0) {
        ADD_FAILURE() << binary_ << " stopped on SIGTERM with " << DescribeExit(*ended)
                      << "; output:\n"
                      << output();
      }
    }
  }
  if (reader_.joinable()) reader_.join();
  // A sanitizer's report in a program under test fails the test, even when
  // the program went on (UBSan) or was killed before it could exit non-zero.
  for (const char* report : {"WARNING: ThreadSanitizer", "ERROR: AddressSanitizer",
                             "ERROR: LeakSanitizer", ": runtime error: "}) {
    if (output_.find(report) != std::string::npos) {
      ADD_FAILURE() << binary_ << " reported \"" << report << "\":\n" << output_;
      break;
    }
  }
}

std::string ServiceProcess::DescribeExit(int code) {
  if (code > 128)
    return "signal " + std::to_string(code - 128) + " (" + strsignal(code - 128) + ")";
  return "exit code " + std::to_string(code);
}

void ServiceProcess::ReadOutput(int fd) {
  char chunk[4096];
  while (true) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    output_.append(chunk, static_cast<size_t>(n));
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  output_closed_ = true;
  changed_.notify_all();
}

bool ServiceProcess::WaitForOutput(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return output_.find(text) != std::string::npos || output_closed_;
  }) && output_.find(text) != std::string::npos;
}

uint16_t ServiceProcess::WaitForPort(std::chrono::milliseconds timeout) {
  return PortLoggedAs("listening", timeout);
}

uint16_t ServiceProcess::WaitForMetricsPort(std::chrono::milliseconds timeout) {
  return PortLoggedAs("serving metrics", timeout);
}

uint16_t ServiceProcess::PortLoggedAs(const std::string& message,
                                      std::chrono::milliseconds timeout) {
  const std::string key = "\"msg\":\"" + message + "\"";
  if (!WaitForOutput(key, timeout)) {
    ADD_FAILURE() << "no \"" << message << "\" line; output:\n" << output();
    return 0;
  }
  const std::string text = output();
  const size_t port = text.find("\"port\":", text.find(key));
  return static_cast<uint16_t>(std::stoi(text.substr(port + 7)));
}

void ServiceProcess::Signal(int signal_number) {
  if (signal_number == SIGKILL || signal_number == SIGTERM || signal_number == SIGINT) {
    exit_expected_ = true;
  }
  if (pid_ > 0 && !exit_code_.has_value()) kill(pid_, signal_number);
}

std::optional<int> ServiceProcess::WaitForExit(std::chrono::milliseconds timeout) {
  exit_expected_ = true;
  return WaitForExitQuietly(timeout);
}

std::optional<int> ServiceProcess::WaitForExitQuietly(std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_.has_value()) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > give_up) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // The program is gone; its last lines may still be in the pipe (a
  // sanitizer writes its report as the process ends).
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock,
                      std::max(give_up, std::chrono::steady_clock::now() + std::chrono::seconds(5)),
                      [&] { return output_closed_; });
  return exit_code_;
}

int ServiceProcess::Stop(std::chrono::milliseconds timeout) {
  Signal(SIGTERM);
  std::optional<int> code = WaitForExit(timeout);
  if (!code.has_value()) {
    ADD_FAILURE() << "did not stop within the timeout after SIGTERM";
    kill(pid_, SIGKILL);
    code = WaitForExit(std::chrono::seconds(10));
  }
  return code.value_or(-1);
}

std::string ServiceProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

absl::Duration TimeLimit(absl::Duration limit) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  limit *= 5;
#endif
  if (const char* scale = std::getenv("PLATFORM_TEST_TIME_SCALE"); scale != nullptr) {
    limit *= std::max(1, std::atoi(scale));
  }
  return limit;
}

std::string BinaryPath(const std::string& name) {
  // PLATFORM_<NAME>_BINARY swaps one program for another build of it: the
  // tsan run drives a ThreadSanitizer connector with the release tests.
  std::string variable = "PLATFORM_" + name + "_BINARY";
  for (char& c : variable) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (const char* other = std::getenv(variable.c_str()); other != nullptr && *other != '\0') {
    return other;
  }
  return std::string(PLATFORM_BINARY_DIR) + "/" + name;
}

std::string SourcePath(const std::string& relative) {
  return std::string(PLATFORM_SOURCE_DIR) + "/" + relative;
}

}  // namespace platform::testing
