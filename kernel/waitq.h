/* SPDX-License-Identifier: MIT */
/* Wait queues: how kernel objects block and wake threads. Waiters are kept
 * highest priority first, FIFO among equals, so every wake-up is in priority
 * order. All functions need the kernel lock. */
#pragma once

#include <pica/thread.h>

void waitq_init(struct pica_waitq *q);

/* Block the running thread on @q for up to @timeout (not PICA_NO_WAIT),
 * release the lock (@key) and return the wait's result once woken:
 * whatever the waker passed, or -ETIMEDOUT; or, not blocking at all,
 * sched_may_block()'s error or -EINVAL for a bad @timeout. Context: thread. */
int waitq_block_locked(struct pica_waitq *q, unsigned key, pica_timeout_t timeout);

/* waitq_block_locked() for a system call the port runs in its trap:
 * sched_block_defer_locked() on @q (a valid @timeout, not PICA_NO_WAIT). */
void waitq_block_defer_locked(struct pica_waitq *q, pica_timeout_t timeout);

/* Queue the running thread @t (out of the ready set) on @q in priority
 * order; sched_block_locked() calls it. */
void waitq_enqueue_locked(struct pica_waitq *q, struct pica_thread *t);

/* The first waiter, or NULL. Inline: every give and send asks. */
static inline struct pica_thread *
waitq_first_locked(const struct pica_waitq *q)
{
    return pica_list_empty(&q->head) ? NULL
                                     : pica_container_of(q->head.next, struct pica_thread, node);
}

/* Wake the first waiter with @result; returns it, or NULL if none. */
struct pica_thread *waitq_wake_one_locked(struct pica_waitq *q, int result);

/* Wake the waiter @t (which must be waiting on some queue) with @result,
 * for objects that choose waiters themselves (event flags). */
void waitq_wake_thread_locked(struct pica_thread *t, int result);

/* Wake every waiter with @result; returns how many. */
unsigned waitq_wake_all_locked(struct pica_waitq *q, int result);

/* Re-sort @t in the queue it waits on after its priority changed. */
void waitq_reorder_locked(struct pica_thread *t);
