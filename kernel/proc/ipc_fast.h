/* SPDX-License-Identifier: MIT */
/* Register IPC's fast path (kernel/proc/syscall_ipc_regs.c): the exchange
 * of a call or a server's answer run in the port's trap, inline there, for
 * calls that wait without a deadline. Context: the trap, at the kernel
 * lock's level.
 *
 * It is the common case done without the general copy, party checks,
 * wait-queue hooks and wake-up calls: the partner waits in register IPC
 * too, so only words move, and nothing else is queued where the general
 * path would look. The partner's wait ends
 * here in full: its outcome goes straight into its saved registers and the
 * port is told it may resume it as any thread preempted in user mode
 * (arch_user_wait_over()), which lets the port switch to it directly. Any
 * other case returns NULL having changed nothing, and the general way gives
 * the same outcome. */
#pragma once

#include <pica/user/abi.h>

#include "arch.h"
#include "ipc_priv.h"
#include "sched.h"
#include "timeout.h"
#include "waitq.h"

/* Whether @t waits in a register call run in the trap, of @kind, and may
 * be woken here: not to be suspended as it wakes, no deadline to cancel. */
static inline bool
party_defers(const struct pica_thread *t, uint8_t kind)
{
    const struct ipc_party *p = party_of(t);
    return p->defer && p->kind == kind && !t->suspend_pending && !timeout_is_armed(&t->timeout);
}

/* End the wait of @p (as party_defers()) with @info's outcome (0: an answer;
 * PICA_MSG_CALL: a call received, from @badge) and the words @w, and make
 * it ready. */
static inline __attribute__((always_inline)) void
fast_wake_locked(struct pica_thread *p, uint32_t badge, uint32_t info, const uint32_t *w)
{
#if ARCH_HAS_IPC_TRAP
    uint32_t *regs = arch_user_wait_regs(p);
    regs[0] = info != 0 ? badge | info << PICA_USER_MSG_SHIFT : 0u;
    regs[1] = w[0];
    regs[2] = w[1];
    regs[3] = w[2];
    regs[4] = w[3];
    p->user->via = NULL;
    p->user->badge = 0;
    arch_user_wait_over(p);
#else
    /* A port without the trap (the host's, in tests): into its party, for
     * the thread to find as it returns from its wait. */
    struct pica_msg *m = party_of(p)->m;
    m->w[0] = w[0];
    m->w[1] = w[1];
    m->w[2] = w[2];
    m->w[3] = w[3];
    m->badge = badge;
    m->info = info;
    p->wait_result = 0;
#endif
    pica_list_remove(&p->node);
    p->waiting_on = NULL;
    p->state = PICA_THREAD_READY;
    p->slice_left = PICA_CFG_TIME_SLICE_TICKS;
    sched_ring_insert_locked(p, false);
}

/* A call (@self of kind IPC_CALL, set up) with the words @w to a register
 * receiver waiting on @ep. Leaves the running thread waiting for the answer
 * (as IPC_BLOCKED would) and returns the receiver, whose wait it ended in
 * full and made ready; or NULL, having changed nothing. */
static inline __attribute__((always_inline)) struct pica_thread *
ipc_fast_call_locked(struct pica_ep *ep, struct ipc_party *self, const uint32_t *w)
{
    struct pica_thread *t = sched.current;
    struct pica_thread *r = ep_ok(ep) ? waitq_first_locked(&ep->receivers) : NULL;
    /* The receiver must hold no other caller and be as urgent as the
     * caller or more: its boost is then this caller's priority alone,
     * which changes nothing of its own, so no recomputation is needed.
     * (Who runs next is the scheduler's choice, as always.) */
    if (r == NULL || r->ipc_prio != 0 || r->prio > t->prio || !party_defers(r, IPC_RECV)) {
        return NULL;
    }
    struct pica_reply *reply = party_of(r)->reply;
    if (pica_list_is_linked(&reply->active) || !pica_list_empty(&reply->caller.head)) {
        return NULL;
    }
    ep->sent++;
    /* The caller waits on the receiver's reply (reply_attach_locked()
     * and its boost, without the walk), out of the ready set first so
     * that a receiver of its priority heads the ring if it was alone. */
    sched_unready_locked(t);
    t->state = PICA_THREAD_BLOCKED;
    t->wait_data = self;
    t->waiting_on = &reply->caller;
    pica_list_append(&reply->caller.head, &t->node);
    reply_hold_locked(reply, r);
    r->ipc_prio = (uint8_t)(t->prio + 1u);
    fast_wake_locked(r, self->badge, PICA_MSG_CALL, w);
    return r;
}

/* An answer with @w to a register caller, before a receive (@self of kind
 * IPC_RECV) on @ep that must wait. Leaves the running thread waiting there
 * and returns the caller, as ipc_fast_call_locked() does. */
static inline __attribute__((always_inline)) struct pica_thread *
ipc_fast_reply_recv_locked(struct pica_ep *ep, struct ipc_party *self, const uint32_t *w)
{
    struct pica_thread *t = sched.current;
    struct pica_reply *reply = self->reply;
    struct pica_thread *c;
    /* A register caller to answer, and nothing to receive: the receive
     * waits. The answer drops the caller's boost without the walk when it
     * is the only reply with a caller the server holds and the boost
     * decides nothing of its priority (less urgent than it, or its own
     * priority is its base one, which no boost can make less urgent). */
    if (!ep_ok(ep) || !pica_list_is_linked(&reply->active) || t->ipc_held != 1 ||
        (t->ipc_prio - 1u <= t->prio && t->base_prio != t->prio) ||
        (c = waitq_first_locked(&reply->caller)) == NULL || !party_defers(c, IPC_CALL) ||
        !pica_list_empty(&ep->senders.head) || (ep->bound != NULL && ep->bound->word != 0)) {
        return NULL;
    }
    /* reply_unhold_locked(), knowing the holder and its count of one. */
    pica_list_remove(&reply->active);
    reply->holder = NULL;
    t->ipc_held = 0;
    t->ipc_prio = 0;
    fast_wake_locked(c, self->badge, 0, w);
    /* The receive waits: first at an endpoint no one else waits on, the
     * common case, without the queue's priority walk (a receivers' queue
     * has no changed hook). */
    sched_unready_locked(t);
    t->state = PICA_THREAD_BLOCKED;
    t->wait_data = self;
    if (pica_list_empty(&ep->receivers.head)) {
        t->waiting_on = &ep->receivers;
        pica_list_append(&ep->receivers.head, &t->node);
    } else {
        waitq_enqueue_locked(&ep->receivers, t);
    }
    return c;
}
