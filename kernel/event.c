/* SPDX-License-Identifier: MIT */
/* Event flags (include/pica/event.h). A waiter's mask and options live on
 * its own stack while it blocks (wait_data points to them); a set walks the
 * whole wait queue, waking in priority order every waiter it satisfies,
 * and applies the clears afterwards so the outcome does not depend on the
 * order in which waiters are considered. */
#include <pica/event.h>

#include <errno.h>
#include <pica/fast.h>
#include <pica/panic.h>
#include <stdbool.h>

#include "arch.h"
#include "sched.h"
#include "waitq.h"

#define EV_OPTIONS (PICA_EV_ALL | PICA_EV_CLEAR)

struct event_wait {
    uint32_t bits;
    unsigned options;
};

/* The bits of @have that satisfy a wait for @want with @options, or 0. */
static uint32_t
event_match(uint32_t have, uint32_t want, unsigned options)
{
    uint32_t got = have & want;
    if (options & PICA_EV_ALL) {
        return got == want ? got : 0;
    }
    return got;
}

/* pica_event_init() ran: a zeroed object has a NULL list head. */
static bool
event_is_ready(const struct pica_event *e)
{
    return e != NULL && e->waiters.head.next != NULL;
}

static bool
bits_are_valid(uint32_t bits)
{
    return bits != 0 && (bits & ~PICA_EV_BITS) == 0;
}

int
pica_event_init(struct pica_event *e)
{
    PICA_CHECK(e != NULL, -EINVAL);
    e->bits = 0;
    waitq_init(&e->waiters);
    return 0;
}

int
pica_event_set(struct pica_event *e, uint32_t bits)
{
    PICA_CHECK(event_is_ready(e) && bits_are_valid(bits), -EINVAL);
    unsigned key = arch_irq_lock();
    e->bits |= bits;
    uint32_t consumed = 0;
    struct pica_list *head = &e->waiters.head;
    for (struct pica_list *p = head->next, *next; p != head; p = next) {
        next = p->next; /* waking unlinks p */
        struct pica_thread *t = pica_container_of(p, struct pica_thread, node);
        const struct event_wait *w = t->wait_data;
        uint32_t got = event_match(e->bits, w->bits, w->options);
        if (got != 0) {
            if (w->options & PICA_EV_CLEAR) {
                consumed |= got;
            }
            /* waitq.h wakes only the first waiter; this one may be further
             * back, so end its wait as waitq_wake_one_locked() would. */
            waitq_wake_thread_locked(t, (int)got);
        }
    }
    e->bits &= ~consumed;
    arch_irq_unlock(key);
    return 0;
}

int
pica_event_clear(struct pica_event *e, uint32_t bits)
{
    PICA_CHECK(event_is_ready(e) && (bits & ~PICA_EV_BITS) == 0, -EINVAL);
    unsigned key = arch_irq_lock();
    e->bits &= ~bits;
    arch_irq_unlock(key);
    return 0;
}

int
pica_event_destroy(struct pica_event *e)
{
    PICA_CHECK(event_is_ready(e), -EINVAL);
    unsigned key = arch_irq_lock();
    int woken = (int)waitq_wake_all_locked(&e->waiters, -EIDRM);
    e->bits = 0;
    e->waiters.head.next = NULL; /* as if never initialised */
    arch_irq_unlock(key);
    return woken;
}

uint32_t
pica_event_get(const struct pica_event *e)
{
    return e != NULL ? e->bits : 0;
}

int
pica_event_wait(struct pica_event *e, uint32_t bits, unsigned options, pica_timeout_t timeout)
{
    PICA_CHECK(event_is_ready(e) && bits_are_valid(bits), -EINVAL);
    PICA_CHECK((options & ~EV_OPTIONS) == 0, -EINVAL);
    PICA_CHECK(pica_wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    int result;
    uint32_t got = event_match(e->bits, bits, options);
    if (got != 0) {
        if (options & PICA_EV_CLEAR) {
            e->bits &= ~got;
        }
        result = (int)got;
    } else if (timeout == PICA_NO_WAIT) {
        result = -EAGAIN;
    } else {
        /* On this stack until the wait ends; pica_event_set() reads it. */
        struct event_wait w = {bits, options};
        sched.current->wait_data = &w;
        return waitq_block_locked(&e->waiters, key, timeout);
    }
    arch_irq_unlock(key);
    return result;
}
