/* SPDX-License-Identifier: MIT */
/* Counting and binary semaphores (a binary one has max 1). */
#pragma once

#include <stdint.h>

#include <pica/thread.h>
#include <pica/time.h>

struct pica_sem {
    uint32_t count;
    uint32_t max;
    struct pica_waitq waiters;
};

/* Context: thread or boot. Returns: 0, -EINVAL (NULL, max 0, initial > max). */
int pica_sem_init(struct pica_sem *s, uint32_t initial, uint32_t max);

/* Take one unit, waiting up to @timeout.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, none available), -ETIMEDOUT, -EINVAL. */
int pica_sem_take(struct pica_sem *s, pica_timeout_t timeout);

/* Give one unit: to the first waiter if any, else to the count.
 * Context: any. Returns: 0, -EOVERFLOW (already at max; nothing changes), -EINVAL. */
int pica_sem_give(struct pica_sem *s);

/* Units available now (0 while threads wait). Context: any. */
uint32_t pica_sem_count(const struct pica_sem *s);
