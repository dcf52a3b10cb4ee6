#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "actors/shared/redis/connection.h"

namespace platform::redis {

// A Lua script that is called by its SHA-1 (EVALSHA), so that Redis neither
// receives nor hashes its text on every call. Every Script a program
// constructs is remembered by its SHA-1: a Redis that does not know it (the
// first call, or any call after a restart) answers NOSCRIPT, and Client and
// Pipeline then send that call once more with the text (EVAL), which also
// loads it for the calls after.
class Script {
 public:
  explicit Script(std::string text);

  // EVALSHA <sha1> <number of keys> <keys...> <args...>
  std::vector<std::string> Call(std::vector<std::string> keys,
                                const std::vector<std::string>& args) const;

  const std::string& text() const { return text_; }
  const std::string& sha1() const { return sha1_; }

 private:
  std::string text_;
  std::string sha1_;
};

// The Script of a text compiled into the program (a .lua file, see
// cmake/lua_scripts.cmake), made on first use: it registers itself for the
// NOSCRIPT retry before any call can be sent with it.
template <const char* kText>
const Script& ScriptOf() {
  static const Script script(kText);
  return script;
}

// When `reply` is Redis saying it does not know the script that `argv`
// called by its SHA-1, and that script is one this program constructed:
// the same call with the script's text (EVAL), to send again. Otherwise
// nothing (and nothing is copied: this runs on every reply).
std::optional<std::vector<std::string>> WithTextIfUnknown(const Reply& reply,
                                                          const std::vector<std::string>& argv);

}  // namespace platform::redis
