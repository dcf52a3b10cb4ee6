#include "actors/shared/runtime/logger.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "actors/shared/runtime/json_text.h"

namespace platform::log {
namespace {

std::mutex g_service_mutex;
std::string g_service ABSL_GUARDED_BY(g_service_mutex) = "platform";
std::atomic<int> g_minimum{static_cast<int>(Level::kInfo)};

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Lines wait in memory and are written by the logger's own thread, up to
// kFlushAfter after the first of them, in one write(2) per batch: a request
// never makes a system call to be logged. Warnings and errors are written at
// once with what waits before them (they may come just before a crash);
// exit writes what is left (std::atexit). Only whole lines are written, in
// the order they were logged.
constexpr auto kFlushAfter = std::chrono::milliseconds(20);
constexpr size_t kFlushBytes = 64 * 1024;  // a batch this big goes at once

struct Sink {
  std::mutex writing;  // held while a batch is written: batches keep their order
  std::mutex mutex;
  std::condition_variable wake;
  std::string pending ABSL_GUARDED_BY(mutex);
  int fd ABSL_GUARDED_BY(writing) = STDOUT_FILENO;
};

Sink& TheSink() {
  static Sink* const sink = new Sink;  // never destroyed: logging works up to exit
  return *sink;
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // Nowhere to log to: never take the service down for it.
    done += static_cast<size_t>(n);
  }
}

// Writes what waits, and `line` after it.
void FlushWith(absl::string_view line) {
  Sink& sink = TheSink();
  std::lock_guard writing(sink.writing);
  std::string batch;
  {
    std::lock_guard lock(sink.mutex);
    batch.swap(sink.pending);
  }
  batch.append(line.data(), line.size());
  WriteAll(sink.fd, batch);
}

void FlushAtExit() { FlushWith(""); }

[[noreturn]] void FlushForever() {
  Sink& sink = TheSink();
  while (true) {
    {
      std::unique_lock lock(sink.mutex);
      sink.wake.wait(lock, [&] { return !sink.pending.empty(); });
      sink.wake.wait_for(lock, kFlushAfter, [&] { return sink.pending.size() >= kFlushBytes; });
    }
    FlushWith("");
  }
}

void Enqueue(const std::string& line) {
  static std::once_flag started;
  std::call_once(started, [] {
    std::atexit(FlushAtExit);
    std::thread(FlushForever).detach();
  });
  Sink& sink = TheSink();
  bool wake = false;
  {
    std::lock_guard lock(sink.mutex);
    wake = sink.pending.empty() || sink.pending.size() + line.size() >= kFlushBytes;
    sink.pending += line;
  }
  if (wake) sink.wake.notify_one();
}

// "2026-11-26T04:10:12.345Z": the part up to the second is formatted once a
// second per thread, not for every line.
void AppendTime(std::string& out) {
  thread_local int64_t second = -1;
  thread_local std::string prefix;
  const absl::Time now = absl::Now();
  const int64_t millis = absl::ToUnixMillis(now);
  const int64_t this_second = millis / 1000 - (millis % 1000 < 0 ? 1 : 0);
  if (this_second != second) {
    second = this_second;
    prefix =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S.", absl::FromUnixSeconds(second), absl::UTCTimeZone());
  }
  const int64_t fraction = millis - this_second * 1000;
  out += prefix;
  out += static_cast<char>('0' + fraction / 100);
  out += static_cast<char>('0' + fraction / 10 % 10);
  out += static_cast<char>('0' + fraction % 10);
  out += 'Z';
}

}  // namespace

Field::Field(absl::string_view key, absl::string_view value)
    : key_(key), json_(json::Quoted(value)) {}
Field::Field(absl::string_view key, const char* value) : Field(key, absl::string_view(value)) {}
Field::Field(absl::string_view key, const std::string& value)
    : Field(key, absl::string_view(value)) {}
Field::Field(absl::string_view key, int64_t value) : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, int value) : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, uint64_t value) : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, uint16_t value) : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, bool value) : key_(key), json_(value ? "true" : "false") {}

void SetService(absl::string_view service) {
  std::lock_guard lock(g_service_mutex);
  g_service = std::string(service);
}

void SetMinimumLevel(Level level) {
  g_minimum.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool ParseLevel(absl::string_view text, Level* level) {
  for (Level candidate : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

void Write(Level level, absl::string_view message, std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_minimum.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(160);
  line += "{\"time\":\"";
  AppendTime(line);
  absl::StrAppend(&line, "\",\"level\":\"", LevelName(level), "\",\"service\":");
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
  if (level >= Level::kWarn) {
    FlushWith(line);
  } else {
    Enqueue(line);
  }
}

void Flush() { FlushWith(""); }

namespace internal {
void WriteTo(int fd) {
  Flush();
  Sink& sink = TheSink();
  std::lock_guard writing(sink.writing);
  sink.fd = fd;
}
}  // namespace internal

}  // namespace platform::log
