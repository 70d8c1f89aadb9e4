/* SPDX-License-Identifier: MIT */
/* The Arm CMSDK APB dual timer (Cortex-M System Design Kit TRM, DDI 0479;
 * an SP804 in all but name): two down-counters in one block, each a timer
 * of the board's table (dev->base is the half: block + 0x00 or + 0x20),
 * on one shared interrupt line. Each is 32 bits wide on the peripheral
 * clock (dev->hz) and has real one-shot, periodic and free-running modes.
 * Writing LOAD sets the counter at once, BGLOAD only the value reloaded at
 * the next wrap; as on the single timer it interrupts on reaching 0 and
 * reloads a clock later, so LOAD = N then BGLOAD = N - 1 gives an
 * interrupt every N clocks from the start. */
#include <stdint.h>

#include "hwtimer_dev.h"

#define REG(dev, off) (*(volatile uint32_t *)((dev)->base + (off)))
#define LOAD(dev) REG(dev, 0x00)
#define VALUE(dev) REG(dev, 0x04)
#define CONTROL(dev) REG(dev, 0x08)
#define INTCLR(dev) REG(dev, 0x0C)
#define MIS(dev) REG(dev, 0x14)
#define BGLOAD(dev) REG(dev, 0x18)

#define CONTROL_ONESHOT (1u << 0)
#define CONTROL_SIZE_32 (1u << 1)
#define CONTROL_IRQ_ENABLE (1u << 5)
#define CONTROL_PERIODIC (1u << 6)
#define CONTROL_ENABLE (1u << 7)
#define INT_TIMER (1u << 0)

/* Free-running mode wraps from 0 to 0xFFFFFFFF whatever LOAD holds. */
static void
dual_free_run(const struct hwtimer_dev *dev)
{
    CONTROL(dev) = 0; /* also drops the interrupt enable set at reset */
    INTCLR(dev) = INT_TIMER;
    LOAD(dev) = UINT32_MAX;
    CONTROL(dev) = CONTROL_ENABLE | CONTROL_SIZE_32;
}

static uint32_t
dual_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    dual_free_run(dev);
    return dev->hz;
}

static uint64_t
dual_count(const struct hwtimer_dev *dev)
{
    return ~VALUE(dev);
}

static void
dual_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    uint32_t first = st->period > UINT32_MAX ? UINT32_MAX : (uint32_t)st->period;
    CONTROL(dev) = 0;
    INTCLR(dev) = INT_TIMER;
    LOAD(dev) = first;
    uint32_t mode = CONTROL_ONESHOT;
    if (st->periodic) {
        BGLOAD(dev) = (uint32_t)(st->period - 1u);
        mode = CONTROL_PERIODIC;
    }
    CONTROL(dev) = CONTROL_ENABLE | CONTROL_SIZE_32 | CONTROL_IRQ_ENABLE | mode;
}

static void
dual_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    dual_free_run(dev);
}

static bool
dual_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (!(MIS(dev) & INT_TIMER)) {
        return false; /* the other half of the block */
    }
    INTCLR(dev) = INT_TIMER;
    if (!st->periodic) {
        dual_free_run(dev); /* halted at 0: count on */
    }
    return true;
}

const struct hwtimer_ops cmsdk_dualtimer_ops = {
    .init = dual_init,
    .count = dual_count,
    .start = dual_start,
    .stop = dual_stop,
    .isr = dual_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER,
    .min_counts = 2,
};
