/* SPDX-License-Identifier: MIT */
/* Hardware timers: the board's timer devices, apart from the one the kernel
 * ticks with, as free-running counters and as one-shot or periodic
 * interrupts that run a callback. Portable half: drivers/timer/hwtimer.c;
 * devices: drivers/timer/<model>.c; the board's table:
 * boards/<board>/timers.c. Guide and each board's timers: docs/drivers.md
 * (Hardware timers).
 *
 * A timer is named by its index in the board's table, 0 .. n-1, which the
 * board's board_timers.h names (BOARD_HWTIMER_<device>, and
 * BOARD_HWTIMER_COUNTER for the one to read for time stamps), included
 * here; pica_hwtimer_info() tells what it is. Where it has a counter that
 * software can read (PICA_HWTIMER_HAS_COUNTER), the counter rises at
 * info.hz and wraps at 2^info.bits. Where the device has one counter for
 * both jobs (no PICA_HWTIMER_COUNTER_KEPT), a started timer takes it over:
 * while started the count follows the device's reloads rather than rising
 * steadily, and after pica_hwtimer_stop() it runs freely again from 0.
 * Compare-based devices (the goldfish RTC, the RISC-V CLINT) keep their
 * counter undisturbed.
 *
 * Errors, checked in this order; a refused call changes nothing:
 *   -ENODEV   no such timer on this board;
 *   -EINVAL   a period that rounds to a count outside the device's range
 *             (info.min_counts .. info.max_counts); bad flags, a NULL
 *             callback or pointer, which are the caller's bugs: a
 *             PICA_CFG_CHECK_PANIC build panics instead (PICA_CHECK);
 *   -ENOTSUP  a mode the device lacks (info.flags);
 *   -EBUSY    the timer is running. */
#pragma once

#include <stdint.h>

/* pica_hwtimer_start() flags: exactly one mode, and optionally the unit. */
#define PICA_HWTIMER_ONESHOT (1u << 0)       /* one callback, @period from now */
#define PICA_HWTIMER_PERIODIC (1u << 1)      /* a callback every @period, drift-free */
#define PICA_HWTIMER_PERIOD_COUNTS (1u << 2) /* @period in counts of the device, not ns */

/* pica_hwtimer_info.flags: the modes above the device offers, and: */
#define PICA_HWTIMER_HAS_COUNTER (1u << 8)   /* pica_hwtimer_count() reads it */
#define PICA_HWTIMER_COUNTER_KEPT (1u << 9)  /* it runs on undisturbed while started */

struct pica_hwtimer_info {
    const char *name;    /* the device, e.g. "CMSDK timer1" */
    uint32_t hz;         /* counter rate */
    uint32_t flags;      /* PICA_HWTIMER_ONESHOT, _PERIODIC, _HAS_COUNTER, ... */
    uint8_t bits;        /* counter width: it wraps at 2^bits */
    uint64_t min_counts; /* the period's range in counts */
    uint64_t max_counts;
    uint64_t min_ns; /* the same in ns: the shortest and longest @period in */
    uint64_t max_ns; /* ns that round to a count in range */
    const char *note; /* why a mode or the counter is missing here, or NULL */
};

/* Runs in the timer's interrupt handler, so only ISR-safe calls
 * (pica_sem_give, pica_hwtimer_start of a one-shot...). @timer is the
 * index it was started with. */
typedef void (*pica_hwtimer_fn)(unsigned timer, void *arg);

/* Timers on this board. Context: any. */
unsigned pica_hwtimer_number(void);

/* Describe @timer in *@info; readies the device and starts its counter if
 * that has not happened yet. Context: any.
 * Returns: 0, -ENODEV, -EINVAL (NULL @info). */
int pica_hwtimer_info(unsigned timer, struct pica_hwtimer_info *info);

/* Call @fn(@timer, @arg) once @period from now (PICA_HWTIMER_ONESHOT) or
 * every @period (PICA_HWTIMER_PERIODIC, at whole multiples of it from the
 * start, whatever the handler's latency). @period is in nanoseconds,
 * rounded to the nearest count at info.hz, or with PICA_HWTIMER_PERIOD_COUNTS in
 * counts. The first start of a timer installs its interrupt handler
 * (pica_irq_attach, priority PICA_CFG_IRQ_PRIO_DEFAULT), which stays.
 * A one-shot has stopped by the time its callback runs, so the callback
 * may start it again. Context: thread or boot; any (an ISR, the timer's
 * own callback) once the timer has been started before.
 * Returns: 0, -ENODEV, -EINVAL (flags, NULL @fn, @period out of range),
 * -ENOTSUP (mode), -EBUSY (running), or pica_irq_attach()'s error. */
int pica_hwtimer_start(unsigned timer, uint64_t period, uint32_t flags, pica_hwtimer_fn fn,
                       void *arg);

/* Stop @timer; no callback starts after this returns (one running in a
 * more urgent interrupt may finish). Stopping a stopped timer does
 * nothing. Context: any. Returns: 0, -ENODEV. */
int pica_hwtimer_stop(unsigned timer);

/* Whether @timer is started (a one-shot stops as it fires).
 * Context: any. Returns: 1, 0, -ENODEV. */
int pica_hwtimer_is_running(unsigned timer);

/* The counter of @timer (see above), started on first use; 0 for a timer
 * that does not exist, a constant for one without PICA_HWTIMER_HAS_COUNTER.
 * Context: any. */
uint64_t pica_hwtimer_count(unsigned timer);

/* Convert @ns to counts at @hz, rounded to the nearest, in *@counts; the
 * 64-bit arithmetic never overflows. Context: any.
 * Returns: 0, -EINVAL (the result does not fit 64 bits, or @hz is 0). */
int pica_hwtimer_ns_to_counts(uint64_t ns, uint32_t hz, uint64_t *counts);

/* The board's names for its timers, where it has any. */
#if defined(__has_include)
#if __has_include(<board_timers.h>)
#include <board_timers.h>
#endif
#endif
