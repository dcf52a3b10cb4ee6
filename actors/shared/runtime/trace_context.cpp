#include "actors/shared/runtime/trace_context.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/grpc_context.h"

namespace platform {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsLowerHex(absl::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(absl::string_view text) { return text.find_first_not_of('0') == std::string::npos; }

// `digits` random lower-case hex digits, never all zero. Trace and span
// ids must be unique, not secret (W3C Trace Context): a generator of this
// thread's own, seeded from the system once, makes them without the lock
// and the DRBG a cryptographic source costs on every request.
std::string RandomHex(size_t digits) {
  thread_local absl::BitGen generator;
  std::string text(digits, '0');
  while (AllZero(text)) {
    for (char& digit : text) digit = kHex[absl::Uniform(generator, 0u, 16u)];
  }
  return text;
}

}  // namespace

std::string TraceContext::Header() const {
  return absl::StrCat("00-", trace_id, "-", span_id, "-", flags);
}

TraceContext TraceContext::Child() const { return {trace_id, RandomHex(16), flags}; }

std::optional<TraceContext> ParseTraceparent(absl::string_view header) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2+1+32+1+16+1+2.
  constexpr size_t kLength = 55;
  if (header.size() < kLength) return std::nullopt;
  const absl::string_view version = header.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  // Version 00 is exactly this long; a later one may add fields after a dash.
  if (version == "00" ? header.size() != kLength
                      : header.size() > kLength && header[kLength] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  TraceContext context{std::string(header.substr(3, 32)), std::string(header.substr(36, 16)),
                       std::string(header.substr(53, 2))};
  if (!IsLowerHex(context.trace_id) || !IsLowerHex(context.span_id) || !IsLowerHex(context.flags) ||
      AllZero(context.trace_id) || AllZero(context.span_id)) {
    return std::nullopt;
  }
  return context;
}

TraceContext NewTrace() { return {RandomHex(32), RandomHex(16), "01"}; }

TraceContext ContinueOrStartTrace(absl::string_view header) {
  std::optional<TraceContext> given = ParseTraceparent(header);
  return given ? *std::move(given) : NewTrace();
}

TraceContext TraceOf(const grpc::ServerContextBase& context) {
  return ContinueOrStartTrace(ClientMetadata(context, kTraceparentKey));
}

}  // namespace platform
