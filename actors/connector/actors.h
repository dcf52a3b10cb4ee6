#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "actors/connector/connector_context.h"
#include "actors/connector/messages.h"
#include "actors/connector/psp_client.h"
#include "caf/actor.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/blocking_actor.hpp"
#include "caf/replies_to.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

namespace grpc {
class Channel;
}  // namespace grpc

// The connector's actors: each one's inbox as a typed interface (the
// compiler checks every message sent to it), then the function that runs
// it. The reader, the acker, the reclaimer and the watcher block on Redis
// or on the PSP, so they run detached, each on its own thread, receiving
// what their interface lists; CAF 0.17 types the handles of such actors,
// not their receive loops. The charge workers are event-based and typed
// through and through.
namespace platform::connector {

// The stream reader's inbox.
using stream_reader_actor =
    caf::typed_actor<caf::reacts_to<credit_atom, int32_t>,
                     caf::reacts_to<reclaimed_atom, std::vector<StreamEntry>>,
                     caf::reacts_to<drain_atom>, caf::reacts_to<stop_atom>>;

// The acker's inbox.
using acker_actor =
    caf::typed_actor<caf::reacts_to<settle_atom, Settlement>,
                     caf::reacts_to<release_atom, std::string>,
                     caf::reacts_to<reader_atom, stream_reader_actor>, caf::reacts_to<stop_atom>>;

// A charge worker's inbox.
using charge_worker_actor =
    caf::typed_actor<caf::reacts_to<charge_atom, StreamEntry>,
                     caf::reacts_to<retry_atom, StreamEntry, int32_t>,
                     caf::reacts_to<answer_atom, StreamEntry, int32_t, ChargeAnswer>>;

// The inbox of the actors that only run until told to stop: the reclaimer
// and the PSP watcher.
using stoppable_actor = caf::typed_actor<caf::reacts_to<stop_atom>>;

// Reads the stream with XREADGROUP while the pipeline has room (credit), and
// hands each entry to the worker pool; entries the reclaimer took over come
// in the same way. Owns one Redis connection; blocks in XREADGROUP, so it is
// spawned detached. Stops reading on drain_atom and ends when every entry it
// handed out has come back, or at once on stop_atom.
void stream_reader(caf::blocking_actor* self, std::shared_ptr<ConnectorContext> context,
                   caf::actor pool);

// A charge worker's state: what it needs besides its messages.
struct ChargeWorkerState {
  std::shared_ptr<ConnectorContext> context;
  acker_actor acker;
  std::shared_ptr<PspClient> psp;
  std::mt19937 jitter;
};

// Charges the PSP for one entry at a time per message, any number at once:
// the PSP client is asynchronous and answers come back as messages.
// Transient PSP failures are retried with exponential backoff and jitter;
// after MAX_ATTEMPTS the delivery is handed back (released: the entry stays
// pending for the reclaimer). Approved and declined are final. While the
// breaker is open (the PSP is down), entries are held, their attempts unspent.
charge_worker_actor::behavior_type charge_worker(
    charge_worker_actor::stateful_pointer<ChargeWorkerState> self,
    std::shared_ptr<ConnectorContext> context, acker_actor acker, std::shared_ptr<PspClient> psp);

// Records outcomes in the transaction hashes and acknowledges the entries
// (XACK) only then, in batches; gives the reader (reader_atom) its credit
// back. Owns one Redis connection; retries while Redis is away, so nothing
// settled is lost.
void acker(caf::blocking_actor* self, const std::shared_ptr<ConnectorContext>& context);

// Every RECLAIM_INTERVAL: keeps the entries this connector holds from looking
// idle (XCLAIM JUSTID: no delivery counted), settles entries delivered
// MAX_DELIVERIES times (from the PSP's answer to Cancel: the charge it made,
// or dead letter and failed when it made none), takes over entries idle
// longer than RECLAIM_IDLE (XAUTOCLAIM) and hands them to the reader, trims
// the stream below the oldest pending entry, and measures the group's lag.
// Owns one Redis connection.
void reclaimer(caf::blocking_actor* self, std::shared_ptr<ConnectorContext> context,
               stream_reader_actor reader, const std::shared_ptr<grpc::Channel>& channel);

// While the breaker is open, probes the PSP's health (grpc.health.v1) when
// the breaker says, and closes it once the PSP is serving. Blocks in the
// probe, so it is spawned detached; ends on stop_atom.
void psp_watch(caf::blocking_actor* self, const std::shared_ptr<ConnectorContext>& context,
               const std::shared_ptr<grpc::Channel>& channel);

}  // namespace platform::connector

// Handed between actors of one process only, never serialized.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<platform::connector::StreamEntry>)
