#include "actors/shared/ledger/scripts.h"

namespace platform::lua {
// Defined by the sources platform_lua_scripts makes from scripts/*.lua.
extern const char kCreateTransactionLua[];
extern const char kReadTransactionLua[];
extern const char kSettleTransactionLua[];
extern const char kDeadLetterLua[];
}  // namespace platform::lua

namespace platform::ledger {

// Made on first use: a Script registers itself (for the NOSCRIPT retry)
// before any call can be sent with it.
const redis::Script& CreateTransactionScript() {
  static const redis::Script script(lua::kCreateTransactionLua);
  return script;
}

const redis::Script& ReadTransactionScript() {
  static const redis::Script script(lua::kReadTransactionLua);
  return script;
}

const redis::Script& SettleTransactionScript() {
  static const redis::Script script(lua::kSettleTransactionLua);
  return script;
}

const redis::Script& DeadLetterScript() {
  static const redis::Script script(lua::kDeadLetterLua);
  return script;
}

std::vector<const redis::Script*> AllScripts() {
  return {&CreateTransactionScript(), &ReadTransactionScript(), &SettleTransactionScript(),
          &DeadLetterScript()};
}

}  // namespace platform::ledger
