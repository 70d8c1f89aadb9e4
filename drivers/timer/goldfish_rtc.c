/* SPDX-License-Identifier: MIT */
/* The goldfish RTC (QEMU's virt machines): a 64-bit count of nanoseconds
 * and one alarm at an absolute count, which interrupts once. Reading
 * TIME_LOW latches TIME_HIGH; writing ALARM_LOW arms the alarm (an alarm
 * already past fires at once). Periodic timing re-arms at the last
 * deadline plus the period, so it never drifts. The count is QEMU's rtc
 * clock: boards run QEMU with -rtc clock=vm so that under icount it is
 * virtual time, as the CPU's is. The count always runs on. */
#include <stdint.h>

#include "hwtimer_dev.h"

#define REG(dev, off) (*(volatile uint32_t *)((dev)->base + (off)))
#define TIME_LOW(dev) REG(dev, 0x00)
#define TIME_HIGH(dev) REG(dev, 0x04)
#define ALARM_LOW(dev) REG(dev, 0x08)
#define ALARM_HIGH(dev) REG(dev, 0x0C)
#define IRQ_ENABLED(dev) REG(dev, 0x10)
#define CLEAR_ALARM(dev) REG(dev, 0x14)
#define CLEAR_INTERRUPT(dev) REG(dev, 0x1C)

static uint64_t
goldfish_now(const struct hwtimer_dev *dev)
{
    uint64_t lo = TIME_LOW(dev); /* first: latches the high half */
    return ((uint64_t)TIME_HIGH(dev) << 32) | lo;
}

static void
goldfish_alarm(const struct hwtimer_dev *dev, uint64_t at)
{
    ALARM_HIGH(dev) = (uint32_t)(at >> 32);
    ALARM_LOW(dev) = (uint32_t)at;
}

static void
goldfish_disarm(const struct hwtimer_dev *dev)
{
    IRQ_ENABLED(dev) = 0;
    CLEAR_ALARM(dev) = 1u;
    CLEAR_INTERRUPT(dev) = 1u;
}

static uint32_t
goldfish_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    goldfish_disarm(dev);
    return dev->hz;
}

static uint64_t
goldfish_count(const struct hwtimer_dev *dev)
{
    return goldfish_now(dev);
}

static void
goldfish_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    st->deadline = goldfish_now(dev) + st->period;
    CLEAR_INTERRUPT(dev) = 1u;
    IRQ_ENABLED(dev) = 1u;
    goldfish_alarm(dev, st->deadline);
}

static void
goldfish_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    goldfish_disarm(dev);
}

static bool
goldfish_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    CLEAR_INTERRUPT(dev) = 1u;
    uint64_t now = goldfish_now(dev);
    if (now < st->deadline) {
        return false; /* a stale interrupt: the alarm is still armed */
    }
    if (!st->periodic) {
        goldfish_disarm(dev);
        return true;
    }
    st->deadline += st->period;
    /* Behind by a period or more (interrupts masked that long): skip to
     * the next deadline ahead, keeping the phase, rather than fire once
     * per missed period. */
    if (st->deadline <= now) {
        st->deadline += ((now - st->deadline) / st->period + 1u) * st->period;
    }
    goldfish_alarm(dev, st->deadline);
    return true;
}

const struct hwtimer_ops goldfish_rtc_ops = {
    .init = goldfish_init,
    .count = goldfish_count,
    .start = goldfish_start,
    .stop = goldfish_stop,
    .isr = goldfish_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER |
             PICA_HWTIMER_COUNTER_KEPT,
    .min_counts = 1000, /* 1 us: below it the handler cannot keep up */
};
