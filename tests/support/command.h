#pragma once

#include <string>

namespace platform::testing {

// What a shell command did: its exit code (-1 when it did not exit
// normally) and everything it wrote, stdout and stderr together.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs `command` with /bin/sh and waits for it: how tests drive the
// command-line clients of other projects (buf curl, Redocly).
CommandResult RunCommand(const std::string& command);

}  // namespace platform::testing
