#include "actors/shared/runtime/termination.h"

#include <pthread.h>
#include <signal.h>

#include "absl/synchronization/mutex.h"

namespace platform {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (as
  // debug builds do): a measurable cost per gRPC call for no use here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A client that goes away mid-write must not kill the process.
  signal(SIGPIPE, SIG_IGN);
}

int WaitForTermination(const std::function<void()>& on_hangup) {
  const sigset_t set = TerminationSignals();
  while (true) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) {
      if (on_hangup) on_hangup();
      continue;
    }
    return signal_number;
  }
}

}  // namespace platform
