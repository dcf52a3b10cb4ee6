#include "actors/connector/stream_entries.h"

#include "actors/shared/ledger/schema.h"
#include "actors/shared/runtime/request_id.h"
#include "actors/shared/runtime/trace_context.h"
#include "platform/core/v1/transaction_event.pb.h"

namespace platform::connector {

StreamEntry EntryOf(const redis::Reply& element) {
  StreamEntry entry;
  if (element.elements.size() != 2) return entry;
  entry.entry_id = element.elements[0].text;
  const redis::Reply& fields = element.elements[1];
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    if (fields.elements[i].text == ledger::entry_field::kId) {
      entry.listed_id = fields.elements[i + 1].text;
      continue;
    }
    if (fields.elements[i].text != ledger::entry_field::kEvent) continue;
    core::v1::TransactionQueued event;
    if (!event.ParseFromString(fields.elements[i + 1].text)) break;
    entry.transaction_id = event.id();
    entry.user_id = event.user_id();
    entry.amount = event.amount();
    entry.currency = event.currency();
    // Core writes only usable ids, but an entry written by anyone else must
    // not reach gRPC metadata (a bad value aborts the process) or the logs.
    if (IsUsableRequestId(event.request_id())) entry.request_id = event.request_id();
    if (std::optional<TraceContext> trace = ParseTraceparent(event.traceparent())) {
      entry.traceparent = trace->Header();
    }
  }
  return entry;
}

std::vector<StreamEntry> EntriesOfRead(const redis::Reply& reply) {
  std::vector<StreamEntry> entries;
  for (const redis::Reply& stream : reply.elements) {
    if (stream.elements.size() != 2) continue;
    for (const redis::Reply& element : stream.elements[1].elements) {
      entries.push_back(EntryOf(element));
    }
  }
  return entries;
}

std::vector<StreamEntry> EntriesOfAutoClaim(const redis::Reply& reply, std::string* cursor) {
  std::vector<StreamEntry> entries;
  if (reply.elements.size() < 2) return entries;
  *cursor = reply.elements[0].text;
  for (const redis::Reply& element : reply.elements[1].elements) {
    if (element.type == redis::Reply::Type::kArray) entries.push_back(EntryOf(element));
  }
  return entries;
}

}  // namespace platform::connector
