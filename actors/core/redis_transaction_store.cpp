#include "actors/core/redis_transaction_store.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/redis/script.h"
#include "platform/core/v1/transaction_event.pb.h"

namespace platform::core {
namespace {

// KEYS: 1 the transaction hash, 2 the stream, 3 the idempotency key ("" for none).
// ARGV: 1 id, 2 user_id, 3 amount, 4 currency, 5 request_id, 6 created_at_ms,
//       7 the stream event, 8 fingerprint, 9 idempotency window in seconds,
//       10 not after (Unix ms): past it, the caller has been told the
//       request failed, so the script must not create anything.
// Answers {"created"}, {"replay", fingerprint, id} or {"expired"}.
const redis::Script kCreateScript(R"lua(
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[10]) then
  return {'expired'}
end
if KEYS[3] ~= '' then
  local previous = redis.call('GET', KEYS[3])
  if previous then
    local colon = string.find(previous, ':', 1, true)
    return {'replay', string.sub(previous, 1, colon - 1), string.sub(previous, colon + 1)}
  end
end
local entry = redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'event', ARGV[7])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'queued', 'user_id', ARGV[2],
           'amount', ARGV[3], 'currency', ARGV[4], 'request_id', ARGV[5],
           'created_at_ms', ARGV[6], 'updated_at_ms', ARGV[6], 'entry_id', entry)
if KEYS[3] ~= '' then
  redis.call('SET', KEYS[3], ARGV[8] .. ':' .. ARGV[1], 'EX', ARGV[9])
end
return {'created'}
)lua");

// KEYS: 1 the transaction hash, 2 the stream. ARGV: 1 the connectors' group.
// Answers the hash's fields and values, and when it is queued and a
// connector holds its entry (delivered, not yet acknowledged), the pair
// "held", "1" besides. A group that does not exist yet holds nothing.
const redis::Script kReadScript(R"lua(
local fields = redis.call('HGETALL', KEYS[1])
local status, entry
for i = 1, #fields, 2 do
  if fields[i] == 'status' then status = fields[i + 1] end
  if fields[i] == 'entry_id' then entry = fields[i + 1] end
end
if status == 'queued' and entry then
  local pending = redis.pcall('XPENDING', KEYS[2], ARGV[1], entry, entry, 1)
  if type(pending) == 'table' and pending[1] then
    fields[#fields + 1] = 'held'
    fields[#fields + 1] = '1'
  end
end
return fields
)lua");

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
    if (field == "id")
      record.id = value;
    else if (field == "status")
      record.status = value;
    else if (field == "currency")
      record.currency = value;
    else if (field == "psp_reference")
      record.psp_reference = value;
    else if (field == "reason")
      record.reason = value;
    else if (field == "request_id")
      record.request_id = value;
    else if (field == "user_id")
      (void)absl::SimpleAtoi(value, &record.user_id);
    else if (field == "amount")
      (void)absl::SimpleAtoi(value, &record.amount);
    else if (field == "created_at_ms")
      (void)absl::SimpleAtoi(value, &record.created_at_ms);
    else if (field == "held")
      held = true;
  }
  if (held && record.status == "queued") record.status = "processing";
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
  event.set_created_at_ms(transaction.created_at_ms);

  return kCreateScript.Call(
      {absl::StrCat("transaction:", transaction.id), options.stream, claim ? claim->redis_key : ""},
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
  std::vector<std::string> args = CreateCommand(transaction, claim, not_after, options_);
  auto finish = [transaction, claim, done](absl::StatusOr<redis::Reply> reply) {
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
  NextPipeline().Submit(std::move(args), std::move(finish), not_after);
}

void RedisTransactionStore::Find(const std::string& id, FindDone done) {
  NextPipeline().Submit(
      kReadScript.Call({absl::StrCat("transaction:", id), options_.stream}, {options_.group}),
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
