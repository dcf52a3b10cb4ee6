// psp_mock: the payment service provider the connector charges, with test
// amounts that choose the outcome and a ledger tests can read.
#include <cstdlib>

#include "actors/psp_mock/charge_book.h"
#include "actors/psp_mock/config.h"
#include "actors/psp_mock/psp_service.h"
#include "actors/shared/metrics/metrics_server.h"
#include "actors/shared/runtime/grpc_server.h"
#include "actors/shared/runtime/logger.h"
#include "actors/shared/runtime/termination.h"

int main(int argc, char** argv) {
  using namespace platform;
  BlockTerminationSignals();
  log::SetService("psp_mock");
  const psp_mock::PspMockConfig config = config::LoadOrExit<psp_mock::PspMockConfig>(
      "psp_mock",
      "The mock PSP: charges once per idempotency key; amounts 402 (declined), 500 "
      "(always transient), 503 (transient twice), 504 (slow) pick the outcome.",
      argc, argv, psp_mock::LoadPspMockConfig);

  psp_mock::ChargeBook book(config.book);
  psp_mock::PspService service(book, config.latency);
  const auto metrics_server = metrics::StartOrExit("psp_mock", config.metrics);
  return ServeUntilTerminated("psp_mock", config.grpc_host, config.grpc_port, {service.Served()},
                              config.shutdown_grace, {}, config.grpc);
}
