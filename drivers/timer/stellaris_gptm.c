/* SPDX-License-Identifier: MIT */
/* The Stellaris general-purpose timer module (LM3S6965 datasheet, GPTM):
 * Timer A of one module as a 32-bit timer (GPTMCFG 0, Timer B unused),
 * counting down on the system clock (dev->hz) in one-shot or periodic
 * mode. dev->unit is the module's number, its clock gate in RCGC1. It
 * counts down from GPTMTAILR to 0, interrupts there and reloads on the
 * next clock: a load of N - 1 gives a period of N clocks, of which the
 * first, counted from the load itself, is one clock short. A one-shot of N
 * loads N and the hardware stops it. Between starts the timer runs
 * periodically over the full range with its interrupt masked, read as
 * ~GPTMTAR so that the count rises. */
#include <stdint.h>

#include "hwtimer_dev.h"

#define REG(dev, off) (*(volatile uint32_t *)((dev)->base + (off)))
#define CFG(dev) REG(dev, 0x000)
#define TAMR(dev) REG(dev, 0x004)
#define CTL(dev) REG(dev, 0x00C)
#define IMR(dev) REG(dev, 0x018)
#define MIS(dev) REG(dev, 0x020)
#define ICR(dev) REG(dev, 0x024)
#define TAILR(dev) REG(dev, 0x028)
#define TAR(dev) REG(dev, 0x048)

#define CFG_32BIT 0u
#define TAMR_ONESHOT 1u
#define TAMR_PERIODIC 2u
#define CTL_TAEN (1u << 0)
#define INT_TATO (1u << 0)
#define SYSCTL_RCGC1 (*(volatile uint32_t *)0x400FE104u)
#define RCGC1_TIMER(n) (1u << (16u + (n)))

static void
gptm_load(const struct hwtimer_dev *dev, uint32_t mode, uint32_t load, uint32_t irq_mask)
{
    CTL(dev) = 0;
    IMR(dev) = 0;
    ICR(dev) = INT_TATO;
    CFG(dev) = CFG_32BIT;
    TAMR(dev) = mode;
    TAILR(dev) = load;
    IMR(dev) = irq_mask;
    CTL(dev) = CTL_TAEN;
}

static void
gptm_free_run(const struct hwtimer_dev *dev)
{
    gptm_load(dev, TAMR_PERIODIC, UINT32_MAX, 0);
}

static uint32_t
gptm_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    SYSCTL_RCGC1 |= RCGC1_TIMER(dev->unit);
    /* The module's registers answer a few clocks after its gate opens. */
    (void)SYSCTL_RCGC1;
    (void)SYSCTL_RCGC1;
    gptm_free_run(dev);
    /* Loaded with 0xFFFFFFFF, the count takes 343 s to reach 0: reading 0
     * here means QEMU 7.2, whose model has no read of TAR (it reads 0;
     * its interrupts are right, with a period of GPTMTAILR clocks rather
     * than GPTMTAILR + 1). */
    if (TAR(dev) == 0) {
        st->flags &= ~(uint32_t)PICA_HWTIMER_HAS_COUNTER;
        st->note = "QEMU 7.2's GPTM model cannot read the counter (TAR reads 0)";
    }
    return dev->hz;
}

static uint64_t
gptm_count(const struct hwtimer_dev *dev)
{
    return ~TAR(dev);
}

static void
gptm_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    /* st->period is 2 .. 2^32. */
    if (st->periodic) {
        gptm_load(dev, TAMR_PERIODIC, (uint32_t)(st->period - 1u), INT_TATO);
    } else {
        uint32_t load = st->period > UINT32_MAX ? UINT32_MAX : (uint32_t)st->period;
        gptm_load(dev, TAMR_ONESHOT, load, INT_TATO);
    }
}

static void
gptm_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    gptm_free_run(dev);
}

static bool
gptm_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (!(MIS(dev) & INT_TATO)) {
        return false;
    }
    ICR(dev) = INT_TATO;
    if (!st->periodic) {
        gptm_free_run(dev); /* the one-shot has stopped: count on */
    }
    return true;
}

const struct hwtimer_ops stellaris_gptm_ops = {
    .init = gptm_init,
    .count = gptm_count,
    .start = gptm_start,
    .stop = gptm_stop,
    .isr = gptm_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER,
    .min_counts = 2,
};
