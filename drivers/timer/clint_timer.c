/* SPDX-License-Identifier: MIT */
/* The RISC-V CLINT's machine timer as a hardware timer: mtime is the
 * counter (64 bits at the kernel's timer rate), and the events are the
 * alarm that arch/riscv32/clint.c keeps beside the kernel's own deadline
 * on the one mtimecmp (clint.h). The alarm fires once at an absolute time;
 * periodic timing re-arms it at the last deadline plus the period, so it
 * never drifts. The counter always runs on. No interrupt line of its own:
 * the alarm calls hwtimer_event(). */
#include <pica/board.h>
#include <stdint.h>

#include "arch.h"
#include "clint.h"
#include "hwtimer_dev.h"

static void
clint_timer_fire(void *arg)
{
    hwtimer_event(arg);
}

static uint32_t
clint_timer_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    (void)dev;
    return board_info()->timer_hz; /* mtime, which the kernel ticks with */
}

static uint64_t
clint_timer_count(const struct hwtimer_dev *dev)
{
    (void)dev;
    return arch_timer_cycles();
}

static void
clint_timer_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    st->deadline = arch_timer_cycles() + st->period;
    clint_alarm_set(st->deadline, clint_timer_fire, (void *)dev);
}

static void
clint_timer_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)dev;
    (void)st;
    clint_alarm_cancel();
}

/* Called from clint_timer_fire(), the alarm already cleared and due. */
static bool
clint_timer_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (st->periodic) {
        st->deadline += st->period;
        /* Behind by a period or more: skip to the next deadline ahead,
         * keeping the phase, rather than fire once per missed period. */
        uint64_t now = arch_timer_cycles();
        if (st->deadline <= now) {
            st->deadline += ((now - st->deadline) / st->period + 1u) * st->period;
        }
        clint_alarm_set(st->deadline, clint_timer_fire, (void *)dev);
    }
    return true;
}

const struct hwtimer_ops clint_timer_ops = {
    .init = clint_timer_init,
    .count = clint_timer_count,
    .start = clint_timer_start,
    .stop = clint_timer_stop,
    .isr = clint_timer_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER |
             PICA_HWTIMER_COUNTER_KEPT,
    .min_counts = 10, /* 1 us at 10 MHz: below it the handler cannot keep up */
};
