#pragma once

#include <string>
#include <vector>

#include "actors/connector/messages.h"
#include "actors/shared/redis/connection.h"

namespace platform::connector {

// The entries of an XREADGROUP answer ([[stream, [[id, fields]...]]], or nil).
std::vector<StreamEntry> EntriesOfRead(const redis::Reply& reply);

// The entries of an XAUTOCLAIM answer (Redis 7: [cursor, [[id, fields]...],
// [deleted ids]]), and the cursor to continue from.
std::vector<StreamEntry> EntriesOfAutoClaim(const redis::Reply& reply, std::string* cursor);

// One [id, [field, value, ...]] element; an entry whose event cannot be read
// keeps its id with an empty transaction id, so it can still be dead-lettered.
StreamEntry EntryOf(const redis::Reply& element);

}  // namespace platform::connector
