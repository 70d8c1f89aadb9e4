/* SPDX-License-Identifier: MIT */
/* Time: kernel ticks (PICA_CFG_TICK_HZ per second), timeouts for blocking
 * calls, sleeping, and the 64-bit monotonic clock.
 *
 * A relative timeout of n ticks ends at the n-th tick boundary from now, so
 * it lasts between n-1 and n tick periods; PICA_MS() and PICA_US() round up
 * and add one tick, so they wait at least the time they name. */
#pragma once

#include <stdint.h>

#include <pica/config.h>

typedef int32_t pica_timeout_t; /* ticks; or PICA_NO_WAIT / PICA_FOREVER */
typedef uint64_t pica_tick_t;   /* absolute kernel tick count since boot */

#define PICA_NO_WAIT ((pica_timeout_t)0)
#define PICA_FOREVER ((pica_timeout_t)-1)
#define PICA_TICKS(n) ((pica_timeout_t)(n))
#define PICA_MS(ms)                                                                               \
    ((pica_timeout_t)((((uint64_t)(ms)) * PICA_CFG_TICK_HZ + 999u) / 1000u + 1u))
#define PICA_US(us)                                                                               \
    ((pica_timeout_t)((((uint64_t)(us)) * PICA_CFG_TICK_HZ + 999999u) / 1000000u + 1u))

/* Microseconds since boot. Context: any. */
uint64_t pica_uptime_us(void);

/* Ticks since boot. Context: any. */
pica_tick_t pica_tick_now(void);

/* Block the calling thread for @timeout ticks (PICA_NO_WAIT yields).
 * Context: thread. Returns: 0, -EINVAL (PICA_FOREVER or in an ISR). */
int pica_sleep(pica_timeout_t timeout);

/* Drift-free periodic wait: sleep until tick *@deadline + @period, then
 * advance *@deadline by @period. A loop calling this runs once per period
 * whatever its body costs. If the new deadline already passed, returns at
 * once. Context: thread. Returns: 0, -EINVAL. */
int pica_sleep_until(pica_tick_t *deadline, pica_tick_t period);
