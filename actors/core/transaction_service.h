#pragma once

#include <functional>

#include "absl/time/time.h"
#include "actors/core/transaction_store.h"
#include "actors/shared/jwt/hs256.h"
#include "actors/shared/runtime/grpc_server.h"
#include "actors/shared/runtime/unary_call.h"
#include "platform/core/v1/core.grpc.pb.h"

namespace platform::core {

// platform.core.v1.TransactionService, served from completion queues.
// Validation runs on the queue's thread (it is CPU only); the store answers
// from its own thread, which finishes the call. No gRPC thread waits on
// Redis.
class TransactionService {
 public:
  using Clock = std::function<absl::Time()>;
  using Async = v1::TransactionService::AsyncService;
  using CreateCall = UnaryCall<Async, v1::CreateTransactionRequest, v1::Transaction>;
  using GetCall = UnaryCall<Async, v1::GetTransactionRequest, v1::Transaction>;

  TransactionService(
      jwt::Hs256 tokens, TransactionStore& store, Clock clock = [] { return absl::Now(); });

  // What the gRPC server serves: this service's methods on every queue.
  ServedService Served();

  void CreateTransaction(CreateCall& call);
  void GetTransaction(GetCall& call);

 private:
  jwt::Hs256 tokens_;
  TransactionStore& store_;
  Clock clock_;
  Async async_;
  CreateCall::Method create_;
  GetCall::Method get_;
};

}  // namespace platform::core
