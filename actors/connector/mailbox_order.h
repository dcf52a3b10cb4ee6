#pragma once

// Happens-before across CAF's mailboxes, told to ThreadSanitizer.
//
// Debian's CAF is not built with TSan, so TSan cannot see that enqueuing a
// message happens before its handler runs, nor that the scheduler runs one
// actor's handlers one after another: every message's contents and every
// actor's state would look raced. Suppressing reports that pass through
// libcaf_core would hide every race an actor takes part in. Instead, every
// send of ours releases the receiver's mailbox and every handler of ours
// acquires its own first: TSan then sees exactly the order CAF promises,
// and still reports any access to shared state that no message orders.
// Outside a TSan build these do nothing.

#include <type_traits>
#include <utility>

#include "absl/time/time.h"
#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_clock.hpp"
#include "caf/check_typed_input.hpp"
#include "caf/local_actor.hpp"
#include "caf/mailbox_element.hpp"
#include "caf/message.hpp"
#include "caf/response_type.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"

namespace platform::connector {

// Messages for the worker pool may reach any worker: one mailbox for all.
inline constexpr char kPoolMailbox = 0;

// Everything an actor of ours did happens before main() tears down what
// the actors shared: CAF waits for its actors to end inside libcaf_core,
// out of TSan's sight, so each handler turn and each detached actor's run
// releases this at its end, and main() acquires it once the actor system
// is gone (ActorsEnded).
inline constexpr char kActorsEnded = 0;

// What this thread did so far happens before whatever a later
// TsanAcquire(token) on another thread does (for TSan only).
void TsanRelease(const void* token);
void TsanAcquire(const void* token);

// An actor's mailbox: its control block, the same for every handle to it.
template <class Handle>
requires(!std::is_pointer_v<Handle>) const void* MailboxOf(const Handle& actor) {
  return caf::actor_cast<caf::actor_control_block*>(actor);
}
inline const void* MailboxOf(caf::local_actor* self) { return self->ctrl(); }

// The message made here, then released to `token`: a message built inside
// send() would be written after any release of ours.
template <class... Ts>
caf::message MessageFor(const void* token, Ts&&... xs) {
  caf::message message = caf::make_message(std::forward<Ts>(xs)...);
  TsanRelease(token);
  return message;
}

// Whether an actor behind a handle of type `Handle` takes a message of
// `Ts...`: always for an untyped caf::actor; for a typed one, when its
// interface lists it (the check CAF's own send makes).
template <class Handle, class... Ts>
inline constexpr bool kAccepts = caf::response_type_unbox<
    caf::signatures_of_t<Handle>,
    caf::detail::type_list<caf::detail::strip_and_convert_t<Ts>...>>::valid;

// self->send(to, xs...), ordered for TSan; `to` may be typed or not.
template <class Self, class Handle, class... Ts>
void Tell(Self* self, const Handle& to, Ts&&... xs) {
  static_assert(kAccepts<Handle, Ts...>, "the receiver's interface does not take this message");
  caf::message message = MessageFor(MailboxOf(to), std::forward<Ts>(xs)...);
  caf::actor_cast<caf::abstract_actor*>(to)->enqueue(self->ctrl(), caf::make_message_id(),
                                                     std::move(message), self->context());
}

// The same, delivered once `delay` has passed on the actor system's clock
// (which a deterministic test advances by hand).
template <class Self, class Handle, class... Ts>
void TellLater(Self* self, const Handle& to, absl::Duration delay, Ts&&... xs) {
  static_assert(kAccepts<Handle, Ts...>, "the receiver's interface does not take this message");
  caf::message message = MessageFor(MailboxOf(to), std::forward<Ts>(xs)...);
  caf::actor_clock& clock = self->clock();
  clock.schedule_message(
      clock.now() + absl::ToChronoNanoseconds(delay), caf::actor_cast<caf::strong_actor_ptr>(to),
      caf::make_mailbox_element(self->ctrl(), caf::make_message_id(), {}, std::move(message)));
}

// A message from outside any actor (a gRPC callback), ordered for TSan.
template <class Handle, class... Ts>
void TellFromOutside(const Handle& to, Ts&&... xs) {
  static_assert(kAccepts<Handle, Ts...>, "the receiver's interface does not take this message");
  caf::anon_send(caf::actor_cast<caf::actor>(to),
                 MessageFor(MailboxOf(to), std::forward<Ts>(xs)...));
}

// A blocking actor's handler's first step: what was sent to it happened
// before. (A blocking actor runs on its own thread.)
inline void Received(caf::local_actor* self) { TsanAcquire(MailboxOf(self)); }

// For the length of a scheduled actor's handler: what was sent to it (or
// to `also`, a pool it belongs to) and what its previous handler did, maybe
// on another scheduler thread, happened before.
class HandlerTurn {
 public:
  explicit HandlerTurn(caf::local_actor* self, const void* also = nullptr)
      : token_(MailboxOf(self)) {
    TsanAcquire(token_);
    if (also != nullptr) TsanAcquire(also);
  }
  ~HandlerTurn() {
    TsanRelease(token_);
    TsanRelease(&kActorsEnded);
  }
  HandlerTurn(const HandlerTurn&) = delete;
  HandlerTurn& operator=(const HandlerTurn&) = delete;

 private:
  const void* token_;
};

// The whole run of a detached actor (one per function, first thing): what
// it did happens before ActorsEnded().
class DetachedRun {
 public:
  DetachedRun() = default;
  ~DetachedRun() { TsanRelease(&kActorsEnded); }
  DetachedRun(const DetachedRun&) = delete;
  DetachedRun& operator=(const DetachedRun&) = delete;
};

// In main(), after the actor system's destructor returned.
inline void ActorsEnded() { TsanAcquire(&kActorsEnded); }

}  // namespace platform::connector
