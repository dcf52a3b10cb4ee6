#include "actors/shared/runtime/env_config.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/logger.h"

namespace platform::config {

Environment::Environment()
    : Environment([](absl::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      }) {}

Environment::Environment(Lookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> Environment::Get(absl::string_view name, absl::string_view fallback,
                                            absl::string_view help, bool required) {
  declared_.push_back({std::string(name), std::string(fallback), std::string(help), required});
  std::optional<std::string> value = lookup_(name);
  if (value.has_value() && value->empty()) value.reset();
  return value;
}

std::string Environment::String(absl::string_view name, absl::string_view fallback,
                                absl::string_view help) {
  return Get(name, fallback, help, false).value_or(std::string(fallback));
}

std::string Environment::String(absl::string_view name, absl::string_view fallback,
                                absl::string_view help, Check check) {
  std::string value = String(name, fallback, help);
  if (const absl::Status checked = check(value); !checked.ok()) {
    Fail(absl::StrCat(name, "=\"", absl::CHexEscape(value), "\" ", checked.message()));
  }
  return value;
}

std::string Environment::Required(absl::string_view name, absl::string_view help) {
  std::optional<std::string> value = Get(name, "", help, true);
  if (!value.has_value()) {
    Fail(absl::StrCat(name, " is required and not set (", help, ")"));
    return "";
  }
  return *value;
}

std::string Environment::RequiredSecret(absl::string_view name, absl::string_view help) {
  const std::string file_setting = absl::StrCat(name, "_FILE");
  std::optional<std::string> value = Get(name, "", help, true);
  std::optional<std::string> file =
      Get(file_setting, "", absl::StrCat("a file holding ", name, " (a mounted secret)"), false);
  if (value.has_value() && file.has_value()) {
    Fail(absl::StrCat("set ", name, " or ", file_setting, ", not both"));
    return "";
  }
  if (file.has_value()) {
    absl::StatusOr<std::string> secret = ReadSecretFile(file_setting, *file);
    if (!secret.ok()) {
      Fail(std::string(secret.status().message()));
      return "";
    }
    return *std::move(secret);
  }
  if (!value.has_value()) {
    Fail(absl::StrCat(name, " is required and not set (", help, ")"));
    return "";
  }
  return *value;
}

absl::StatusOr<std::string> ReadSecretFile(absl::string_view name, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return absl::InvalidArgumentError(absl::StrCat(name, "=", path, " cannot be read"));
  }
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return absl::InvalidArgumentError(absl::StrCat(name, "=", path, " is empty"));
  return secret;
}

int64_t Environment::Integer(absl::string_view name, int64_t fallback, int64_t min, int64_t max,
                             absl::string_view help) {
  std::optional<std::string> text = Get(name, absl::StrCat(fallback), help, false);
  if (!text.has_value()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value) || value < min || value > max) {
    Fail(absl::StrCat(name, "=", *text, " is not a whole number from ", min, " to ", max));
    return fallback;
  }
  return value;
}

uint16_t Environment::Port(absl::string_view name, uint16_t fallback, absl::string_view help) {
  return static_cast<uint16_t>(Integer(name, fallback, 0, 65535, help));
}

int Environment::Threads(absl::string_view name, absl::string_view help) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(
      Integer(name, cores, 1, 256, absl::StrCat(help, " (default: one per core)")));
}

absl::Duration Environment::Milliseconds(absl::string_view name, int64_t fallback_ms,
                                         int64_t min_ms, int64_t max_ms, absl::string_view help) {
  return absl::Milliseconds(Integer(name, fallback_ms, min_ms, max_ms, help));
}

void Environment::Fail(std::string message) {
  if (first_error_.empty()) first_error_ = std::move(message);
}

absl::Status Environment::status() const {
  if (first_error_.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(first_error_);
}

std::string Environment::Describe() const {
  std::string out = "Environment variables:\n";
  for (const Declared& setting : declared_) {
    absl::StrAppend(&out, "  ", setting.name);
    if (setting.required) {
      absl::StrAppend(&out, " (required)");
    } else if (!setting.fallback.empty()) {
      absl::StrAppend(&out, " (default ", setting.fallback, ")");
    }
    absl::StrAppend(&out, "\n      ", setting.help, "\n");
  }
  return out;
}

namespace internal {

void LoadLogLevel(Environment& env) {
  const std::string text = env.String(
      "LOG_LEVEL", "info", "the least severe log lines written: debug, info, warn or error");
  log::Level level = log::Level::kInfo;
  if (!log::ParseLevel(text, &level)) {
    env.Fail(absl::StrCat("LOG_LEVEL=\"", absl::CHexEscape(text),
                          "\" is not one of debug, info, warn, error"));
    return;
  }
  log::SetMinimumLevel(level);
}

bool WantsHelp(absl::string_view program, int argc, char** argv) {
  if (argc <= 1) return false;
  const absl::string_view arg = argv[1];
  if (argc == 2 && (arg == "--help" || arg == "-h")) return true;
  std::fprintf(stderr,
               "%.*s: unexpected argument '%s': settings come from the "
               "environment; see --help\n",
               static_cast<int>(program.size()), program.data(), argv[1]);
  std::exit(2);
}

void PrintHelpAndExit(absl::string_view program, absl::string_view summary,
                      const Environment& described) {
  std::printf("Usage: %.*s [--help]\n\n%.*s\n\n%s", static_cast<int>(program.size()),
              program.data(), static_cast<int>(summary.size()), summary.data(),
              described.Describe().c_str());
  std::exit(0);
}

}  // namespace internal

void ExitWithError(absl::string_view program, const absl::Status& status) {
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(program.size()), program.data(),
               static_cast<int>(status.message().size()), status.message().data());
  std::exit(2);
}

}  // namespace platform::config
