#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace platform::config {

// Reads a program's settings from the environment (twelve-factor), records
// each setting it was asked for so that `--help` can list them, and keeps the
// first problem it met so that start-up fails with one readable line.
//
// A program declares its settings in one function that takes an Environment;
// the same function serves `--help` (run against an empty environment) and
// start-up.
class Environment {
 public:
  using Lookup = std::function<std::optional<std::string>(absl::string_view)>;

  // Reads the process environment.
  Environment();
  explicit Environment(Lookup lookup);

  std::string String(absl::string_view name, absl::string_view fallback, absl::string_view help);
  // A string that `check` must accept (its message then follows the
  // setting's name and value in the start-up error).
  using Check = absl::Status (*)(absl::string_view value);
  std::string String(absl::string_view name, absl::string_view fallback, absl::string_view help,
                     Check check);
  // A setting with no default: missing or empty is an error.
  std::string Required(absl::string_view name, absl::string_view help);
  // A required secret, from NAME or from the file NAME_FILE names (a
  // Docker or Kubernetes secret mounted as a file, so that the secret is in
  // no environment an orchestrator shows); one of the two, not both.
  std::string RequiredSecret(absl::string_view name, absl::string_view help);
  int64_t Integer(absl::string_view name, int64_t fallback, int64_t min, int64_t max,
                  absl::string_view help);
  uint16_t Port(absl::string_view name, uint16_t fallback, absl::string_view help);
  // The size of a thread pool: one thread per core unless told otherwise
  // (on a small machine every thread beyond the cores is a context switch).
  int Threads(absl::string_view name, absl::string_view help);
  absl::Duration Milliseconds(absl::string_view name, int64_t fallback_ms, int64_t min_ms,
                              int64_t max_ms, absl::string_view help);

  // Records a problem found while checking settings against each other.
  void Fail(std::string message);

  // OK, or FAILED_PRECONDITION naming the first bad setting.
  absl::Status status() const;

  // The list of settings with their defaults, for --help.
  std::string Describe() const;

 private:
  struct Declared {
    std::string name;
    std::string fallback;
    std::string help;
    bool required;
  };

  std::optional<std::string> Get(absl::string_view name, absl::string_view fallback,
                                 absl::string_view help, bool required);

  Lookup lookup_;
  std::vector<Declared> declared_;
  std::string first_error_;
};

// The contents of the secret file `path` that setting `name` names, without
// a trailing newline; INVALID_ARGUMENT naming the setting when it cannot be
// read or is empty.
absl::StatusOr<std::string> ReadSecretFile(absl::string_view name, const std::string& path);

// Runs a program's settings loader the way every binary's main() does:
// `--help` prints `summary` and the settings and exits 0; an unknown argument
// or a bad setting prints one line to stderr and exits 2. Returns the config.
// The settings every program shares (LOG_LEVEL) are read and applied here.
template <typename Config>
Config LoadOrExit(absl::string_view program, absl::string_view summary, int argc, char** argv,
                  const std::function<Config(Environment&)>& load);

namespace internal {
// LOG_LEVEL: debug, info, warn or error; lines below it are dropped.
void LoadLogLevel(Environment& env);
// 1 when the arguments ask for help, 0 when there are none, and exits 2 with
// a message on anything else.
bool WantsHelp(absl::string_view program, int argc, char** argv);
[[noreturn]] void PrintHelpAndExit(absl::string_view program, absl::string_view summary,
                                   const Environment& described);
}  // namespace internal

// Prints "<program>: <message>" on one line to stderr and exits 2: how every
// program reports what stops it from starting (bad settings, unreadable files,
// a port it cannot bind).
[[noreturn]] void ExitWithError(absl::string_view program, const absl::Status& status);

template <typename Config>
Config LoadOrExit(absl::string_view program, absl::string_view summary, int argc, char** argv,
                  const std::function<Config(Environment&)>& load) {
  if (internal::WantsHelp(program, argc, argv)) {
    Environment described([](absl::string_view) { return std::nullopt; });
    internal::LoadLogLevel(described);
    load(described);
    internal::PrintHelpAndExit(program, summary, described);
  }
  Environment env;
  internal::LoadLogLevel(env);
  Config config = load(env);
  if (!env.status().ok()) ExitWithError(program, env.status());
  return config;
}

}  // namespace platform::config
