#pragma once

#include <functional>

#include "absl/time/time.h"
#include "actors/core/transaction_store.h"
#include "actors/shared/jwt/hs256.h"
#include "platform/core/v1/core.grpc.pb.h"

namespace platform::core {

// platform.core.v1.TransactionService. Validation runs on the gRPC thread
// (it is CPU only); the store answers from its own thread, which finishes
// the call. No gRPC thread waits on Redis.
class TransactionService final : public v1::TransactionService::CallbackService {
 public:
  using Clock = std::function<absl::Time()>;

  TransactionService(jwt::Hs256 tokens, TransactionStore& store,
                     Clock clock = [] { return absl::Now(); });

  grpc::ServerUnaryReactor* CreateTransaction(grpc::CallbackServerContext* context,
                                              const v1::CreateTransactionRequest* request,
                                              v1::Transaction* response) override;

  grpc::ServerUnaryReactor* GetTransaction(grpc::CallbackServerContext* context,
                                           const v1::GetTransactionRequest* request,
                                           v1::Transaction* response) override;

 private:
  jwt::Hs256 tokens_;
  TransactionStore& store_;
  Clock clock_;
};

}  // namespace platform::core
