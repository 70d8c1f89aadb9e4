/* SPDX-License-Identifier: MIT */
/* The Arm CMSDK APB timer (Cortex-M System Design Kit TRM, DDI 0479): one
 * 32-bit down-counter on the peripheral clock, with a reload value and one
 * interrupt. It interrupts as it goes from 1 to 0, holds 0 for one clock
 * and then reloads, so a reload of N - 1 gives a period of N clocks and a
 * count loaded with N interrupts N clocks later. It has no one-shot mode:
 * a one-shot reloads the full range and is stopped in its interrupt.
 * Between starts it runs freely over the full range with its interrupt
 * off, read as ~VALUE so that the count rises. dev->hz is the clock. */
#include <stdint.h>

#include "cmsdk_timer.h"
#include "hwtimer_dev.h"

#define REG(dev, off) (*(volatile uint32_t *)((dev)->base + (off)))
#define CTRL(dev) REG(dev, 0x00)
#define VALUE(dev) REG(dev, CMSDK_TIMER_VALUE)
#define RELOAD(dev) REG(dev, 0x08)
#define INTSTATUS(dev) REG(dev, 0x0C) /* write 1: INTCLEAR */

#define CTRL_ENABLE (1u << 0)
#define CTRL_IRQ_ENABLE (1u << 3)
#define INT_TIMER (1u << 0)

static void
cmsdk_free_run(const struct hwtimer_dev *dev)
{
    CTRL(dev) = 0;
    INTSTATUS(dev) = INT_TIMER;
    RELOAD(dev) = UINT32_MAX;
    VALUE(dev) = UINT32_MAX;
    CTRL(dev) = CTRL_ENABLE;
}

static uint32_t
cmsdk_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    cmsdk_free_run(dev);
    return dev->hz;
}

static uint64_t
cmsdk_count(const struct hwtimer_dev *dev)
{
    return cmsdk_timer_count(dev->base);
}

static void
cmsdk_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    /* st->period is 2 .. 2^32: the first interrupt comes after it from the
     * loaded count (2^32 does not fit: one clock short there), the next
     * ones from the reload; a one-shot's reload covers the full range and
     * its interrupt ends it. */
    uint32_t first = st->period > UINT32_MAX ? UINT32_MAX : (uint32_t)st->period;
    CTRL(dev) = 0;
    INTSTATUS(dev) = INT_TIMER;
    RELOAD(dev) = st->periodic ? (uint32_t)(st->period - 1u) : UINT32_MAX;
    VALUE(dev) = first;
    CTRL(dev) = CTRL_ENABLE | CTRL_IRQ_ENABLE;
}

static void
cmsdk_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    cmsdk_free_run(dev);
}

static bool
cmsdk_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (!(INTSTATUS(dev) & INT_TIMER)) {
        return false;
    }
    INTSTATUS(dev) = INT_TIMER;
    if (!st->periodic) {
        cmsdk_free_run(dev);
    }
    return true;
}

const struct hwtimer_ops cmsdk_timer_ops = {
    .init = cmsdk_init,
    .count = cmsdk_count,
    .start = cmsdk_start,
    .stop = cmsdk_stop,
    .isr = cmsdk_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER,
    .min_counts = 2,
};
