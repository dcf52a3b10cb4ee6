#pragma once

#include <functional>

namespace platform {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and in every thread
// it starts later, so that only WaitForTermination receives them. Call it
// first thing in main(), before any library starts a thread.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives and returns its number. Each SIGHUP
// that arrives meanwhile runs `on_hangup` (for example, reload a file).
int WaitForTermination(const std::function<void()>& on_hangup = {});

}  // namespace platform
