#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include "absl/strings/string_view.h"

namespace platform::log {

// One log line is one JSON object on stdout:
// {"time":"...","level":"info","service":"auth","msg":"...",<fields>}
// Debug and info lines are written in batches by a thread of the logger's
// own, within 20 ms (no system call on the request path); warnings and
// errors at once, with what waits before them; what is left at exit.

enum class Level { kDebug, kInfo, kWarn, kError };

// A key and its value, written as a JSON string or number.
class Field {
 public:
  Field(absl::string_view key, absl::string_view value);
  Field(absl::string_view key, const char* value);
  Field(absl::string_view key, const std::string& value);
  Field(absl::string_view key, int64_t value);
  Field(absl::string_view key, int value);
  Field(absl::string_view key, uint64_t value);
  Field(absl::string_view key, uint16_t value);
  Field(absl::string_view key, bool value);

  absl::string_view key() const { return key_; }
  // The value as JSON text, already quoted when it is a string.
  const std::string& json() const { return json_; }

 private:
  absl::string_view key_;
  std::string json_;
};

// Names the service in every line; call once at start.
void SetService(absl::string_view service);
// Lines below this level are dropped (LOG_LEVEL setting).
void SetMinimumLevel(Level level);
bool ParseLevel(absl::string_view text, Level* level);

void Write(Level level, absl::string_view message, std::initializer_list<Field> fields = {});

// Writes every line logged so far now.
void Flush();

namespace internal {
// Where lines go from now on (stdout unless a test says otherwise).
void WriteTo(int fd);
}  // namespace internal

inline void Debug(absl::string_view message, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, message, f);
}
inline void Info(absl::string_view message, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, message, f);
}
inline void Warn(absl::string_view message, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, message, f);
}
inline void Error(absl::string_view message, std::initializer_list<Field> f = {}) {
  Write(Level::kError, message, f);
}

}  // namespace platform::log
