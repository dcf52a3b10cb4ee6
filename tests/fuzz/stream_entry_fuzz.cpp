// Replies as Redis sends them (RESP bytes) to the connector's stream-entry
// decoder, as XREADGROUP, XAUTOCLAIM and XRANGE answers: an entry written
// by anyone must decode or be marked unreadable (dead-lettered), never
// crash the connector, and what it forwards as gRPC metadata must be
// something gRPC accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"
#include "actors/connector/stream_entries.h"
#include "actors/shared/redis/connection.h"
#include "actors/shared/runtime/grpc_context.h"

namespace {

using platform::connector::StreamEntry;

// Redis is trusted to announce no more elements than it sends; hiredis
// allocates an aggregate's announced size up front, so a count in the
// billions is a test of the allocator, not of the decoder.
bool AnnouncesHugeAggregate(absl::string_view bytes) {
  for (size_t at = 0; at < bytes.size(); ++at) {
    // Anywhere, not only at a line's start: where hiredis sees a line
    // start depends on the lengths before it.
    if (bytes[at] != '*') continue;
    const size_t end = bytes.find('\r', at);
    int64_t count = 0;
    if (end != absl::string_view::npos &&
        absl::SimpleAtoi(bytes.substr(at + 1, end - at - 1), &count) && count > 4096) {
      return true;
    }
  }
  return false;
}

void Check(const StreamEntry& entry) {
  if (!entry.request_id.empty() && !platform::IsValidMetadataValue(entry.request_id)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (AnnouncesHugeAggregate(bytes)) return 0;
  const absl::StatusOr<platform::redis::Reply> reply = platform::redis::ParseReply(bytes);
  if (!reply.ok()) return 0;
  for (const StreamEntry& entry : platform::connector::EntriesOfRead(*reply)) Check(entry);
  std::string cursor;
  for (const StreamEntry& entry : platform::connector::EntriesOfAutoClaim(*reply, &cursor)) {
    Check(entry);
  }
  for (const platform::redis::Reply& element : reply->elements) {
    Check(platform::connector::EntryOf(element));
  }
  return 0;
}
