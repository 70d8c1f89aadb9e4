/* SPDX-License-Identifier: MIT */
/* Endpoints and replies (include/pica/ipc.h, docs/capabilities.md).
 *
 * Whoever arrives second at an endpoint does the copy, under the kernel
 * lock: the words, the buffer (at most PICA_CFG_IPC_BUF_MAX bytes, which
 * bounds the masked stretch) and the capabilities. A waiting party's side
 * of the exchange (struct ipc_party) lives on its own stack and is found
 * through t->wait_data. A caller received while it waited stays blocked:
 * it moves from the endpoint's queue to the receiver's reply, keeping its
 * deadline, so one timeout bounds the whole call.
 *
 * Interrupts stay masked for one copy, plus a walk of the replies with a
 * caller (a boost's recomputation) or of the senders whose message a
 * receiver refuses: both bounded by the number of threads.
 *
 * Priority: each reply with a caller is on one list; a thread holding such
 * replies runs at least at its most urgent caller's priority (t->ipc_prio,
 * which thread_prio_update_locked() folds in beside mutex inheritance).
 * The reply's wait queue tells the holder when its caller leaves or changes
 * priority (its changed hook), so the boost follows. */
#include <pica/ipc.h>

#include <errno.h>
#include <string.h>

#include <pica/fast.h>
#include <pica/panic.h>
#include <pica/proc.h>

#include "arch.h"
#include "cap.h"
#include "ipc_priv.h"
#include "region.h"
#include "sched.h"
#include "thread_priv.h"
#include "timeout.h"
#include "uaccess.h"
#include "waitq.h"

struct pica_list ipc_replies = PICA_LIST_INIT(ipc_replies);

/* ---- priority ---- */

/* Recompute @t's boost from the callers of the replies it holds. */
static void
ipc_boost_update_locked(struct pica_thread *t)
{
    unsigned best = 0; /* 0: none; else priority + 1 */
    for (struct pica_list *n = ipc_replies.next; n != &ipc_replies; n = n->next) {
        struct pica_reply *r = pica_container_of(n, struct pica_reply, active);
        struct pica_thread *c = waitq_first_locked(&r->caller);
        if (r->holder == t && c != NULL && (best == 0 || c->prio + 1u < best)) {
            best = c->prio + 1u;
        }
    }
    if (t->ipc_prio != best) {
        t->ipc_prio = (uint8_t)best;
        thread_prio_update_locked(t);
    }
}

/* The reply's caller arrived, left (timeout, kill) or changed priority. */
static void
reply_changed(struct pica_waitq *q)
{
    struct pica_reply *r = pica_container_of(q, struct pica_reply, caller);
    if (r->holder != NULL) {
        ipc_boost_update_locked(r->holder);
    }
}

void
pica_reply_init(struct pica_reply *r)
{
    waitq_init(&r->caller);
    r->caller.changed = reply_changed;
    r->holder = NULL;
    pica_list_init(&r->active);
}

/* Give @r (empty) the blocked caller @c, held by @holder. */
static void
reply_attach_locked(struct pica_reply *r, struct pica_thread *c, struct pica_thread *holder)
{
    reply_hold_locked(r, holder);
    waitq_enqueue_locked(&r->caller, c); /* changed: the holder's boost */
}

/* Empty @r: the caller, if still there, is the caller's to wake. */
static void
reply_detach_locked(struct pica_reply *r)
{
    struct pica_thread *holder = r->holder;
    reply_unhold_locked(r);
    if (holder != NULL) {
        ipc_boost_update_locked(holder);
    }
}

/* ---- the copy ---- */

/* Whether @party's buffer [buf, buf + n) may still be used with @perms:
 * a region may have been revoked since its call was checked. */
static bool
party_buf_ok(const struct ipc_party *party, const void *buf, uint32_t n, unsigned perms)
{
    return n == 0 || party->proc == NULL ||
           proc_access_ok(party->proc, (uint32_t)(uintptr_t)buf, n, perms);
}

/* The buffer's copy, with interrupts masked: by words where both ends
 * allow it (the C library's memcpy goes a byte at a time). */
static void
ipc_copy_bytes(void *dst, const void *src, uint32_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        for (; n >= 4u; n -= 4u, d += 4, s += 4) {
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
        }
    }
    while (n-- > 0) {
        *d++ = *s++;
    }
}

/* Copy @from's message to @to, or change nothing and return why not.
 * Context: kernel lock held. */
static int
ipc_copy_locked(struct ipc_party *from, struct ipc_party *to)
{
    const struct pica_msg *s = from->m;
    struct pica_msg *d = to->m;
    if (s->len > d->room) {
        return -EMSGSIZE;
    }
    if (!party_buf_ok(from, s->buf, s->len, REGION_R) ||
        !party_buf_ok(to, d->buf, s->len, REGION_R | REGION_W)) {
        return -EFAULT;
    }
    if (from->ncaps > 0) {
        if (from->proc == NULL || to->proc == NULL) {
            return -EPERM; /* kernel threads have no slots */
        }
        /* The sender's own faults first (a capability it may not pass),
         * then the receiver's room for them. */
        for (unsigned i = 0; i < from->ncaps; i++) {
            int err = cap_transfer_check_locked(from->proc, from->caps[i], to->proc,
                                                i < to->nrecv ? to->recv[i] : PICA_SLOT_ANY);
            if (err < 0) {
                return err;
            }
        }
        if (from->ncaps > to->nrecv) {
            return -ENOSPC;
        }
    }
    memcpy(d->w, s->w, sizeof d->w);
    d->badge = from->badge;
    d->len = s->len;
    d->info = (from->kind == IPC_CALL ? PICA_MSG_CALL : 0u) |
              (from->proc == NULL ? PICA_MSG_KERNEL : 0u);
    if (s->len > 0) {
        ipc_copy_bytes(d->buf, s->buf, s->len);
    }
    for (unsigned i = 0; i < from->ncaps; i++) {
        to->got[i] = (uint8_t)cap_transfer_locked(from->proc, from->caps[i], to->proc, to->recv[i]);
    }
    return 0;
}

/* ---- endpoints ---- */

int
pica_ep_init(struct pica_ep *ep)
{
    PICA_CHECK(ep != NULL, -EINVAL);
    waitq_init(&ep->senders);
    waitq_init(&ep->receivers);
    ep->bound = NULL;
    ep->sent = 0;
    ep->magic = PICA_EP_MAGIC;
    return 0;
}

int
pica_ep_destroy(struct pica_ep *ep)
{
    PICA_CHECK(ep_ok(ep) && !arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    ep->magic = 0;
    int woken = (int)waitq_wake_all_locked(&ep->senders, -EIDRM);
    woken += (int)waitq_wake_all_locked(&ep->receivers, -EIDRM);
    if (ep->bound != NULL) {
        ep->bound->bound = NULL;
        ep->bound = NULL;
    }
    arch_irq_unlock(key);
    return woken;
}

/* The caller's timeout while it waits for its answer. */
static void
reply_expire(struct pica_timeout *to)
{
    struct pica_thread *t = pica_container_of(to, struct pica_thread, timeout);
    struct pica_waitq *q = t->waiting_on;
    thread_wait_end_locked(t, -ETIMEDOUT);
    q->changed(q); /* reply_changed: the holder's boost */
}

/* Block the running thread, the caller, on @r until the answer comes;
 * @holder received its call. Context: kernel lock held (@key), released
 * on return. */
static int
reply_wait_locked(struct pica_reply *r, struct pica_thread *holder, unsigned key,
                  pica_timeout_t timeout)
{
    reply_hold_locked(r, holder);
    /* PICA_NO_WAIT bounded only the wait for a receiver. */
    pica_tick_t deadline = timeout == PICA_FOREVER || timeout == PICA_NO_WAIT
                               ? SCHED_NO_DEADLINE
                               : tick_now_locked() + (pica_tick_t)timeout;
    if (((struct ipc_party *)sched.current->wait_data)->defer) {
        sched_block_defer_locked(PICA_THREAD_BLOCKED, &r->caller, deadline, reply_expire);
        arch_irq_unlock(key);
        return IPC_BLOCKED;
    }
    return sched_block_locked(key, PICA_THREAD_BLOCKED, &r->caller, deadline, reply_expire);
}

/* A receiver @r of @ep is waiting: give it @self's message. For a call,
 * @self then waits on the receiver's reply. Context: kernel lock held
 * (@key), released on return. */
static int
ep_deliver_locked(struct pica_ep *ep, struct pica_thread *r, struct ipc_party *self, unsigned key,
                  pica_timeout_t timeout)
{
    struct ipc_party *rp = party_of(r);
    int err = ipc_copy_locked(self, rp);
    if (err < 0) {
        arch_irq_unlock(key);
        return err;
    }
    ep->sent++;
    thread_wait_end_locked(r, 0);
    if (self->kind == IPC_CALL) {
        sched.current->wait_data = self;
        return reply_wait_locked(rp->reply, r, key, timeout);
    }
    arch_irq_unlock(key);
    return 0;
}

/* Wait on @q for @self: blocking, or for a deferring party, queued
 * (IPC_BLOCKED). Context: kernel lock held (@key), released on return. */
static int
ipc_block_locked(struct ipc_party *self, struct pica_waitq *q, unsigned key, pica_timeout_t timeout)
{
    sched.current->wait_data = self;
    if (self->defer) {
        waitq_block_defer_locked(q, timeout);
        arch_irq_unlock(key);
        return IPC_BLOCKED;
    }
    return waitq_block_locked(q, key, timeout);
}

int
ipc_send(struct pica_ep *ep, struct ipc_party *self, pica_timeout_t timeout)
{
    if (!self->defer &&
        (!pica_wait_allowed(timeout) || (self->kind == IPC_CALL && arch_in_isr()))) {
        return -EINVAL;
    }
    unsigned key = arch_irq_lock();
    /* A call waits for its answer even when a receiver is there, so it
     * must be able to block before anything is delivered. */
    int err = !ep_ok(ep)                               ? -EINVAL
              : self->kind == IPC_CALL && !self->defer ? sched_may_block(key)
                                                       : 0;
    if (err != 0) {
        arch_irq_unlock(key);
        return err;
    }
    struct pica_thread *r = waitq_first_locked(&ep->receivers);
    if (r != NULL) {
        return ep_deliver_locked(ep, r, self, key, timeout); /* unlocks */
    }
    if (timeout == PICA_NO_WAIT) {
        arch_irq_unlock(key);
        return -EAGAIN;
    }
    /* Woken by a receiver: 0 once the message (and for a call, the
     * answer) arrived, or the copy's error. */
    return ipc_block_locked(self, &ep->senders, key, timeout);
}

/* The notification bound to @ep has bits: hand them to @self.
 * Context: kernel lock held. */
static void
ep_take_notification_locked(struct pica_ep *ep, struct ipc_party *self)
{
    struct pica_msg *m = self->m;
    memset(m->w, 0, sizeof m->w);
    m->w[0] = ntfn_take_locked(ep->bound);
    m->badge = 0;
    m->len = 0;
    m->info = PICA_MSG_NOTIFY;
}

bool
ipc_ep_notify_locked(struct pica_ep *ep)
{
    struct pica_thread *r = waitq_first_locked(&ep->receivers);
    if (r == NULL) {
        return false;
    }
    ep_take_notification_locked(ep, party_of(r));
    thread_wait_end_locked(r, 0);
    return true;
}

int
ipc_recv(struct pica_ep *ep, struct ipc_party *self, pica_timeout_t timeout)
{
    if (!self->defer && (!pica_wait_allowed(timeout) || arch_in_isr())) {
        return -EINVAL;
    }
    unsigned key = arch_irq_lock();
    if (!ep_ok(ep)) {
        arch_irq_unlock(key);
        return -EINVAL;
    }
    if (pica_list_is_linked(&self->reply->active)) {
        if (waitq_first_locked(&self->reply->caller) != NULL) {
            arch_irq_unlock(key);
            return -EBUSY; /* answer it first, or drop it */
        }
        reply_detach_locked(self->reply); /* its caller left */
    }
    if (ep->bound != NULL && ep->bound->word != 0) {
        ep_take_notification_locked(ep, self);
        arch_irq_unlock(key);
        return 0;
    }
    struct pica_thread *s;
    while ((s = waitq_first_locked(&ep->senders)) != NULL) {
        struct ipc_party *sp = party_of(s);
        int err = ipc_copy_locked(sp, self);
        if (err < 0) {
            /* Its message cannot be taken: it learns why, and the next
             * sender is tried. */
            thread_wait_end_locked(s, err);
            continue;
        }
        ep->sent++;
        if (sp->kind == IPC_CALL) {
            /* It stays blocked, now on our reply, with its deadline. */
            pica_list_remove(&s->node);
            s->waiting_on = NULL;
            reply_attach_locked(self->reply, s, sched.current);
        } else {
            thread_wait_end_locked(s, 0);
        }
        arch_irq_unlock(key);
        return 0;
    }
    if (timeout == PICA_NO_WAIT) {
        arch_irq_unlock(key);
        return -EAGAIN;
    }
    return ipc_block_locked(self, &ep->receivers, key, timeout);
}

int
ipc_reply(struct pica_reply *r, struct ipc_party *self)
{
    unsigned key = arch_irq_lock();
    struct pica_thread *c = pica_list_is_linked(&r->active) ? waitq_first_locked(&r->caller) : NULL;
    if (c == NULL) {
        if (pica_list_is_linked(&r->active)) {
            reply_detach_locked(r);
        }
        arch_irq_unlock(key);
        return -ESRCH;
    }
    struct ipc_party *cp = party_of(c);
    int err = ipc_copy_locked(self, cp);
    if (err == 0) {
        cp->m->info &= ~(uint32_t)PICA_MSG_CALL;
    }
    waitq_wake_one_locked(&r->caller, err);
    reply_detach_locked(r);
    arch_irq_unlock(key);
    return err;
}

void
pica_ep_reply_drop(struct pica_reply *r)
{
    if (r == NULL) {
        return;
    }
    unsigned key = arch_irq_lock();
    if (pica_list_is_linked(&r->active)) {
        waitq_wake_one_locked(&r->caller, -EPIPE);
        reply_detach_locked(r);
    }
    arch_irq_unlock(key);
}

void
ipc_thread_killed_locked(struct pica_thread *t)
{
    /* Its callers learn that no answer will come. */
    struct pica_list *n = ipc_replies.next;
    while (n != &ipc_replies) {
        struct pica_list *next = n->next;
        struct pica_reply *r = pica_container_of(n, struct pica_reply, active);
        if (r->holder == t) {
            reply_unhold_locked(r);
            waitq_wake_one_locked(&r->caller, -EPIPE);
        }
        n = next;
    }
    t->ipc_prio = 0;
}

/* ---- the kernel's own calls ---- */

static void
party_init(struct ipc_party *p, struct pica_msg *m, uint8_t kind)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    p->kind = kind;
}

int
pica_ep_send(struct pica_ep *ep, const struct pica_msg *m, pica_timeout_t timeout)
{
    PICA_CHECK(m != NULL && m->len <= PICA_CFG_IPC_BUF_MAX && (m->len == 0 || m->buf != NULL),
               -EINVAL);
    struct ipc_party self;
    party_init(&self, (struct pica_msg *)m, IPC_SEND);
    return ipc_send(ep, &self, timeout);
}

int
pica_ep_call(struct pica_ep *ep, struct pica_msg *m, pica_timeout_t timeout)
{
    PICA_CHECK(m != NULL && m->len <= PICA_CFG_IPC_BUF_MAX && !arch_in_isr() &&
                   ((m->len == 0 && m->room == 0) || m->buf != NULL),
               -EINVAL);
    struct ipc_party self;
    party_init(&self, m, IPC_CALL);
    return ipc_send(ep, &self, timeout);
}

int
pica_ep_recv(struct pica_ep *ep, struct pica_msg *m, struct pica_reply *r, pica_timeout_t timeout)
{
    PICA_CHECK(m != NULL && r != NULL && r->caller.changed == reply_changed &&
                   (m->room == 0 || m->buf != NULL),
               -EINVAL);
    struct ipc_party self;
    party_init(&self, m, IPC_RECV);
    self.reply = r;
    return ipc_recv(ep, &self, timeout);
}

int
pica_ep_reply(struct pica_reply *r, const struct pica_msg *m)
{
    PICA_CHECK(r != NULL && m != NULL && m->len <= PICA_CFG_IPC_BUF_MAX &&
                   (m->len == 0 || m->buf != NULL) && !arch_in_isr(),
               -EINVAL);
    PICA_CHECK(r->caller.changed == reply_changed, -EINVAL);
    struct ipc_party self;
    party_init(&self, (struct pica_msg *)m, IPC_SEND);
    return ipc_reply(r, &self);
}

void
pica_ep_foreach_sender(struct pica_ep *ep, void (*fn)(const struct pica_thread *t, bool call, void *arg),
                       void *arg)
{
    if (!ep_ok(ep) || fn == NULL) {
        return;
    }
    /* A snapshot, so that @fn runs with interrupts enabled. */
    const struct pica_thread *t[8];
    bool call[8];
    unsigned n = 0;
    unsigned key = arch_irq_lock();
    for (struct pica_list *i = ep->senders.head.next; i != &ep->senders.head && n < 8; i = i->next) {
        const struct pica_thread *s = pica_container_of(i, struct pica_thread, node);
        t[n] = s;
        call[n] = party_of(s)->kind == IPC_CALL;
        n++;
    }
    arch_irq_unlock(key);
    for (unsigned i = 0; i < n; i++) {
        fn(t[i], call[i], arg);
    }
}

int
ipc_reply_move(struct pica_reply *from, struct pica_reply *to)
{
    unsigned key = arch_irq_lock();
    struct pica_thread *c = pica_list_is_linked(&from->active) ? waitq_first_locked(&from->caller)
                                                               : NULL;
    int err = -ESRCH;
    if (c != NULL && !pica_list_is_linked(&to->active)) {
        pica_list_remove(&c->node);
        c->waiting_on = NULL;
        reply_attach_locked(to, c, sched.current);
        err = 0;
    }
    if (pica_list_is_linked(&from->active)) {
        reply_detach_locked(from);
    }
    arch_irq_unlock(key);
    return err;
}
