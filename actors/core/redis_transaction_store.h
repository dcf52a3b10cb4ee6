#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "actors/core/transaction_store.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/redis/pipeline.h"

namespace platform::core {

struct RedisStoreOptions {
  std::string stream{ledger::kDefaultStream};
  std::string group{ledger::kDefaultGroup};  // the connectors'; it says which entries they hold
  absl::Duration idempotency_window = absl::Hours(24);
  int connections = 2;
  redis::PipelineOptions pipeline;
};

// Transactions in Redis (actors/shared/ledger/schema.h): a hash with the
// status and the id of its entry in the stream the connector reads
// (platform.core.v1.TransactionQueued), and the Idempotency-Key, written
// together by one Lua script, so that a transaction is in both places or in
// neither. A transaction is "processing" while a connector holds its entry
// (it is in the group's pending list): read from Redis's own record of
// deliveries, so the connector writes nothing to say so. Commands go through a few
// pipelines, each owning one connection.
// The one command that creates a transaction: EVALSHA of the create script
// with the hash, the stream and the idempotency key as KEYS and the
// record, its stream event, the claim and `not_after` (past it the script
// refuses) as ARGV.
std::vector<std::string> CreateCommand(const TransactionRecord& transaction,
                                       const std::optional<IdempotencyClaim>& claim,
                                       absl::Time not_after, const RedisStoreOptions& options);

class RedisTransactionStore final : public TransactionStore {
 public:
  RedisTransactionStore(const redis::Endpoint& endpoint, RedisStoreOptions options);

  void Create(const TransactionRecord& transaction, const std::optional<IdempotencyClaim>& claim,
              absl::Time not_after, CreateDone done) override;
  void Find(const std::string& id, FindDone done) override;

 private:
  redis::Pipeline& NextPipeline();
  // Takes back a create that no replica confirmed (withdraw_transaction.lua).
  void Withdraw(redis::Pipeline& pipeline, const TransactionRecord& transaction,
                const std::optional<IdempotencyClaim>& claim, CreateDone done);

  RedisStoreOptions options_;
  std::vector<std::unique_ptr<redis::Pipeline>> pipelines_;
  std::atomic<size_t> next_{0};
};

}  // namespace platform::core
