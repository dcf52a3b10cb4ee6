#pragma once

#include "actors/connector/connector_context.h"
#include "actors/shared/redis/client.h"

namespace platform::connector {

// Trims the stream below the oldest entry still pending or not yet read
// (MAXLEN would delete entries not yet charged: MINID instead), and
// measures the group's lag. The reclaimer does it every round, and the
// acker once more as the connector stops, so that what it settled last does
// not stay in the stream while no connector runs. False when Redis could
// not be reached.
bool TrimSettled(redis::Client& redis, ConnectorContext& context);

}  // namespace platform::connector
