// core: validates transactions, makes them durable in Redis and queues them
// for the connector, and answers before the PSP is called.
#include <cstdlib>

#include "actors/core/config.h"
#include "actors/core/redis_transaction_store.h"
#include "actors/core/transaction_service.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/runtime/grpc_server.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/termination.h"

int main(int argc, char** argv) {
  using namespace platform;
  BlockTerminationSignals();
  log::SetService("core");
  const core::CoreConfig config = config::LoadOrExit<core::CoreConfig>(
      "core",
      "The core service: validates transactions, stores them in Redis and queues them "
      "for the connector.",
      argc, argv, core::LoadCoreConfig);

  jwt::WarnIfWeak(config.jwt);
  core::RedisTransactionStore store(config.redis, config.store);
  core::TransactionService service(jwt::CodecFor(config.jwt), store);
  const auto metrics_server = metrics::StartOrExit("core", config.metrics);
  return ServeUntilTerminated("core", config.grpc_host, config.grpc_port, {service.Served()},
                              config.shutdown_grace, {}, config.grpc);
}
