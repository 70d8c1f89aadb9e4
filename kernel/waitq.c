/* SPDX-License-Identifier: MIT */
/* Wait queues (kernel/waitq.h): ordered insertion, blocking with a timeout
 * and waking. A woken thread's wait result is set by the waker before the
 * thread runs again, so there is exactly one outcome per wait: the object's
 * wake-up and the timeout both go through thread_wait_end_locked(), and
 * whichever comes first removes the thread from both the queue and the
 * timeout list. */
#include "waitq.h"

#include <errno.h>
#include <pica/panic.h>

#include "arch.h"
#include "sched.h"
#include "thread_priv.h"
#include "timeout.h"

void
waitq_init(struct pica_waitq *q)
{
    pica_list_init(&q->head);
    q->changed = NULL;
}

static void
insert_by_prio(struct pica_waitq *q, struct pica_thread *t)
{
    struct pica_list *pos = q->head.next;
    while (pos != &q->head && pica_container_of(pos, struct pica_thread, node)->prio <= t->prio) {
        pos = pos->next;
    }
    pica_list_insert_before(pos, &t->node);
}

static void
wait_expire(struct pica_timeout *to)
{
    struct pica_thread *t = pica_container_of(to, struct pica_thread, timeout);
    struct pica_waitq *q = t->waiting_on;
    thread_wait_end_locked(t, -ETIMEDOUT);
    if (q->changed != NULL) {
        q->changed(q);
    }
}

void
waitq_enqueue_locked(struct pica_waitq *q, struct pica_thread *t)
{
    t->waiting_on = q;
    insert_by_prio(q, t);
    if (q->changed != NULL) {
        q->changed(q); /* a mutex owner inherits the new waiter's priority */
    }
}

int
waitq_block_locked(struct pica_waitq *q, unsigned key, pica_timeout_t timeout)
{
    if (timeout < 0 && timeout != PICA_FOREVER) {
        arch_irq_unlock(key);
        return -EINVAL;
    }
    pica_tick_t deadline =
        timeout == PICA_FOREVER ? SCHED_NO_DEADLINE : tick_now_locked() + (pica_tick_t)timeout;
    return sched_block_locked(key, PICA_THREAD_BLOCKED, q, deadline, wait_expire);
}

void
waitq_block_defer_locked(struct pica_waitq *q, pica_timeout_t timeout)
{
    pica_tick_t deadline =
        timeout == PICA_FOREVER ? SCHED_NO_DEADLINE : tick_now_locked() + (pica_tick_t)timeout;
    sched_block_defer_locked(PICA_THREAD_BLOCKED, q, deadline, wait_expire);
}

struct pica_thread *
waitq_wake_one_locked(struct pica_waitq *q, int result)
{
    struct pica_thread *t = waitq_first_locked(q);
    if (t != NULL) {
        thread_wait_end_locked(t, result);
    }
    return t;
}

void
waitq_wake_thread_locked(struct pica_thread *t, int result)
{
    thread_wait_end_locked(t, result);
}

unsigned
waitq_wake_all_locked(struct pica_waitq *q, int result)
{
    unsigned n = 0;
    while (waitq_wake_one_locked(q, result) != NULL) {
        n++;
    }
    return n;
}

void
waitq_reorder_locked(struct pica_thread *t)
{
    pica_list_remove(&t->node);
    insert_by_prio(t->waiting_on, t);
}
