/* SPDX-License-Identifier: MIT */
/* Time: kernel ticks (PICA_CFG_TICK_HZ per second), timeouts for blocking
 * calls, sleeping, and the 64-bit monotonic clock.
 *
 * A relative timeout of n ticks ends at the n-th tick boundary from now, so
 * it lasts between n-1 and n tick periods; PICA_MS() and PICA_US() round up
 * and add one tick, so they wait at least the time they name.
 *
 * Range: a finite timeout is 0 .. PICA_TIMEOUT_MAX ticks (2^31 - 1: 24.8
 * days at 1 kHz, 5.9 hours at 100 kHz). PICA_MS() and PICA_US() take any
 * unsigned count and saturate there: a longer time becomes the longest
 * finite timeout, never PICA_FOREVER or a short wait. PICA_TICKS() is a
 * plain cast, for 0 .. PICA_TIMEOUT_MAX. */
#pragma once

#include <stdint.h>

#include <pica/config.h>

typedef int32_t pica_timeout_t; /* ticks; or PICA_NO_WAIT / PICA_FOREVER */
typedef uint64_t pica_tick_t;   /* absolute kernel tick count since boot */

#define PICA_NO_WAIT ((pica_timeout_t)0)
#define PICA_FOREVER ((pica_timeout_t)-1)
#define PICA_TIMEOUT_MAX ((pica_timeout_t)INT32_MAX)
#define PICA_TICKS(n) ((pica_timeout_t)(n))

/* With constant arguments these are constant expressions (usable in static
 * initialisers); other arguments are evaluated once. A negative argument
 * converts to a huge count and saturates. */
#define PICA_MS(ms) PICA_TIMEOUT_FROM_(ms, 1000u)
#define PICA_US(us) PICA_TIMEOUT_FROM_(us, 1000000u)

/* The conversion behind PICA_MS()/PICA_US(), @per_s units a second. The
 * largest count that fits is the one whose ticks, rounded up, plus one are
 * at most INT32_MAX; it is compared first so that the product below cannot
 * overflow either. */
#define PICA_UNITS_MAX_(per_s) (((uint64_t)INT32_MAX - 1u) * (per_s) / PICA_CFG_TICK_HZ)
#define PICA_TIMEOUT_CONST_(n, per_s)                                                             \
    ((uint64_t)(n) > PICA_UNITS_MAX_(per_s)                                                       \
         ? PICA_TIMEOUT_MAX                                                                       \
         : (pica_timeout_t)(((uint64_t)(n) * PICA_CFG_TICK_HZ + (per_s) - 1u) / (per_s) + 1u))
static inline pica_timeout_t
pica_timeout_from_(uint64_t n, uint32_t per_s)
{
    return PICA_TIMEOUT_CONST_(n, per_s);
}
#define PICA_TIMEOUT_FROM_(n, per_s)                                                              \
    (__builtin_constant_p(n) ? PICA_TIMEOUT_CONST_(n, per_s)                                      \
                             : pica_timeout_from_((uint64_t)(n), per_s))

/* Microseconds since boot. Context: any. */
uint64_t pica_uptime_us(void);

/* Ticks since boot. Context: any. */
pica_tick_t pica_tick_now(void);

/* Block the calling thread for @timeout ticks (PICA_NO_WAIT yields).
 * Context: thread, the kernel unlocked. Like every blocking call it is
 * refused, with nothing done, where it cannot block.
 * Returns: 0, -EINVAL (PICA_FOREVER, negative, or in an ISR), -EDEADLK
 * (the kernel lock held or interrupts masked by the caller, or before the
 * scheduler starts). */
int pica_sleep(pica_timeout_t timeout);

/* Drift-free periodic wait: sleep until tick *@deadline + @period, then
 * advance *@deadline by @period. A loop calling this runs once per period
 * whatever its body costs. If the new deadline has already begun (the
 * body overran its period), returns at once with how late it is, so the
 * loop can tell and catch up or skip. Context: thread.
 * Returns: 0 after sleeping, n > 0 on an overrun (the new deadline began
 * n - 1 ticks ago; *@deadline advanced all the same), -EINVAL (NULL,
 * @period above PICA_TIMEOUT_MAX, or in an ISR), -EDEADLK (as
 * pica_sleep(); *@deadline unchanged). */
int pica_sleep_until(pica_tick_t *deadline, pica_tick_t period);

/* Wall-clock time, UTC: seconds since 1970-01-01 00:00:00 and nanoseconds.
 * At boot it is read from the board's RTC where QEMU models one (virt-rv32's
 * goldfish RTC); elsewhere it starts at 2000-01-01 00:00:00. It then runs
 * with the kernel's monotonic clock until set. <pica/calendar.h> turns it
 * into calendar fields. */
struct pica_walltime {
    int64_t sec;
    uint32_t nsec; /* 0 .. 999 999 999 */
};

/* The earliest and latest times pica_time_set() accepts: 1970-01-01 and
 * 2199-12-31 23:59:59, the calendar's tested range. */
#define PICA_TIME_MIN 0
#define PICA_TIME_MAX 7258118399LL

/* The wall clock as a kernel object, for a process's capability slot:
 * pica_proc_give(p, PICA_CAP_CLOCK, &pica_clock_wall, PICA_RIGHT_WRITE)
 * lets the process set the time (sys_time_set). */
struct pica_clock {
    uint8_t unused;
};
extern struct pica_clock pica_clock_wall;

/* Context: any. Returns: 0, -EINVAL (@t NULL). */
int pica_time_get(struct pica_walltime *t);

/* Set the wall clock; the monotonic clock, timeouts and sleeps are not
 * affected. Cron recomputes every job's next run (docs/cron.md).
 * Context: thread. Returns: 0, -EINVAL (@t NULL, nsec out of range, sec
 * outside PICA_TIME_MIN .. PICA_TIME_MAX, or in an ISR). */
int pica_time_set(const struct pica_walltime *t);
