#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace grpc {
class ServerContextBase;
}

namespace platform {

// W3C Trace Context: the `traceparent` HTTP header, which the platform also
// carries as gRPC metadata (the OpenTelemetry convention) and in the stream
// entry, so that one trace id ties together every log line about a request
// from the gateway to the PSP.
inline constexpr absl::string_view kTraceparentKey = "traceparent";

// One hop of a trace: the trace it belongs to, this hop's span, the flags.
struct TraceContext {
  std::string trace_id;  // 32 lower-case hex digits, not all zero
  std::string span_id;   // 16 lower-case hex digits, not all zero
  std::string flags;     // 2 hex digits; 01 = sampled

  // "00-<trace_id>-<span_id>-<flags>".
  std::string Header() const;
  // The same trace, a new span of this one: what a hop passes on.
  TraceContext Child() const;
};

// A valid traceparent header's context (version 00, or a later version read
// as 00 would be, as the W3C recommendation asks), else nullopt.
std::optional<TraceContext> ParseTraceparent(absl::string_view header);

// A new trace (random ids), sampled.
TraceContext NewTrace();

// The header's trace when it is valid, else a new one: what the gateway and
// every server do with what they are given.
TraceContext ContinueOrStartTrace(absl::string_view header);

// The trace the client sent as gRPC metadata, else a new one.
TraceContext TraceOf(const grpc::ServerContextBase& context);

}  // namespace platform
