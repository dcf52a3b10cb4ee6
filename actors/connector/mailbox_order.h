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

#include <utility>

#include "caf/actor.hpp"
#include "caf/local_actor.hpp"
#include "caf/message.hpp"

namespace platform::connector {

// Messages for the worker pool may reach any worker: one mailbox for all.
inline constexpr char kPoolMailbox = 0;

// What this thread did so far happens before whatever a later
// TsanAcquire(token) on another thread does (for TSan only).
void TsanRelease(const void* token);
void TsanAcquire(const void* token);

// An actor's mailbox: its control block, the same for every handle to it.
inline const void* MailboxOf(const caf::actor& actor) {
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

// self->send(to, xs...), ordered for TSan.
template <class Self, class... Ts>
void Tell(Self* self, const caf::actor& to, Ts&&... xs) {
  self->send(to, MessageFor(MailboxOf(to), std::forward<Ts>(xs)...));
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
  ~HandlerTurn() { TsanRelease(token_); }
  HandlerTurn(const HandlerTurn&) = delete;
  HandlerTurn& operator=(const HandlerTurn&) = delete;

 private:
  const void* token_;
};

}  // namespace platform::connector
