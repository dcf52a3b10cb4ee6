#pragma once

#include <vector>

#include "actors/shared/redis/script.h"

// The scripts that write and read the data of schema.h, each in its own
// .lua file beside this one (compiled in at build time), each called by
// its SHA-1. Their KEYS and ARGV are written at the top of each file.
namespace platform::ledger {

const redis::Script& CreateTransactionScript();  // core, POST /transaction
const redis::Script& ReadTransactionScript();    // core, GET /transaction/<id>
const redis::Script& SettleTransactionScript();  // the connector, an outcome
const redis::Script& DeadLetterScript();         // the connector, a give-up
// core, a create no replica confirmed
const redis::Script& WithdrawTransactionScript();

// Every script above, for the test that loads each into a real Redis.
std::vector<const redis::Script*> AllScripts();

}  // namespace platform::ledger
