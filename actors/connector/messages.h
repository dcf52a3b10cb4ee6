#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "caf/atom.hpp"
#include "caf/meta/type_name.hpp"

// What the connector's actors say to each other.
namespace platform::connector {

// One transaction to charge: a stream entry as the reader or reclaimer got it.
struct StreamEntry {
  std::string entry_id;        // the stream entry's id, for XACK
  std::string transaction_id;  // "" when its event is unreadable: not to be charged
  // The entry's "id" field, even beside an unreadable event: the
  // transaction a dead letter fails.
  std::string listed_id;
  int64_t user_id = 0;
  int64_t amount = 0;
  std::string currency;
  std::string request_id;
  std::string traceparent;  // core's span (W3C), or "" when the entry had none valid

  // The trace every log line about the charge carries ("" when none).
  absl::string_view trace_id() const {
    return traceparent.size() < 35 ? absl::string_view()
                                   : absl::string_view(traceparent).substr(3, 32);
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, StreamEntry& x) {
  return f(caf::meta::type_name("stream_entry"), x.entry_id, x.transaction_id, x.listed_id,
           x.user_id, x.amount, x.currency, x.request_id, x.traceparent);
}

// How a charge ended, for the acker to record and acknowledge.
struct Settlement {
  StreamEntry entry;
  std::string status;  // approved, declined or failed
  std::string psp_reference;
  std::string reason;
  int32_t attempts = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Settlement& x) {
  return f(caf::meta::type_name("settlement"), x.entry, x.status, x.psp_reference, x.reason,
           x.attempts);
}

// What the PSP said to one charge attempt, as the worker reads it.
struct ChargeAnswer {
  int32_t code = 0;   // the call's grpc::StatusCode; OK when the PSP answered
  std::string error;  // the call's error message, when not OK
  bool approved = false;
  std::string psp_reference;   // when approved
  std::string decline_reason;  // when not ("cancelled": the key was cancelled first)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ChargeAnswer& x) {
  return f(caf::meta::type_name("charge_answer"), x.code, x.error, x.approved, x.psp_reference,
           x.decline_reason);
}

// reader -> worker pool: charge this entry.
using charge_atom = caf::atom_constant<caf::atom("charge")>;
// PSP callback -> worker: the answer of one attempt.
using answer_atom = caf::atom_constant<caf::atom("answer")>;
// worker -> itself, after a backoff: try again.
using retry_atom = caf::atom_constant<caf::atom("retry")>;
// worker -> acker: record and acknowledge.
using settle_atom = caf::atom_constant<caf::atom("settle")>;
// worker -> acker: gave up on this delivery (entry id); leave the entry pending.
using release_atom = caf::atom_constant<caf::atom("release")>;
// acker -> reader: this many entries left the pipeline.
using credit_atom = caf::atom_constant<caf::atom("credit")>;
// reclaimer -> reader: entries taken over from a dead consumer.
using reclaimed_atom = caf::atom_constant<caf::atom("reclaimed")>;
// main -> reader: stop reading.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
// main -> acker: the reader to give credit to.
using reader_atom = caf::atom_constant<caf::atom("reader")>;
// main -> acker, reclaimer: finish what you hold and end.
using stop_atom = caf::atom_constant<caf::atom("stop")>;

}  // namespace platform::connector
