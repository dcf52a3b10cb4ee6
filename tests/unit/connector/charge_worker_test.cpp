// The charge worker's logic, deterministically: CAF's test coordinator runs
// every message on this thread, in order, and its clock moves only when a
// test says so. The PSP is a client that keeps each call for the test to
// answer; the acker is an actor of the acker's interface that records what
// it is sent. No threads, no sockets, no sleeping.
#define CAF_SUITE charge_worker

#include "actors/connector/actors.h"
#include "caf/test/dsl.hpp"
#include "caf/test/unit_test_impl.hpp"

namespace platform::connector {
namespace {

struct MessageTypes : caf::actor_system_config {
  MessageTypes() {
    add_message_type<StreamEntry>("stream_entry");
    add_message_type<Settlement>("settlement");
    add_message_type<ChargeAnswer>("charge_answer");
  }
};

// What the worker told the acker.
struct AckerInbox {
  std::vector<Settlement> settled;
  std::vector<std::string> released;
};

acker_actor::behavior_type RecordingAcker(acker_actor::pointer,
                                          const std::shared_ptr<AckerInbox>& inbox) {
  return {
      [inbox](settle_atom, const Settlement& s) { inbox->settled.push_back(s); },
      [inbox](release_atom, const std::string& entry_id) { inbox->released.push_back(entry_id); },
      [](reader_atom, const stream_reader_actor&) {},
      [](stop_atom) {},
  };
}

// A PSP whose calls wait for the test to answer them.
class HeldCalls final : public PspClient {
 public:
  struct Call {
    StreamEntry entry;
    ChargeDone done;
  };

  void Charge(const StreamEntry& entry, ChargeDone done) override {
    calls.push_back({entry, std::move(done)});
  }

  std::vector<Call> calls;
};

ConnectorConfig Settings() {
  ConnectorConfig config;
  config.max_attempts = 3;
  config.backoff_base = absl::Milliseconds(100);
  config.backoff_max = absl::Seconds(2);
  config.breaker_failures = 2;
  config.breaker_open = absl::Seconds(1);
  config.breaker_open_max = absl::Seconds(10);
  config.psp_deadline = absl::Seconds(5);
  return config;
}

StreamEntry Entry(const std::string& id) {
  StreamEntry entry;
  entry.entry_id = "1-" + id;
  entry.transaction_id = "tx_" + id;
  entry.user_id = 7;
  entry.amount = 100;
  entry.currency = "USD";
  return entry;
}

psp::v1::ChargeResponse Approved(const std::string& reference) {
  psp::v1::ChargeResponse response;
  response.set_outcome(psp::v1::APPROVED);
  response.set_psp_reference(reference);
  return response;
}

psp::v1::ChargeResponse Declined(const std::string& reason) {
  psp::v1::ChargeResponse response;
  response.set_outcome(psp::v1::DECLINED);
  response.set_decline_reason(reason);
  return response;
}

const grpc::Status kUnavailable(grpc::StatusCode::UNAVAILABLE, "connection refused");

struct Fixture : test_coordinator_fixture<MessageTypes> {
  Fixture()
      : context(std::make_shared<ConnectorContext>(Settings())),
        inbox(std::make_shared<AckerInbox>()),
        psp(std::make_shared<HeldCalls>()) {
    acker = sys.spawn(RecordingAcker, inbox);
    worker = sys.spawn(charge_worker, context, acker, psp);
    Deliver();
  }

  // Runs every message sent so far, and what they send in turn; a delayed
  // message waits for the clock (the fixture's own run() would fire every
  // pending timeout too, however far off).
  void Deliver() { sched.run(); }

  ~Fixture() override {
    // The calls kept unanswered hold the worker's handle: end both actors.
    psp->calls.clear();
    self->send_exit(worker, caf::exit_reason::user_shutdown);
    self->send_exit(acker, caf::exit_reason::user_shutdown);
    Deliver();
  }

  // The reader's message: charge this entry.
  void Charge(const StreamEntry& entry) {
    self->send(worker, charge_atom::value, entry);
    Deliver();
  }

  // The PSP answers call `i`; the answer reaches the worker as a message.
  void Answer(size_t i, const grpc::Status& status, const psp::v1::ChargeResponse& response = {}) {
    psp->calls.at(i).done(status, response);
    Deliver();
  }

  std::shared_ptr<ConnectorContext> context;
  std::shared_ptr<AckerInbox> inbox;
  std::shared_ptr<HeldCalls> psp;
  acker_actor acker;
  charge_worker_actor worker;
};

}  // namespace
}  // namespace platform::connector

using namespace platform::connector;

CAF_TEST_FIXTURE_SCOPE(charge_worker_tests, Fixture)

CAF_TEST(an approved charge is settled approved with the psp reference) {
  Charge(Entry("a"));
  CAF_REQUIRE_EQUAL(psp->calls.size(), 1u);
  CAF_CHECK_EQUAL(psp->calls[0].entry.transaction_id, "tx_a");
  Answer(0, grpc::Status::OK, Approved("psp_1"));
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 1u);
  CAF_CHECK_EQUAL(inbox->settled[0].entry.entry_id, "1-a");
  CAF_CHECK_EQUAL(inbox->settled[0].status, "approved");
  CAF_CHECK_EQUAL(inbox->settled[0].psp_reference, "psp_1");
  CAF_CHECK_EQUAL(inbox->settled[0].attempts, 1);
  CAF_CHECK(inbox->released.empty());
}

CAF_TEST(a decline is final and keeps the psp reason) {
  Charge(Entry("b"));
  Answer(0, grpc::Status::OK, Declined("insufficient_funds"));
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 1u);
  CAF_CHECK_EQUAL(inbox->settled[0].status, "declined");
  CAF_CHECK_EQUAL(inbox->settled[0].reason, "insufficient_funds");
  CAF_CHECK_EQUAL(psp->calls.size(), 1u);  // no retry of a decline
}

CAF_TEST(a key the reclaimer cancelled first ends failed not declined) {
  Charge(Entry("c"));
  Answer(0, grpc::Status::OK, Declined("cancelled"));
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 1u);
  CAF_CHECK_EQUAL(inbox->settled[0].status, "failed");
  CAF_CHECK_EQUAL(inbox->settled[0].reason, "no outcome from the PSP in time");
}

CAF_TEST(an entry no one can read is failed without calling the psp) {
  StreamEntry unreadable;
  unreadable.entry_id = "1-x";
  Charge(unreadable);
  CAF_CHECK(psp->calls.empty());
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 1u);
  CAF_CHECK_EQUAL(inbox->settled[0].status, "failed");
  CAF_CHECK_EQUAL(inbox->settled[0].reason, "unreadable stream entry");
}

CAF_TEST(a refusal that cannot pass is failed at once) {
  Charge(Entry("d"));
  Answer(0, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad currency"));
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 1u);
  CAF_CHECK_EQUAL(inbox->settled[0].status, "failed");
  CAF_CHECK_EQUAL(inbox->settled[0].reason, "PSP refused the charge: bad currency");
  CAF_CHECK_EQUAL(psp->calls.size(), 1u);
}

CAF_TEST(a transient error is retried after a jittered backoff that doubles) {
  Charge(Entry("e"));
  Answer(0, grpc::Status(grpc::StatusCode::INTERNAL, "psp hiccup"));
  // Attempt 2 comes after half to all of RETRY_BACKOFF_MS (100 ms), not before.
  sched.clock().advance_time(std::chrono::milliseconds(49));
  Deliver();
  CAF_CHECK_EQUAL(psp->calls.size(), 1u);
  sched.clock().advance_time(std::chrono::milliseconds(51));
  Deliver();
  CAF_REQUIRE_EQUAL(psp->calls.size(), 2u);
  CAF_CHECK_EQUAL(psp->calls[1].entry.transaction_id, "tx_e");
  // Attempt 3 after half to all of 200 ms.
  Answer(1, grpc::Status(grpc::StatusCode::INTERNAL, "psp hiccup"));
  sched.clock().advance_time(std::chrono::milliseconds(99));
  Deliver();
  CAF_CHECK_EQUAL(psp->calls.size(), 2u);
  sched.clock().advance_time(std::chrono::milliseconds(101));
  Deliver();
  CAF_REQUIRE_EQUAL(psp->calls.size(), 3u);
  Answer(2, grpc::Status::OK, Approved("psp_3"));
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 1u);
  CAF_CHECK_EQUAL(inbox->settled[0].attempts, 3);
  CAF_CHECK_EQUAL(context->metrics.retried.load(), 2u);
}

CAF_TEST(after max attempts the delivery is handed back not failed) {
  Charge(Entry("f"));
  for (size_t attempt = 0; attempt < 3; ++attempt) {
    CAF_REQUIRE_EQUAL(psp->calls.size(), attempt + 1);
    Answer(attempt, grpc::Status(grpc::StatusCode::ABORTED, "try later"));
    sched.clock().advance_time(std::chrono::seconds(2));
    Deliver();
  }
  CAF_CHECK_EQUAL(psp->calls.size(), 3u);  // MAX_ATTEMPTS, then no more
  CAF_CHECK(inbox->settled.empty());
  CAF_REQUIRE_EQUAL(inbox->released.size(), 1u);
  CAF_CHECK_EQUAL(inbox->released[0], "1-f");
}

CAF_TEST(while the psp is down charges are held with their attempts unspent) {
  // BREAKER_FAILURES (2) unreachable answers in a row open the circuit.
  Charge(Entry("g"));
  Charge(Entry("h"));
  Answer(0, kUnavailable);
  Answer(1, kUnavailable);
  CAF_CHECK(context->breaker.open());
  // Whatever comes now is held: no call, nothing settled or handed back,
  // however often the clock moves, until the breaker lets calls through.
  Charge(Entry("i"));
  for (int i = 0; i < 5; ++i) {
    sched.clock().advance_time(std::chrono::milliseconds(100));
    Deliver();
  }
  CAF_CHECK_EQUAL(psp->calls.size(), 2u);
  CAF_CHECK(inbox->settled.empty());
  CAF_CHECK(inbox->released.empty());
}

CAF_TEST(each entry is charged under its own transaction id as the key) {
  Charge(Entry("j"));
  Charge(Entry("k"));
  CAF_REQUIRE_EQUAL(psp->calls.size(), 2u);
  Answer(1, grpc::Status::OK, Approved("psp_k"));
  Answer(0, grpc::Status::OK, Approved("psp_j"));
  CAF_REQUIRE_EQUAL(inbox->settled.size(), 2u);
  CAF_CHECK_EQUAL(inbox->settled[0].entry.transaction_id, "tx_k");
  CAF_CHECK_EQUAL(inbox->settled[1].entry.transaction_id, "tx_j");
}

CAF_TEST_FIXTURE_SCOPE_END()
