#include <algorithm>

#include "actors/connector/actors.h"
#include "actors/connector/mailbox_order.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/runtime/logger.h"
#include "caf/all.hpp"

namespace platform::connector {
namespace {

using Self = charge_worker_actor::stateful_pointer<ChargeWorkerState>;

// The worker's own handle, to send itself messages with.
charge_worker_actor Me(Self self) { return caf::actor_cast<charge_worker_actor>(self); }

// UNAVAILABLE and friends may pass; INVALID_ARGUMENT and the like will not.
bool IsTransient(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::CANCELLED:
      return true;
    default:
      return false;
  }
}

// How a PSP that cannot be reached fails (as opposed to one that answered
// with an error of its own): these count towards opening the breaker.
// CANCELLED is this connector stopping, not the PSP.
bool ShowsPspDown(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

ChargeAnswer AnswerOf(const grpc::Status& status, const psp::v1::ChargeResponse& response) {
  ChargeAnswer answer;
  answer.code = static_cast<int32_t>(status.error_code());
  answer.error = status.error_message();
  if (status.ok()) {
    answer.approved = response.outcome() == psp::v1::APPROVED;
    answer.psp_reference = response.psp_reference();
    answer.decline_reason = response.decline_reason();
  }
  return answer;
}

void Settle(Self self, const StreamEntry& entry, absl::string_view status, std::string reference,
            std::string reason, int32_t attempts) {
  Tell(self, self->state.acker, settle_atom::value,
       Settlement{entry, std::string(status), std::move(reference), std::move(reason), attempts});
}

// One call to the PSP, or, while the PSP is down, the entry held (its
// attempt unspent) until the breaker lets calls through again.
void Attempt(Self self, const StreamEntry& entry, int32_t number) {
  ConnectorContext& context = *self->state.context;
  if (const absl::Duration hold = context.breaker.HoldFor(absl::Now());
      hold > absl::ZeroDuration()) {
    TellLater(self, Me(self), hold, retry_atom::value, entry, number);
    return;
  }
  log::Info("==> Making transaction with PSP", {{"request_id", entry.request_id},
                                                {"trace_id", entry.trace_id()},
                                                {"transaction_id", entry.transaction_id},
                                                {"user_id", entry.user_id},
                                                {"amount", entry.amount},
                                                {"currency", entry.currency},
                                                {"attempt", number}});
  // The answer comes on the PSP client's thread, as a message.
  self->state.psp->Charge(
      entry, [me = Me(self), entry, number](const grpc::Status& status,
                                            const psp::v1::ChargeResponse& response) {
        TellFromOutside(me, answer_atom::value, entry, number, AnswerOf(status, response));
      });
}

// The backoff before attempt `number + 1`: exponential from RETRY_BACKOFF_MS
// up to RETRY_BACKOFF_MAX_MS, with jitter (a half to all of it), so that the
// retries of many entries do not arrive together.
absl::Duration Backoff(Self self, int32_t number) {
  const ConnectorConfig& config = self->state.context->config;
  const absl::Duration full =
      std::min(config.backoff_max, config.backoff_base * (int64_t{1} << std::min(number - 1, 20)));
  return full * std::uniform_real_distribution<double>(0.5, 1.0)(self->state.jitter);
}

void Answered(Self self, const StreamEntry& entry, int32_t number, const ChargeAnswer& answer) {
  ConnectorContext& context = *self->state.context;
  const auto code = static_cast<grpc::StatusCode>(answer.code);
  if (ShowsPspDown(code)) {
    if (context.breaker.Failed(absl::Now())) {  // the PSP is down: this one does not count
      Tell(self, Me(self), retry_atom::value, entry, number);
      return;
    }
  } else if (code != grpc::StatusCode::CANCELLED) {
    context.breaker.Answered();
  }
  if (code == grpc::StatusCode::OK) {
    if (answer.approved) {
      Settle(self, entry, ledger::status::kApproved, answer.psp_reference, "", number);
    } else if (answer.decline_reason == "cancelled") {
      // The reclaimer gave up on this entry and cancelled its key at the
      // PSP meanwhile: nothing was charged, the transaction failed.
      Settle(self, entry, ledger::status::kFailed, "", "no outcome from the PSP in time", number);
    } else {
      Settle(self, entry, ledger::status::kDeclined, "", answer.decline_reason, number);
    }
    return;
  }
  if (!IsTransient(code)) {
    Settle(self, entry, ledger::status::kFailed, "", "PSP refused the charge: " + answer.error,
           number);
    return;
  }
  if (number >= context.config.max_attempts) {
    log::Warn("charge handed back", {{"request_id", entry.request_id},
                                     {"trace_id", entry.trace_id()},
                                     {"transaction_id", entry.transaction_id},
                                     {"attempts", number},
                                     {"error", answer.error}});
    Tell(self, self->state.acker, release_atom::value, entry.entry_id);
    return;
  }
  context.metrics.retried.fetch_add(1);
  TellLater(self, Me(self), Backoff(self, number), retry_atom::value, entry, number + 1);
}

}  // namespace

charge_worker_actor::behavior_type charge_worker(Self self,
                                                 std::shared_ptr<ConnectorContext> context,
                                                 acker_actor acker,
                                                 std::shared_ptr<PspClient> psp) {
  self->state.context = std::move(context);
  self->state.acker = std::move(acker);
  self->state.psp = std::move(psp);
  self->state.jitter.seed(std::random_device{}());

  // Every handler takes its turn: what was sent to this worker, or to the
  // pool on its way here, happened before (mailbox_order.h). So does the
  // exit, after which CAF destroys these handlers on whichever thread.
  self->set_exit_handler([self](caf::exit_msg& exit) {
    const HandlerTurn turn(self, &kPoolMailbox);
    self->quit(exit.reason);
  });
  return {
      [self](charge_atom, const StreamEntry& entry) {
        const HandlerTurn turn(self, &kPoolMailbox);
        if (entry.transaction_id.empty()) {  // an event no one can read: dead letter
          Settle(self, entry, ledger::status::kFailed, "", "unreadable stream entry", 0);
          return;
        }
        Attempt(self, entry, 1);
      },
      [self](retry_atom, const StreamEntry& entry, int32_t number) {
        const HandlerTurn turn(self, &kPoolMailbox);
        Attempt(self, entry, number);
      },
      [self](answer_atom, const StreamEntry& entry, int32_t number, const ChargeAnswer& answer) {
        const HandlerTurn turn(self, &kPoolMailbox);
        Answered(self, entry, number, answer);
      },
  };
}

}  // namespace platform::connector
