/* SPDX-License-Identifier: MIT */
/* Counting semaphores: the slow paths behind the inline take and give of
 * include/pica/sem.h. A give with waiters hands the unit straight to the
 * first waiter (the count never rises), so a thread that takes after the
 * give cannot steal it from the one woken.
 *
 * While threads wait the count reads PICA_SEM_WAITING, which sends every
 * fast path here. Waiters that leave on their own (timeout, kill) do not
 * reset it: whoever next finds the queue empty puts the count back to 0. */
#include <pica/sem.h>

#include <errno.h>
#include <pica/panic.h>

#include "arch.h"
#include "waitq.h"

int
pica_sem_init(struct pica_sem *s, uint32_t initial, uint32_t max)
{
    PICA_CHECK(s != NULL && max != 0 && max <= INT32_MAX && initial <= max, -EINVAL);
    s->count = initial;
    s->max = max;
    waitq_init(&s->waiters);
    return 0;
}

/* The count as units, with a stale PICA_SEM_WAITING (nobody left in the
 * queue) turned back into 0. */
static uint32_t
sem_units_locked(struct pica_sem *s)
{
    if (s->count == PICA_SEM_WAITING && pica_list_empty(&s->waiters.head)) {
        s->count = 0;
    }
    return s->count;
}

int
pica_sem_take_slow(struct pica_sem *s, pica_timeout_t timeout)
{
    PICA_CHECK(s != NULL && s->max != 0, -EINVAL);
    PICA_CHECK(pica_wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    uint32_t units = sem_units_locked(s);
    int err = 0;
    if (units != PICA_SEM_WAITING && units > 0) {
        s->count = units - 1u;
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else {
        s->count = PICA_SEM_WAITING;
        return waitq_block_locked(&s->waiters, key, timeout); /* unlocks */
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_sem_give_slow(struct pica_sem *s)
{
    PICA_CHECK(s != NULL && s->max != 0, -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (sem_units_locked(s) == PICA_SEM_WAITING) {
        waitq_wake_one_locked(&s->waiters, 0);
        (void)sem_units_locked(s); /* 0 again if that was the last waiter */
    } else if (s->count < s->max) {
        s->count++;
    } else {
        err = -EOVERFLOW;
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_sem_destroy(struct pica_sem *s)
{
    PICA_CHECK(s != NULL && s->max != 0, -EINVAL);
    unsigned key = arch_irq_lock();
    int woken = (int)waitq_wake_all_locked(&s->waiters, -EIDRM);
    /* Both fast paths fail on these and the slow ones refuse max 0. */
    s->count = 0;
    s->max = 0;
    arch_irq_unlock(key);
    return woken;
}

uint32_t
pica_sem_count(const struct pica_sem *s)
{
    if (s == NULL) {
        return 0;
    }
    uint32_t count = s->count;
    return count == PICA_SEM_WAITING ? 0 : count;
}
