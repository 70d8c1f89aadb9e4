/* SPDX-License-Identifier: MIT */
/* Counting semaphores. A give with waiters hands the unit straight to the
 * first waiter (the count never rises), so a thread that takes after the
 * give cannot steal it from the one woken. */
#include <pica/sem.h>

#include <errno.h>
#include <pica/panic.h>

#include "arch.h"
#include "waitq.h"

int
pica_sem_init(struct pica_sem *s, uint32_t initial, uint32_t max)
{
    PICA_CHECK(s != NULL && max != 0 && initial <= max, -EINVAL);
    s->count = initial;
    s->max = max;
    waitq_init(&s->waiters);
    return 0;
}

int
pica_sem_take(struct pica_sem *s, pica_timeout_t timeout)
{
    PICA_CHECK(s != NULL && s->max != 0, -EINVAL);
    PICA_CHECK(timeout == PICA_NO_WAIT || !arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (s->count > 0) {
        s->count--;
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else {
        return waitq_block_locked(&s->waiters, key, timeout); /* unlocks */
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_sem_give(struct pica_sem *s)
{
    PICA_CHECK(s != NULL && s->max != 0, -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (__builtin_expect(!pica_list_empty(&s->waiters.head), 0)) {
        waitq_wake_one_locked(&s->waiters, 0);
    } else if (s->count < s->max) {
        s->count++;
    } else {
        err = -EOVERFLOW;
    }
    arch_irq_unlock(key);
    return err;
}

uint32_t
pica_sem_count(const struct pica_sem *s)
{
    return s != NULL ? s->count : 0;
}
