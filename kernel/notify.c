/* SPDX-License-Identifier: MIT */
/* Notifications (include/pica/ipc.h): a word of bits that signals OR in
 * and a wait takes whole. A signal never blocks and does a bounded amount
 * of work (one wake-up), so interrupt handlers use it. Bits signalled while
 * nobody waits are kept, and a waiter takes all of them at once: a
 * thousand signals of one bit before the waiter runs are one wake-up, but
 * signals of different bits are never lost. */
#include <pica/ipc.h>

#include <errno.h>

#include <pica/fast.h>
#include <pica/irq.h>
#include <pica/panic.h>

#include "arch.h"
#include "ipc_priv.h"
#include "waitq.h"

static bool
ntfn_ok(const struct pica_ntfn *n)
{
    return n != NULL && n->magic == PICA_NTFN_MAGIC;
}

int
pica_ntfn_init(struct pica_ntfn *n)
{
    PICA_CHECK(n != NULL, -EINVAL);
    n->word = 0;
    waitq_init(&n->waiters);
    n->bound = NULL;
    n->irq = NULL;
    n->signals = 0;
    n->magic = PICA_NTFN_MAGIC;
    return 0;
}

int
pica_ntfn_destroy(struct pica_ntfn *n)
{
    PICA_CHECK(ntfn_ok(n) && !arch_in_isr(), -EINVAL);
    if (n->irq != NULL) {
        pica_irq_cap_unbind(n->irq); /* no interrupt signals it any more */
    }
    unsigned key = arch_irq_lock();
    n->magic = 0;
    int woken = (int)waitq_wake_all_locked(&n->waiters, -EIDRM);
    if (n->bound != NULL) {
        n->bound->bound = NULL;
        n->bound = NULL;
    }
    n->word = 0;
    arch_irq_unlock(key);
    return woken;
}

uint32_t
ntfn_take_locked(struct pica_ntfn *n)
{
    uint32_t word = n->word;
    n->word = 0;
    return word;
}

int
pica_ntfn_signal(struct pica_ntfn *n, uint32_t bits)
{
    unsigned key = arch_irq_lock();
    if (!ntfn_ok(n)) {
        arch_irq_unlock(key);
        return -EINVAL;
    }
    n->signals++;
    n->word |= bits & PICA_NTFN_BITS;
    if (n->word != 0) {
        struct pica_thread *t = waitq_first_locked(&n->waiters);
        if (t != NULL) {
            /* The word is the waiter's result: taken as it wakes, so a
             * signal after this one starts a new word. */
            waitq_wake_one_locked(&n->waiters, (int)ntfn_take_locked(n));
        } else if (n->bound != NULL) {
            (void)ipc_ep_notify_locked(n->bound);
        }
    }
    arch_irq_unlock(key);
    return 0;
}

int32_t
pica_ntfn_wait(struct pica_ntfn *n, pica_timeout_t timeout)
{
    PICA_CHECK(pica_wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    if (!ntfn_ok(n)) {
        arch_irq_unlock(key);
        return -EINVAL;
    }
    if (n->word != 0) {
        int32_t word = (int32_t)ntfn_take_locked(n);
        arch_irq_unlock(key);
        return word;
    }
    if (timeout == PICA_NO_WAIT) {
        arch_irq_unlock(key);
        return -EAGAIN;
    }
    return waitq_block_locked(&n->waiters, key, timeout);
}

int32_t
pica_ntfn_poll(struct pica_ntfn *n)
{
    unsigned key = arch_irq_lock();
    int32_t word = ntfn_ok(n) ? (int32_t)ntfn_take_locked(n) : -EINVAL;
    arch_irq_unlock(key);
    return word;
}

int
pica_ep_bind(struct pica_ep *ep, struct pica_ntfn *n)
{
    PICA_CHECK(ep != NULL && ntfn_ok(n) && !arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (ep->magic != PICA_EP_MAGIC || !ntfn_ok(n)) {
        err = -EINVAL;
    } else if (ep->bound != NULL || n->bound != NULL) {
        err = ep->bound == n ? 0 : -EBUSY;
    } else {
        ep->bound = n;
        n->bound = ep;
        if (n->word != 0) {
            (void)ipc_ep_notify_locked(ep); /* bits already there */
        }
    }
    arch_irq_unlock(key);
    return err;
}

/* ---- interrupts to user drivers ---- */

static void
irq_cap_handler(void *arg)
{
    struct pica_irq_cap *c = arg;
    /* Masked until the driver has served the device and acknowledged. */
    (void)pica_irq_disable(c->line);
    c->masked = true;
    c->count++;
    (void)pica_ntfn_signal(c->ntfn, c->bits);
}

int
pica_irq_cap_init(struct pica_irq_cap *c, unsigned line, unsigned prio, unsigned flags)
{
    PICA_CHECK(c != NULL && line <= UINT16_MAX && prio <= 7 && (flags & ~PICA_IRQ_CAP_LEVEL) == 0,
               -EINVAL);
    c->line = (uint16_t)line;
    c->prio = (uint8_t)prio;
    c->flags = (uint8_t)flags;
    c->masked = false;
    c->ntfn = NULL;
    c->bits = 0;
    c->count = 0;
    c->magic = PICA_IRQ_CAP_MAGIC;
    return 0;
}

int
pica_irq_cap_bind(struct pica_irq_cap *c, struct pica_ntfn *n, uint32_t bits)
{
    PICA_CHECK(c != NULL && c->magic == PICA_IRQ_CAP_MAGIC && ntfn_ok(n) && bits != 0 &&
                   !arch_in_isr(),
               -EINVAL);
    unsigned key = arch_irq_lock();
    bool free = c->ntfn == NULL && n->irq == NULL;
    if (free) {
        c->ntfn = n;
        c->bits = bits;
        n->irq = c;
    }
    arch_irq_unlock(key);
    if (!free) {
        return -EBUSY;
    }
    int err = pica_irq_attach(c->line, irq_cap_handler, c, c->prio);
    if (err != 0) {
        key = arch_irq_lock();
        c->ntfn = NULL;
        n->irq = NULL;
        arch_irq_unlock(key);
        return err;
    }
    c->masked = false;
    return pica_irq_enable(c->line);
}

int
pica_irq_cap_ack(struct pica_irq_cap *c)
{
    if (c == NULL || c->magic != PICA_IRQ_CAP_MAGIC || c->ntfn == NULL) {
        return -EINVAL;
    }
    if (c->flags & PICA_IRQ_CAP_LEVEL) {
        /* Latched while the device was still asserting it, before the
         * driver served it: not a new request. */
        arch_irq_clear_pending(c->line);
    }
    c->masked = false;
    return pica_irq_enable(c->line);
}

void
pica_irq_cap_unbind(struct pica_irq_cap *c)
{
    if (c == NULL || c->ntfn == NULL) {
        return;
    }
    (void)pica_irq_detach(c->line);
    unsigned key = arch_irq_lock();
    c->ntfn->irq = NULL;
    c->ntfn = NULL;
    c->masked = false;
    arch_irq_unlock(key);
}
