#include <random>

#include "actors/connector/actors.h"
#include "actors/connector/mailbox_order.h"
#include "actors/connector/messages.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/request_id.h"
#include "caf/all.hpp"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "platform/psp/v1/psp.grpc.pb.h"

namespace platform::connector {
namespace {

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

struct PendingCharge {
  grpc::ClientContext context;
  psp::v1::ChargeRequest request;
  psp::v1::ChargeResponse response;
};

}  // namespace

void CallRegistry::Add(grpc::ClientContext* context) {
  std::lock_guard lock(mutex_);
  calls_.insert(context);
}

void CallRegistry::Remove(grpc::ClientContext* context) {
  std::lock_guard lock(mutex_);
  calls_.erase(context);
  if (calls_.empty()) ended_.notify_all();
}

void CallRegistry::CancelAll(absl::Duration timeout) {
  std::unique_lock lock(mutex_);
  // TryCancel runs the call's callback later, on a gRPC thread, never inside.
  for (grpc::ClientContext* context : calls_) context->TryCancel();
  ended_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this] { return calls_.empty(); });
}

std::shared_ptr<grpc::Channel> NewPspChannel(const ConnectorConfig& config, int index) {
  grpc::ChannelArguments args;
  args.SetInt("platform.psp_channel", index);  // distinct arguments: a connection of its own
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  return grpc::CreateCustomChannel(config.psp_address, grpc::InsecureChannelCredentials(), args);
}

caf::behavior charge_worker(caf::event_based_actor* self, std::shared_ptr<Shared> shared,
                            caf::actor acker, std::shared_ptr<grpc::Channel> channel) {
  const ConnectorConfig& config = shared->config;
  std::shared_ptr<psp::v1::PspService::Stub> psp = psp::v1::PspService::NewStub(channel);
  auto jitter = std::make_shared<std::mt19937>(std::random_device{}());
  const caf::actor me = caf::actor_cast<caf::actor>(self);

  const auto attempt = [=](const StreamEntry& entry, int32_t number) {
    // The PSP is down: hold the entry, its attempt unspent, until it is back.
    if (const absl::Duration hold = shared->breaker.HoldFor(absl::Now());
        hold > absl::ZeroDuration()) {
      self->delayed_send(self, absl::ToChronoMilliseconds(hold),
                         MessageFor(MailboxOf(self), retry_atom::value, entry, number));
      return;
    }
    log::Info("==> Making transaction with PSP", {{"request_id", entry.request_id},
                                                  {"transaction_id", entry.transaction_id},
                                                  {"user_id", entry.user_id},
                                                  {"amount", entry.amount},
                                                  {"currency", entry.currency},
                                                  {"attempt", number}});
    auto call = std::make_shared<PendingCharge>();
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + config.psp_deadline));
    if (!entry.request_id.empty()) {
      call->context.AddMetadata(std::string(kRequestIdKey), entry.request_id);
    }
    call->request.set_idempotency_key(entry.transaction_id);
    call->request.set_amount(entry.amount);
    call->request.set_currency(entry.currency);
    call->request.set_user_id(entry.user_id);
    std::function<void(grpc::Status)> answered = [call, me, entry, number,
                                                  shared](grpc::Status status) {
      TsanAcquire(call.get());
      shared->calls.Remove(&call->context);
      caf::anon_send(me, MessageFor(MailboxOf(me), answer_atom::value, entry, number,
                                    static_cast<int32_t>(status.error_code()),
                                    status.error_message(), call->response.SerializeAsString()));
    };
    shared->calls.Add(&call->context);
    TsanRelease(call.get());  // the call and its callback as made here, to the callback
    psp->async()->Charge(&call->context, &call->request, &call->response, std::move(answered));
  };

  const auto settle = [=](const StreamEntry& entry, absl::string_view status, std::string reference,
                          std::string reason, int32_t attempts) {
    Settlement settlement{entry, std::string(status), std::move(reference), std::move(reason),
                          attempts};
    Tell(self, acker, settle_atom::value, std::move(settlement));
  };

  // Every handler takes its turn: what was sent to this worker, or to the
  // pool on its way here, happened before (mailbox_order.h). So does the
  // exit, after which CAF destroys these handlers on whichever thread.
  self->set_exit_handler([self](caf::exit_msg& exit) {
    const HandlerTurn turn(self, &kPoolMailbox);
    self->quit(exit.reason);
  });
  return {
      [=](charge_atom, const StreamEntry& entry) {
        const HandlerTurn turn(self, &kPoolMailbox);
        if (entry.transaction_id.empty()) {  // an event no one can read: dead letter
          settle(entry, ledger::status::kFailed, "", "unreadable stream entry", 0);
          return;
        }
        attempt(entry, 1);
      },
      [=](retry_atom, const StreamEntry& entry, int32_t number) {
        const HandlerTurn turn(self, &kPoolMailbox);
        attempt(entry, number);
      },
      [=](answer_atom, const StreamEntry& entry, int32_t number, int32_t code,
          const std::string& message, const std::string& bytes) {
        const HandlerTurn turn(self, &kPoolMailbox);
        const auto grpc_code = static_cast<grpc::StatusCode>(code);
        if (ShowsPspDown(grpc_code)) {
          if (shared->breaker.Failed(absl::Now())) {  // the PSP is down: this one does not count
            Tell(self, me, retry_atom::value, entry, number);
            return;
          }
        } else if (grpc_code != grpc::StatusCode::CANCELLED) {
          shared->breaker.Answered();
        }
        if (grpc_code == grpc::StatusCode::OK) {
          psp::v1::ChargeResponse response;
          response.ParseFromString(bytes);
          if (response.outcome() == psp::v1::APPROVED) {
            settle(entry, ledger::status::kApproved, response.psp_reference(), "", number);
          } else if (response.decline_reason() == "cancelled") {
            // The reclaimer gave up on this entry and cancelled its key at
            // the PSP meanwhile: nothing was charged, the transaction failed.
            settle(entry, ledger::status::kFailed, "", "no outcome from the PSP in time", number);
          } else {
            settle(entry, ledger::status::kDeclined, "", response.decline_reason(), number);
          }
          return;
        }
        if (!IsTransient(grpc_code)) {
          settle(entry, ledger::status::kFailed, "", "PSP refused the charge: " + message, number);
          return;
        }
        if (number >= config.max_attempts) {
          log::Warn("charge handed back", {{"request_id", entry.request_id},
                                           {"transaction_id", entry.transaction_id},
                                           {"attempts", number},
                                           {"error", message}});
          Tell(self, acker, release_atom::value, entry.entry_id);
          return;
        }
        shared->metrics.retried.fetch_add(1);
        const absl::Duration full = std::min(
            config.backoff_max, config.backoff_base * (int64_t{1} << std::min(number - 1, 20)));
        const double factor = std::uniform_real_distribution<double>(0.5, 1.0)(*jitter);
        self->delayed_send(self, absl::ToChronoMilliseconds(full * factor),
                           MessageFor(MailboxOf(self), retry_atom::value, entry, number + 1));
      },
  };
}

}  // namespace platform::connector
