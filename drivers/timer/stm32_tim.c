/* SPDX-License-Identifier: MIT */
/* STM32F4 general-purpose timers TIM2-TIM5 (RM0090, TIM2 to TIM5): an
 * up-counter with a prescaler (kept at 1) and an auto-reload register,
 * interrupting on the update event as it wraps from ARR to 0, so ARR =
 * N - 1 gives a period of N clocks; one-pulse mode (OPM) stops it at the
 * first update. TIM2 and TIM5 are 32 bits wide, TIM3 and TIM4 16
 * (dev->bits); dev->unit is the timer's enable bit in RCC_APB1ENR. Between
 * starts it runs freely over its full range with the update interrupt off.
 *
 * The clock is APB1's timer clock: PCLK1, doubled when APB1 is divided
 * (RM0090, clock tree), read back from RCC_CFGR. QEMU models no RCC (it
 * reads as zero) and clocks these timers at a fixed rate, given as
 * dev->hz; its interrupts are unusable (tim_init). */
#include <pica/board.h>
#include <stdint.h>

#include "hwtimer_dev.h"
#include "stm32_tim.h"

#define REG(dev, off) (*(volatile uint32_t *)((dev)->base + (off)))
#define CR1(dev) REG(dev, 0x00)
#define DIER(dev) REG(dev, 0x0C)
#define SR(dev) REG(dev, 0x10)
#define EGR(dev) REG(dev, 0x14)
#define PSC(dev) REG(dev, 0x28)
#define ARR(dev) REG(dev, 0x2C)

#define CR1_CEN (1u << 0)
#define CR1_URS (1u << 2) /* only a wrap raises the update interrupt, not UG */
#define CR1_OPM (1u << 3)
#define DIER_UIE (1u << 0)
#define SR_UIF (1u << 0)
#define EGR_UG (1u << 0)

#define RCC_CR (*(volatile uint32_t *)0x40023800u)
#define RCC_CFGR (*(volatile uint32_t *)0x40023808u)
#define RCC_APB1ENR (*(volatile uint32_t *)0x40023840u)

static uint32_t
tim_top(const struct hwtimer_dev *dev)
{
    return dev->bits >= 32u ? UINT32_MAX : (1u << dev->bits) - 1u;
}

/* Counter at 0, wrapping at @arr; interrupt off and none pending. */
static void
tim_load(const struct hwtimer_dev *dev, uint32_t arr)
{
    CR1(dev) = CR1_URS;
    DIER(dev) = 0;
    PSC(dev) = 0;
    ARR(dev) = arr;
    EGR(dev) = EGR_UG; /* loads PSC and ARR, clears the counter */
    SR(dev) = 0;
}

static void
tim_free_run(const struct hwtimer_dev *dev)
{
    tim_load(dev, tim_top(dev));
    CR1(dev) = CR1_URS | CR1_CEN;
}

/* The timer clock from the RCC's prescalers (RM0090, RCC_CFGR HPRE and
 * PPRE1). */
static uint32_t
tim_clock_hz(void)
{
    static const uint16_t ahb_div[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    uint32_t cfgr = RCC_CFGR;
    uint32_t hpre = (cfgr >> 4) & 0xFu;
    uint32_t ppre1 = (cfgr >> 10) & 0x7u;
    uint32_t sysclk = board_info()->cpu_hz; /* HCLK when AHB is undivided */
    uint32_t hclk = hpre < 8u ? sysclk : sysclk / ahb_div[hpre - 8u];
    if (ppre1 < 4u) {
        return hclk; /* APB1 undivided: timers on PCLK1 itself */
    }
    uint32_t apb_div = 2u << (ppre1 - 4u);
    return hclk / apb_div * 2u;
}

static uint32_t
tim_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    RCC_APB1ENR |= 1u << dev->unit;
    (void)RCC_APB1ENR; /* two clocks before the timer answers */
    tim_free_run(dev);
    if (RCC_CR != 0) {
        return tim_clock_hz();
    }
    /* No RCC: QEMU 7.2. Its model counts right, but schedules each update
     * interrupt at the current virtual time plus the absolute time it is
     * due (measured: a 1 ms one-shot started at 1204 ms fired at 2409 ms;
     * a 100 us period started at 30 us came every 162 us), on TIM2-TIM5
     * alike. The counter is all it offers there. */
    st->flags &= ~(uint32_t)(PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC);
    st->note = "QEMU 7.2's TIM model delays each update interrupt by the virtual time elapsed";
    return dev->hz;
}

static uint64_t
tim_count(const struct hwtimer_dev *dev)
{
    return stm32_tim_count(dev->base) & tim_top(dev);
}

static void
tim_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    /* st->period is 2 .. 2^bits. */
    tim_load(dev, (uint32_t)(st->period - 1u));
    DIER(dev) = DIER_UIE;
    CR1(dev) = CR1_URS | CR1_CEN | (st->periodic ? 0u : CR1_OPM);
}

static void
tim_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    tim_free_run(dev);
}

static bool
tim_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (!(SR(dev) & SR_UIF)) {
        return false;
    }
    SR(dev) = ~SR_UIF; /* rc_w0: writing 0 clears, 1 leaves alone */
    if (!st->periodic) {
        tim_free_run(dev);
    }
    return true;
}

const struct hwtimer_ops stm32_tim_ops = {
    .init = tim_init,
    .count = tim_count,
    .start = tim_start,
    .stop = tim_stop,
    .isr = tim_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER,
    .min_counts = 2,
};
