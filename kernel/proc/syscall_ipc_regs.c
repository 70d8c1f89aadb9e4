/* SPDX-License-Identifier: MIT */
/* Register IPC: the endpoint calls whose message is four words in registers
 * and nothing else (system calls ep_callw, ep_reply_recvw, ep_recvw; see
 * docs/capabilities.md, "Register IPC"). They are the endpoint calls of
 * kernel/ipc.c with a party of their own (struct ipc_rwait), and a port
 * may run them in its trap:
 *
 *   - as ordinary system calls (syscall_dispatch(), sys_ep_*w()), which
 *     block like any other and return the words through arch_user_regs();
 *   - or, where the port offers it, without leaving the trap
 *     (ipc_regs_trap()): no privileged thread context is entered, a call
 *     that must wait is queued without switching (IPC_BLOCKED) and the port
 *     switches away at once, saving only the user context. Such a thread
 *     has no kernel continuation: whoever ends its wait (the partner, a
 *     timeout, a revoke, a kill of its server) leaves the outcome in its
 *     party, and the port calls ipc_regs_resumed() on the way back to user
 *     mode, which writes it into the saved registers.
 *
 * The first keeps the thread's side on its privileged stack while it
 * waits; the second where it outlives the trap (proc_thread_rwait()): in
 * the thread's process slot (Cortex-M, 64 bytes a thread), or below its
 * trap frame on its privileged stack (RV32, ARCH_IPC_RWAIT_BELOW). The
 * common case of the second takes kernel/ipc.c's fast path. The first
 * serves ports without ARCH_HAS_IPC_TRAP, and calls made while a syscall
 * tap is set (which may block).
 *
 * Both ways share the queues with every other endpoint call: a register
 * caller may be served by a server using struct pica_user_ipc and the
 * other way round; a message with bytes or capabilities for a register
 * receiver is refused (-EMSGSIZE, -ENOSPC) as for a receiver without room. */
#include <errno.h>

#include <pica/ipc.h>
#include <pica/proc.h>
#include <pica/user/abi.h>

#include "arch.h"
#include "cap.h"
#include "ipc_fast.h"
#include "ipc_priv.h"
#include "proc_priv.h"
#include "sched.h"
#include "syscall.h"
#include "syscall_handlers.h"

/* Set up @rw, @t's side, for @kind with the words @w (NULL: none). Field
 * by field: this is every register call's path. */
static struct ipc_party *
rwait_begin(struct ipc_rwait *rw, struct pica_thread *t, uint8_t kind, const uint32_t *w,
            uint32_t badge, bool defer)
{
    struct ipc_party *party = &rw->party;
    party->m = &rw->m;
    party->proc = t->proc;
    party->reply = proc_thread_reply(t);
    party->badge = badge;
    party->kind = kind;
    party->ncaps = 0;
    party->nrecv = 0;
    party->got[0] = PICA_USER_IPC_NO_CAP;
    party->got[1] = PICA_USER_IPC_NO_CAP;
    party->defer = defer;
    struct pica_msg *m = &rw->m;
    if (w != NULL) {
        m->w[0] = w[0];
        m->w[1] = w[1];
        m->w[2] = w[2];
        m->w[3] = w[3];
    }
    m->buf = NULL;
    m->len = 0;
    m->room = 0;
    m->badge = 0;
    m->info = 0;
    return party;
}

/* The register call @nr (PICA_SYS_EP_*W) of @t on @ep with the words @w:
 * its result, or IPC_BLOCKED for a deferring call that waits. */
static int
rwait_run(struct ipc_rwait *rw, struct pica_thread *t, uint32_t nr, struct pica_ep *ep,
          uint32_t badge, const uint32_t w[4], pica_timeout_t timeout, bool defer)
{
    struct ipc_party *party;
    switch (nr) {
    case SYSCALL_NR_EP_CALLW:
        party = rwait_begin(rw, t, IPC_CALL, w, badge, defer);
        return ipc_send(ep, party, timeout);
    case SYSCALL_NR_EP_REPLY_RECVW:
        /* No caller (the first round, or it left) is not the receive's
         * error; a caller that wanted bytes learns it from its own call. */
        party = rwait_begin(rw, t, IPC_SEND, w, badge, defer);
        (void)ipc_reply(party->reply, party);
        /* fall through */
    default:
        party = rwait_begin(rw, t, IPC_RECV, NULL, badge, defer);
        return ipc_recv(ep, party, timeout);
    }
}

/* The registers for the outcome @result of the register call whose side
 * is @rw: r0 / a0 and the four words after it. */
static inline __attribute__((always_inline)) uint32_t
rwait_outcome(const struct ipc_rwait *rw, uint32_t *regs, int result)
{
    uint32_t r0 = (uint32_t)result;
    if (result == 0 && rw->party.kind != IPC_SEND) {
        if (rw->party.kind == IPC_RECV) {
            r0 = rw->m.badge | rw->m.info << PICA_USER_MSG_SHIFT;
        }
        regs[1] = rw->m.w[0];
        regs[2] = rw->m.w[1];
        regs[3] = rw->m.w[2];
        regs[4] = rw->m.w[3];
    }
    return r0;
}

/* ---- as ordinary system calls ---- */

static int32_t
rwait_syscall(uint32_t nr, struct pica_ep *ep, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
              uint32_t timeout_us)
{
    /* Its side on the privileged stack, where it waits. */
    struct ipc_rwait rw;
    const uint32_t w[4] = {w0, w1, w2, w3};
    int err = rwait_run(&rw, sched.current, nr, ep, cap_call_badge(), w,
                        syscall_timeout(timeout_us), false);
    return (int32_t)rwait_outcome(&rw, arch_user_regs(), err);
}

int32_t
sys_ep_callw(struct pica_ep *ep, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
             uint32_t timeout_us)
{
    return rwait_syscall(SYSCALL_NR_EP_CALLW, ep, w0, w1, w2, w3, timeout_us);
}

int32_t
sys_ep_reply_recvw(struct pica_ep *ep, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                   uint32_t timeout_us)
{
    return rwait_syscall(SYSCALL_NR_EP_REPLY_RECVW, ep, w0, w1, w2, w3, timeout_us);
}

int32_t
sys_ep_recvw(struct pica_ep *ep, uint32_t timeout_us)
{
    return rwait_syscall(SYSCALL_NR_EP_RECVW, ep, 0, 0, 0, 0, timeout_us);
}

/* ---- in the port's trap ---- */

#if ARCH_HAS_IPC_TRAP
#ifdef ARCH_IPC_RWAIT_BELOW
_Static_assert(sizeof(struct ipc_rwait) <= IPC_RWAIT_ROOM && IPC_RWAIT_ROOM % 16 == 0,
               "the port's room for a waiting call's side");
#endif

#ifndef ARCH_IPC_RWAIT_BELOW
void
ipc_regs_thread_init(struct pica_thread *t)
{
    /* What rwait_begin() would set the same on every call: the fast path
     * below sets only the rest. */
    (void)rwait_begin(proc_thread_rwait(t), t, IPC_RECV, NULL, 0, true);
}
#endif

/* The slot @slot of @t's process if it holds an endpoint with @rights; else
 * NULL and why in *@err. An empty slot has type 0. */
static inline __attribute__((always_inline)) struct pica_cap *
regs_trap_slot(struct pica_thread *t, uint32_t nr, uint32_t slot, int *err)
{
    unsigned rights = nr == SYSCALL_NR_EP_CALLW ? PICA_RIGHT_WRITE : PICA_RIGHT_READ;
    struct pica_cap *c = slot < PICA_CFG_CAP_SLOTS ? &t->proc->caps[slot] : NULL;
    if (c == NULL || c->type != PICA_CAP_EP) {
        *err = -EBADF;
        return NULL;
    }
    if ((c->rights & rights) != rights) {
        *err = -EPERM;
        return NULL;
    }
    return c;
}

/* regs_trap_fast(): the fast path does not apply, and nothing changed. */
#define IPC_SLOW 2

/* The fast path's case (ipc_fast.h): a call or a server's answer and
 * receive, waiting without limit, the words at regs[1..4]. Returns
 * IPC_BLOCKED, the partner's wait ended in full, or IPC_SLOW having
 * changed nothing. Apart from the general way below, so that the common
 * case keeps few registers. */
static inline __attribute__((always_inline)) int
regs_trap_fast(struct pica_thread *t, uint32_t nr, const uint32_t *regs)
{
    int err;
    struct pica_cap *c = regs_trap_slot(t, nr, regs[0], &err);
    if (c == NULL) {
        return IPC_SLOW;
    }
    struct ipc_rwait *rw = proc_thread_rwait(t);
    struct pica_thread *partner;
#ifdef ARCH_IPC_RWAIT_BELOW
    /* On the stack: set up afresh for each call. */
    (void)rwait_begin(rw, t, IPC_RECV, NULL, 0, true);
#endif
    rw->party.badge = c->badge;
    if (nr == SYSCALL_NR_EP_CALLW) {
        rw->party.kind = IPC_CALL;
        partner = ipc_fast_call_locked(c->obj, &rw->party, &regs[1]);
    } else {
        rw->party.kind = IPC_RECV;
        partner = ipc_fast_reply_recv_locked(c->obj, &rw->party, &regs[1]);
    }
    if (partner == NULL) {
        return IPC_SLOW;
    }
    t->user->via = c;
    t->user->badge = c->badge;
    return IPC_BLOCKED;
}

/* The general way: the slot's refusals, deadlines, any partner. */
static __attribute__((noinline)) int
regs_trap_general(struct pica_thread *t, uint32_t nr, uint32_t *regs, uint32_t r5)
{
    /* No hold is needed, since no other thread runs before the trap ends
     * and a thread that waits touches the object no more (its waker or
     * the object's end wakes it). */
    int err;
    struct pica_cap *c = regs_trap_slot(t, nr, regs[0], &err);
    if (c != NULL) {
        uint32_t timeout_us = nr == SYSCALL_NR_EP_RECVW ? regs[1] : r5;
        t->user->via = c;
        t->user->badge = c->badge;
        err = rwait_run(proc_thread_rwait(t), t, nr, c->obj, c->badge, &regs[1],
                        syscall_timeout(timeout_us), true);
        if (err == IPC_BLOCKED) {
            return IPC_BLOCKED;
        }
        t->user->via = NULL;
        t->user->badge = 0;
    }
    regs[0] = rwait_outcome(proc_thread_rwait(t), regs, err);
    return 0;
}

int
ipc_regs_trap(uint32_t nr, uint32_t *regs, uint32_t r5)
{
    struct pica_thread *t = sched.current;
    if (r5 == PICA_SYSCALL_FOREVER && nr != SYSCALL_NR_EP_RECVW &&
        regs_trap_fast(t, nr, regs) == IPC_BLOCKED) {
        return IPC_BLOCKED;
    }
    return regs_trap_general(t, nr, regs, r5);
}

void
ipc_regs_resumed(uint32_t *regs)
{
    struct pica_thread *t = sched.current;
    t->user->via = NULL;
    t->user->badge = 0;
    regs[0] = rwait_outcome(proc_thread_rwait(t), regs, t->wait_result);
}
#endif
