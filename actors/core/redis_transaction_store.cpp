#include "actors/core/redis_transaction_store.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/ledger/scripts.h"
#include "platform/core/v1/transaction_event.pb.h"

namespace platform::core {
namespace {

// Time for a reply to reach core once the create script ran (see Create).
constexpr absl::Duration kReplyMargin = absl::Milliseconds(300);

// The create and withdraw scripts' KEYS: the hash, the stream and the
// claim's key when there is one (not "": a Cluster would hash it to a slot).
std::vector<std::string> KeysOf(const TransactionRecord& transaction,
                                const std::optional<IdempotencyClaim>& claim,
                                const std::string& stream) {
  std::vector<std::string> keys = {ledger::TransactionKey(stream, transaction.id), stream};
  if (claim) keys.push_back(ledger::IdempotencyKey(stream, claim->user_id, claim->key_digest));
  return keys;
}

// What an error reply means for the caller. A Redis that is loading its
// AOF after a restart, busy with a script, full, or a replica refuses the
// command without running it: UNAVAILABLE, so the caller may retry (503).
// Anything else is a bug of ours or Redis's: INTERNAL.
absl::Status Unexpected(const redis::Reply& reply) {
  if (reply.is_error() && absl::StartsWith(reply.text, "OOM")) {
    return absl::UnavailableError("The transaction store is full");
  }
  for (const absl::string_view transient :
       {"LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"}) {
    if (reply.is_error() && absl::StartsWith(reply.text, transient)) {
      return absl::UnavailableError("The transaction store is unavailable");
    }
  }
  return absl::InternalError(absl::StrCat("unexpected answer from Redis: ",
                                          reply.is_error() ? reply.text : "wrong shape"));
}

std::optional<TransactionRecord> RecordFromHash(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::kArray || reply.elements.empty()) return std::nullopt;
  TransactionRecord record;
  bool held = false;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const std::string& field = reply.elements[i].text;
    const std::string& value = reply.elements[i + 1].text;
    if (field == ledger::field::kId)
      record.id = value;
    else if (field == ledger::field::kStatus)
      record.status = value;
    else if (field == ledger::field::kCurrency)
      record.currency = value;
    else if (field == ledger::field::kPspReference)
      record.psp_reference = value;
    else if (field == ledger::field::kReason)
      record.reason = value;
    else if (field == ledger::field::kRequestId)
      record.request_id = value;
    else if (field == ledger::field::kUserId)
      (void)absl::SimpleAtoi(value, &record.user_id);
    else if (field == ledger::field::kAmount)
      (void)absl::SimpleAtoi(value, &record.amount);
    else if (field == ledger::field::kCreatedAtMs)
      (void)absl::SimpleAtoi(value, &record.created_at_ms);
    else if (field == "held")  // read_transaction.lua's mark
      held = true;
  }
  if (held && record.status == ledger::status::kQueued) {
    record.status = std::string(ledger::status::kProcessing);
  }
  return record;
}

}  // namespace

RedisTransactionStore::RedisTransactionStore(const redis::Endpoint& endpoint,
                                             RedisStoreOptions options)
    : options_(std::move(options)) {
  for (int i = 0; i < std::max(1, options_.connections); ++i) {
    pipelines_.push_back(std::make_unique<redis::Pipeline>(endpoint, options_.pipeline));
  }
}

std::vector<std::string> CreateCommand(const TransactionRecord& transaction,
                                       const std::optional<IdempotencyClaim>& claim,
                                       absl::Time not_after, const RedisStoreOptions& options) {
  v1::TransactionQueued event;
  event.set_id(transaction.id);
  event.set_user_id(transaction.user_id);
  event.set_amount(transaction.amount);
  event.set_currency(transaction.currency);
  event.set_request_id(transaction.request_id);
  event.set_traceparent(transaction.traceparent);
  event.set_created_at_ms(transaction.created_at_ms);

  return ledger::CreateTransactionScript().Call(
      KeysOf(transaction, claim, options.stream),
      {transaction.id, absl::StrCat(transaction.user_id), absl::StrCat(transaction.amount),
       transaction.currency, transaction.request_id, absl::StrCat(transaction.created_at_ms),
       event.SerializeAsString(), claim ? claim->fingerprint : "",
       absl::StrCat(absl::ToInt64Seconds(options.idempotency_window)),
       absl::StrCat(absl::ToUnixMillis(not_after))});
}

redis::Pipeline& RedisTransactionStore::NextPipeline() {
  return *pipelines_[next_.fetch_add(1, std::memory_order_relaxed) % pipelines_.size()];
}

void RedisTransactionStore::Create(const TransactionRecord& transaction,
                                   const std::optional<IdempotencyClaim>& claim,
                                   absl::Time not_after, CreateDone done) {
  // Core gives up on a reply that has not come within the pipeline's
  // timeout, and answers an error; Redis may run the script later all the
  // same (a stall, a busy script: it runs what it read, whatever became of
  // the connection). So the script refuses past that moment too, less a
  // margin for its reply to come back: the caller's deadline is not the
  // only one that makes a create an error.
  const absl::Duration reply_margin = std::min(kReplyMargin, options_.pipeline.timeout / 4);
  not_after = std::min(not_after, absl::Now() + options_.pipeline.timeout - reply_margin);
  // With replicas to wait for, the answer comes up to the replication
  // bound later: the script stops that much earlier.
  if (options_.pipeline.replicas > 0) not_after -= options_.pipeline.replication_timeout;
  std::vector<std::string> args = CreateCommand(transaction, claim, not_after, options_);
  redis::Pipeline& pipeline = NextPipeline();
  auto finish = [this, &pipeline, transaction, claim,
                 done](absl::StatusOr<redis::Reply> reply) mutable {
    if (absl::IsAborted(reply.status())) {
      // Created on the primary, not confirmed by a replica in time.
      Withdraw(pipeline, transaction, claim, std::move(done));
      return;
    }
    if (!reply.ok()) {
      done(absl::IsDeadlineExceeded(reply.status())
               ? absl::DeadlineExceededError("The transaction was not stored in time")
               : absl::UnavailableError("The transaction store is unavailable"));
      return;
    }
    if (reply->type != redis::Reply::Type::kArray || reply->elements.empty()) {
      done(Unexpected(*reply));
      return;
    }
    if (reply->elements[0].text == "expired") {
      done(absl::DeadlineExceededError("The transaction was not stored in time"));
      return;
    }
    CreateOutcome outcome;
    outcome.transaction = transaction;
    if (reply->elements[0].text == "replay" && reply->elements.size() == 3) {
      if (reply->elements[1].text != claim->fingerprint) {
        done(absl::AlreadyExistsError(
            "Idempotency-Key was already used for a different transaction"));
        return;
      }
      // The first answer again: same user, amount and currency (the
      // fingerprint says so), the first transaction's id.
      outcome.transaction.id = reply->elements[2].text;
      outcome.replayed = true;
    }
    done(std::move(outcome));
  };
  pipeline.Submit(std::move(args), std::move(finish), not_after, redis::Durability::kReplicated);
}

void RedisTransactionStore::Withdraw(redis::Pipeline& pipeline,
                                     const TransactionRecord& transaction,
                                     const std::optional<IdempotencyClaim>& claim,
                                     CreateDone done) {
  // Runs on the same connection, after the create: Redis has it, and until
  // a connector reads it, it can be taken back, so that the caller's 503
  // is true. Once a connector has it, it will be charged: the caller gets
  // its 200.
  pipeline.Submit(
      ledger::WithdrawTransactionScript().Call(KeysOf(transaction, claim, options_.stream),
                                               {options_.group, transaction.id}),
      [transaction, done = std::move(done)](absl::StatusOr<redis::Reply> reply) {
        if (reply.ok() && reply->text == "kept") {
          done(CreateOutcome{transaction, false});
          return;
        }
        done(absl::UnavailableError("The transaction store is unavailable"));
      });
}

void RedisTransactionStore::Find(const std::string& id, FindDone done) {
  NextPipeline().Submit(
      ledger::ReadTransactionScript().Call(
          {ledger::TransactionKey(options_.stream, id), options_.stream}, {options_.group}),
      [done](absl::StatusOr<redis::Reply> reply) {
        if (!reply.ok()) {
          done(absl::UnavailableError("The transaction store is unavailable"));
          return;
        }
        if (reply->is_error()) {
          done(Unexpected(*reply));
          return;
        }
        done(RecordFromHash(*reply));
      });
}

}  // namespace platform::core
