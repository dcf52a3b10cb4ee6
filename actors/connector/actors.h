#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "absl/time/time.h"

#include "actors/connector/config.h"
#include "actors/connector/connector_metrics.h"
#include "actors/connector/held_entries.h"
#include "actors/connector/psp_breaker.h"
#include "caf/actor.hpp"
#include "caf/behavior.hpp"
#include "caf/blocking_actor.hpp"
#include "caf/event_based_actor.hpp"

namespace grpc {
class Channel;
class ClientContext;
}  // namespace grpc

namespace platform::connector {

// The PSP calls in flight, so that a stopping connector can cancel them and
// wait for their callbacks instead of leaving gRPC mid-call at exit.
// Shared by the workers and gRPC's callback threads. A std::mutex, not an
// absl::Mutex: ThreadSanitizer sees pthread locks, but not the ones inside
// Debian's (uninstrumented) Abseil.
class CallRegistry {
 public:
  void Add(grpc::ClientContext* context);
  void Remove(grpc::ClientContext* context);
  // Cancels every call in flight and waits, up to `timeout`, for them to end.
  void CancelAll(absl::Duration timeout);

 private:
  std::mutex mutex_;
  std::condition_variable ended_;
  std::set<grpc::ClientContext*> calls_;  // guarded by mutex_
};

// Everything an actor of the connector needs to know, shared.
struct Shared {
  explicit Shared(ConnectorConfig settings)
      : config(std::move(settings)),
        breaker(PspBreaker::Options{config.breaker_failures, config.breaker_open,
                                    config.breaker_open_max, config.backoff_base}) {}

  const ConnectorConfig config;
  ConnectorMetrics metrics;
  CallRegistry calls;
  PspBreaker breaker;
  HeldEntries held;
};

// Reads the stream with XREADGROUP while the pipeline has room (credit), and
// hands each entry to the worker pool; entries the reclaimer took over come
// in the same way. Owns one Redis connection; blocks in XREADGROUP, so it is
// spawned detached. Stops reading on drain_atom and ends when every entry it
// handed out has come back, or at once on stop_atom.
void stream_reader(caf::blocking_actor* self, std::shared_ptr<Shared> shared, caf::actor pool);

// Charges the PSP for one entry at a time per message, any number at once:
// the gRPC client is asynchronous and answers come back as messages.
// Transient PSP failures are retried with exponential backoff and jitter;
// after MAX_ATTEMPTS the delivery is handed back (the entry stays pending for
// the reclaimer). Approved and declined are final. While the breaker is open
// (the PSP is down), entries are held, their attempts unspent.
// `psp` is this worker's own channel to the PSP; main keeps it alive past
// the actors, so that no channel is torn down under gRPC's callback threads.
caf::behavior charge_worker(caf::event_based_actor* self, std::shared_ptr<Shared> shared,
                            caf::actor acker, std::shared_ptr<grpc::Channel> psp);

// Records outcomes in the transaction hashes and acknowledges the entries
// (XACK) only then, in batches; gives the reader (reader_atom) its credit
// back. Owns one
// Redis connection; retries while Redis is away, so nothing settled is lost.
void acker(caf::blocking_actor* self, std::shared_ptr<Shared> shared);

// Every RECLAIM_INTERVAL: keeps the entries this connector holds from looking
// idle (XCLAIM JUSTID: no delivery counted), settles entries delivered MAX_DELIVERIES times
// (from the PSP's answer to Cancel: the charge it made, or dead letter and
// failed when it made none), takes over entries idle longer than RECLAIM_IDLE (XAUTOCLAIM) and
// hands them to the reader, trims the stream below the oldest pending entry,
// and measures the group's lag. Owns one Redis connection.
void reclaimer(caf::blocking_actor* self, std::shared_ptr<Shared> shared, caf::actor reader,
               std::shared_ptr<grpc::Channel> psp);

// While the breaker is open, probes the PSP's health (grpc.health.v1) when
// the breaker says, and closes it once the PSP is serving. Blocks in the
// probe, so it is spawned detached; ends on stop_atom.
void psp_watch(caf::blocking_actor* self, std::shared_ptr<Shared> shared,
               std::shared_ptr<grpc::Channel> psp);

// A channel to the PSP of its own (a connection not shared with others).
std::shared_ptr<grpc::Channel> NewPspChannel(const ConnectorConfig& config, int index);

}  // namespace platform::connector
