#include "actors/shared/ledger/scripts.h"

namespace platform::lua {
// Defined by the sources platform_lua_scripts makes from scripts/*.lua.
extern const char kCreateTransactionLua[];
extern const char kReadTransactionLua[];
extern const char kSettleTransactionLua[];
extern const char kDeadLetterLua[];
extern const char kWithdrawTransactionLua[];
}  // namespace platform::lua

namespace platform::ledger {

const redis::Script& CreateTransactionScript() {
  return redis::ScriptOf<lua::kCreateTransactionLua>();
}
const redis::Script& ReadTransactionScript() { return redis::ScriptOf<lua::kReadTransactionLua>(); }
const redis::Script& SettleTransactionScript() {
  return redis::ScriptOf<lua::kSettleTransactionLua>();
}
const redis::Script& DeadLetterScript() { return redis::ScriptOf<lua::kDeadLetterLua>(); }
const redis::Script& WithdrawTransactionScript() {
  return redis::ScriptOf<lua::kWithdrawTransactionLua>();
}

std::vector<const redis::Script*> AllScripts() {
  return {&CreateTransactionScript(), &ReadTransactionScript(), &SettleTransactionScript(),
          &DeadLetterScript(), &WithdrawTransactionScript()};
}

}  // namespace platform::ledger
