/* SPDX-License-Identifier: MIT */
/* The wall clock: an offset added to the monotonic clock, so reading it
 * costs one timer read and setting it moves nothing else. The offset is in
 * nanoseconds: 2^63 ns is 292 years, past PICA_TIME_MAX. */
#include <errno.h>
#include <pica/panic.h>
#include <pica/time.h>
#include <stdbool.h>

#include "arch.h"
#include "kernel.h"

#define NS_PER_S 1000000000u
#define TIME_2000 946684800LL /* 2000-01-01 00:00:00 UTC */

struct pica_clock pica_clock_wall;

static int64_t wall_offset_ns;
static bool wall_ready;

/* Nanoseconds since boot from the kernel's timer. */
static uint64_t
uptime_ns(void)
{
    uint64_t cycles = arch_timer_cycles();
    uint32_t hz = arch_timer_hz();
    if (hz == 0) {
        return 0; /* before arch_timer_init() */
    }
    /* Split, as pica_uptime_us(), to keep the product from overflowing. */
    return cycles / hz * NS_PER_S + cycles % hz * NS_PER_S / hz;
}

/* No RTC unless the board has one. */
__attribute__((weak)) int
board_rtc_read(int64_t *unix_ns)
{
    (void)unix_ns;
    return -ENODEV;
}

/* The offset, read from the RTC on first use: boards set their timers up
 * in board_init(), before any caller can get here. */
static int64_t
wall_offset_locked(void)
{
    if (!wall_ready) {
        int64_t rtc_ns;
        int64_t base = TIME_2000 * (int64_t)NS_PER_S;
        /* An RTC reading before 2000 or after the calendar's range is no
         * time at all (a board whose RTC was never set). */
        if (board_rtc_read(&rtc_ns) == 0 && rtc_ns >= base &&
            rtc_ns / (int64_t)NS_PER_S <= PICA_TIME_MAX) {
            base = rtc_ns;
        }
        wall_offset_ns = base - (int64_t)uptime_ns();
        wall_ready = true;
    }
    return wall_offset_ns;
}

int
pica_time_get(struct pica_walltime *t)
{
    PICA_CHECK(t != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    int64_t ns = wall_offset_locked() + (int64_t)uptime_ns();
    arch_irq_unlock(key);
    t->sec = ns / (int64_t)NS_PER_S;
    t->nsec = (uint32_t)(ns % (int64_t)NS_PER_S);
    return 0;
}

/* Cron, where it is linked in, recomputes its jobs (kernel/cron.c). */
#pragma weak cron_clock_changed

int
pica_time_set(const struct pica_walltime *t)
{
    PICA_CHECK(!arch_in_isr(), -EINVAL);
    if (t == NULL || t->nsec >= NS_PER_S || t->sec < PICA_TIME_MIN || t->sec > PICA_TIME_MAX) {
        return -EINVAL;
    }
    int64_t ns = t->sec * (int64_t)NS_PER_S + t->nsec;
    unsigned key = arch_irq_lock();
    (void)wall_offset_locked();
    wall_offset_ns = ns - (int64_t)uptime_ns();
    arch_irq_unlock(key);
    if (cron_clock_changed != NULL) {
        cron_clock_changed();
    }
    return 0;
}
