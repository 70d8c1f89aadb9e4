/* SPDX-License-Identifier: MIT */
/* Mutexes with transitive priority inheritance. An owner's effective
 * priority is the most urgent of its base priority and the first waiter of
 * each mutex it holds (waiters are priority-ordered, so the first is the
 * most urgent). Whenever a mutex's waiters change, the wait queue's
 * `changed` hook recomputes its owner, and if that owner itself waits for a
 * mutex, the change travels on to that mutex's owner. Unlock hands the mutex
 * straight to the first waiter, so no one can barge in between.
 *
 * Robustness (mutex.h) is a state beside the owner: an owner's death sets
 * OWNER_DIED, which every acquisition reports as -EOWNERDEAD until the
 * owner of the moment calls pica_mutex_consistent(); an unlock in that
 * state makes it NOT_RECOVERABLE for good. */
#include <pica/mutex.h>

#include <errno.h>
#include <pica/fast.h>
#include <pica/panic.h>

#include "arch.h"
#include "sched.h"
#include "thread_priv.h"
#include "waitq.h"

#define CHAIN_MAX 32 /* owners followed when looking for a deadlock */

static void
mutex_waiters_changed(struct pica_waitq *q)
{
    struct pica_mutex *m = pica_container_of(q, struct pica_mutex, waiters);
    if (m->owner != NULL) {
        thread_prio_update_locked(m->owner);
    }
}

int
pica_mutex_init(struct pica_mutex *m)
{
    PICA_CHECK(m != NULL, -EINVAL);
    m->owner = NULL;
    m->depth = 0;
    m->robust = PICA_MUTEX_CONSISTENT;
    pica_list_init(&m->held_node);
    waitq_init(&m->waiters);
    m->waiters.changed = mutex_waiters_changed;
    return 0;
}

static void
mutex_take_locked(struct pica_mutex *m, struct pica_thread *t)
{
    m->owner = t;
    m->depth = 1;
    pica_list_append(&t->mutexes, &m->held_node);
}

/* Would @self waiting for @m close a cycle of owners waiting for each other? */
static bool
mutex_would_deadlock(const struct pica_mutex *m, const struct pica_thread *self)
{
    const struct pica_thread *owner = m->owner;
    for (unsigned i = 0; owner != NULL && i < CHAIN_MAX; i++) {
        if (owner == self) {
            return true;
        }
        const struct pica_waitq *q = owner->waiting_on;
        if (owner->state != PICA_THREAD_BLOCKED || q == NULL ||
            q->changed != mutex_waiters_changed) {
            return false;
        }
        owner = pica_container_of(q, struct pica_mutex, waiters)->owner;
    }
    return false;
}

int
pica_mutex_lock(struct pica_mutex *m, pica_timeout_t timeout)
{
    PICA_CHECK(m != NULL && m->waiters.changed == mutex_waiters_changed, -EINVAL);
    /* The timeout too, before anything: a bad one is refused even when the
     * mutex is free or the caller's, not only once the caller would wait. */
    PICA_CHECK(!arch_in_isr() && pica_wait_allowed(timeout), -EINVAL);
    struct pica_thread *self = sched.current;
    unsigned key = arch_irq_lock();
    int err = 0;
    if (m->robust == PICA_MUTEX_NOT_RECOVERABLE) {
        err = -ENOTRECOVERABLE;
    } else if (m->owner == NULL) {
        mutex_take_locked(m, self);
        if (m->robust == PICA_MUTEX_OWNER_DIED) {
            err = -EOWNERDEAD;
        }
    } else if (m->owner == self) {
        m->depth++;
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else if (mutex_would_deadlock(m, self)) {
        err = -EDEADLK;
    } else {
        /* Woken owning the mutex (0 or -EOWNERDEAD), or not: -ETIMEDOUT,
         * -ENOTRECOVERABLE. */
        return waitq_block_locked(&m->waiters, key, timeout);
    }
    arch_irq_unlock(key);
    return err;
}

/* Give @m to its first waiter or leave it free; the waiter's lock returns
 * -EOWNERDEAD while the mutex has not been repaired. */
static void
mutex_hand_off_locked(struct pica_mutex *m)
{
    pica_list_remove(&m->held_node);
    int result = m->robust == PICA_MUTEX_OWNER_DIED ? -EOWNERDEAD : 0;
    struct pica_thread *next = waitq_wake_one_locked(&m->waiters, result);
    m->owner = NULL;
    m->depth = 0;
    if (next != NULL) {
        mutex_take_locked(m, next);
        /* The new owner inherits from the waiters still queued. */
        thread_prio_update_locked(next);
    }
}

int
pica_mutex_unlock(struct pica_mutex *m)
{
    PICA_CHECK(m != NULL && m->waiters.changed == mutex_waiters_changed, -EINVAL);
    PICA_CHECK(!arch_in_isr(), -EINVAL);
    struct pica_thread *self = sched.current;
    unsigned key = arch_irq_lock();
    int err = 0;
    if (m->owner != self) {
        err = -EPERM;
    } else if (--m->depth == 0) {
        if (m->robust == PICA_MUTEX_OWNER_DIED) {
            /* Released unrepaired: nobody may trust the data again. */
            m->robust = PICA_MUTEX_NOT_RECOVERABLE;
            pica_list_remove(&m->held_node);
            m->owner = NULL;
            waitq_wake_all_locked(&m->waiters, -ENOTRECOVERABLE);
        } else {
            mutex_hand_off_locked(m);
        }
        thread_prio_update_locked(self); /* give back what it inherited */
        sched_reschedule_locked();
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_mutex_consistent(struct pica_mutex *m)
{
    PICA_CHECK(m != NULL && m->waiters.changed == mutex_waiters_changed, -EINVAL);
    PICA_CHECK(!arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (m->owner != sched.current) {
        err = -EPERM;
    } else if (m->robust != PICA_MUTEX_OWNER_DIED) {
        err = -EINVAL;
    } else {
        m->robust = PICA_MUTEX_CONSISTENT;
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_mutex_destroy(struct pica_mutex *m)
{
    PICA_CHECK(m != NULL && m->waiters.changed == mutex_waiters_changed, -EINVAL);
    unsigned key = arch_irq_lock();
    int woken = (int)waitq_wake_all_locked(&m->waiters, -EIDRM);
    struct pica_thread *owner = m->owner;
    if (owner != NULL) {
        pica_list_remove(&m->held_node);
        m->owner = NULL;
        thread_prio_update_locked(owner); /* nothing left to inherit through it */
    }
    m->depth = 0;
    m->waiters.changed = NULL; /* as if never initialised */
    sched_reschedule_locked();
    arch_irq_unlock(key);
    return woken;
}

struct pica_thread *
pica_mutex_owner(const struct pica_mutex *m)
{
    return m != NULL ? m->owner : NULL;
}

unsigned
mutex_inherited_prio_locked(const struct pica_thread *t)
{
    unsigned prio = PICA_CFG_PRIORITIES;
    for (const struct pica_list *p = t->mutexes.next; p != &t->mutexes; p = p->next) {
        const struct pica_mutex *m = pica_container_of(p, struct pica_mutex, held_node);
        const struct pica_thread *w = waitq_first_locked(&m->waiters);
        if (w != NULL && w->prio < prio) {
            prio = w->prio;
        }
    }
    return prio;
}

void
mutex_release_all_locked(struct pica_thread *t)
{
    while (!pica_list_empty(&t->mutexes)) {
        struct pica_mutex *m = pica_container_of(t->mutexes.next, struct pica_mutex, held_node);
        m->robust = PICA_MUTEX_OWNER_DIED;
        mutex_hand_off_locked(m);
    }
}
