/* SPDX-License-Identifier: MIT */
/* Counting and binary semaphores (a binary one has max 1).
 *
 * Take and give are inline: the uncontended case (a unit to take, room to
 * give, nobody waiting) is a few instructions with no call (an exclusive
 * load/store on Cortex-M, the kernel lock elsewhere: arch_count_take).
 * Anything else goes to the out-of-line pica_sem_*_slow(), which handles
 * every case. PICA_CFG_INLINE_FAST_PATHS=0 keeps just the calls. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/fast.h>
#include <pica/thread.h>
#include <pica/time.h>

#include "arch.h"

struct pica_sem {
    /* Units available, or PICA_SEM_WAITING while threads may be waiting,
     * so each fast path needs a single test: take while count is positive
     * as a signed number, give while count < max (max <= INT32_MAX). */
    uint32_t count;
    uint32_t max;
    struct pica_waitq waiters;
};

#define PICA_SEM_WAITING UINT32_MAX

/* Context: thread or boot.
 * Returns: 0, -EINVAL (NULL, max 0 or above INT32_MAX, initial > max). */
int pica_sem_init(struct pica_sem *s, uint32_t initial, uint32_t max);

/* The complete take and give, which the inline ones fall back on. */
int pica_sem_take_slow(struct pica_sem *s, pica_timeout_t timeout);
int pica_sem_give_slow(struct pica_sem *s);

/* Take one unit, waiting up to @timeout. Arguments are checked first: a
 * bad timeout is refused even when a unit is there.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, none available), -ETIMEDOUT, -EINVAL (NULL
 * or not initialised, a negative timeout other than PICA_FOREVER, blocking
 * call in an ISR). */
static inline int
pica_sem_take(struct pica_sem *s, pica_timeout_t timeout)
{
#if PICA_CFG_INLINE_FAST_PATHS
    /* Bad timeouts are refused even when a unit is there: the slow path
     * refuses them. */
    bool timeout_ok = pica_wait_allowed(timeout);
    if (__builtin_expect(s != NULL && timeout_ok, 1) && arch_count_take(&s->count)) {
        return 0;
    }
#endif
    return pica_sem_take_slow(s, timeout);
}

/* Give one unit: to the first waiter if any, else to the count.
 * Context: any. Returns: 0, -EOVERFLOW (already at max; nothing changes),
 * -EINVAL (NULL or not initialised). */
static inline int
pica_sem_give(struct pica_sem *s)
{
#if PICA_CFG_INLINE_FAST_PATHS
    /* Fails for PICA_SEM_WAITING and for an uninitialised max of 0. */
    if (__builtin_expect(s != NULL, 1) && arch_count_give(&s->count, s->max)) {
        return 0;
    }
#endif
    return pica_sem_give_slow(s);
}

/* End @s's life: every waiter wakes with -EIDRM, and every later call on
 * it fails with -EINVAL until pica_sem_init(). For an owner about to free
 * it (kernel/proc/cap.c). Context: thread. Returns: the waiters woken, -EINVAL
 * (NULL or not initialised). */
int pica_sem_destroy(struct pica_sem *s);

/* Units available now (0 while threads wait). Context: any. */
uint32_t pica_sem_count(const struct pica_sem *s);
