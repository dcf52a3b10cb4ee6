#include "actors/shared/runtime/logger.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "actors/shared/runtime/json_text.h"

namespace platform::log {
namespace {

std::mutex g_service_mutex;
std::string g_service = "platform";  // guarded by g_service_mutex
std::atomic<int> g_minimum{static_cast<int>(Level::kInfo)};

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

// One write(2) per line: lines from several threads never interleave.
void WriteLine(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // Nowhere to log to: never take the service down for it.
    done += static_cast<size_t>(n);
  }
}

}  // namespace

Field::Field(absl::string_view key, absl::string_view value)
    : key_(key), json_(json::Quoted(value)) {}
Field::Field(absl::string_view key, const char* value)
    : Field(key, absl::string_view(value)) {}
Field::Field(absl::string_view key, const std::string& value)
    : Field(key, absl::string_view(value)) {}
Field::Field(absl::string_view key, int64_t value)
    : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, int value)
    : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, uint64_t value)
    : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, uint16_t value)
    : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, bool value)
    : key_(key), json_(value ? "true" : "false") {}

void SetService(absl::string_view service) {
  std::lock_guard lock(g_service_mutex);
  g_service = std::string(service);
}

void SetMinimumLevel(Level level) {
  g_minimum.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool ParseLevel(absl::string_view text, Level* level) {
  for (Level candidate :
       {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_minimum.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(160);
  absl::StrAppend(&line, "{\"time\":\"",
                  absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                   absl::UTCTimeZone()),
                  "\",\"level\":\"", LevelName(level), "\",\"service\":");
  {
    std::lock_guard lock(g_service_mutex);
    json::AppendQuoted(line, g_service);
  }
  line += ",\"msg\":";
  json::AppendQuoted(line, message);
  for (const Field& field : fields) {
    line += ',';
    json::AppendQuoted(line, field.key());
    line += ':';
    line += field.json();
  }
  line += "}\n";
  WriteLine(line);
}

}  // namespace platform::log
